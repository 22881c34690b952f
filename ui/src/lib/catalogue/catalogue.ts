// The clinic's catalogue as screens show it: products grouped by kind, lots
// with their expiry (expired lots marked), devices described in one line.
import type { Device, Lot, Product, ProductKind } from '../api/clinic';
import { formatDate } from '../dates/calendar';
import { depthNumber } from '../sessions/depth';

export const KIND_ORDER: readonly ProductKind[] = ['cartridge', 'serum', 'anaesthetic', 'aftercare', 'other'];

export const KIND_LABELS: Record<ProductKind, string> = {
  cartridge: 'Cartridges',
  serum: 'Serums',
  anaesthetic: 'Anaesthetics',
  aftercare: 'Aftercare',
  other: 'Other products',
};

export const KIND_NAMES: Record<ProductKind, string> = {
  cartridge: 'cartridge',
  serum: 'serum',
  anaesthetic: 'anaesthetic',
  aftercare: 'aftercare',
  other: 'other',
};

/** Days before expiry from which a lot is flagged as expiring soon. */
export const EXPIRING_SOON_DAYS = 30;

export type LotStatus = 'expired' | 'soon' | 'ok' | 'no-expiry';

function dayNumber(isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

/** Whether a lot can still be used on `today` ("YYYY-MM-DD"); a lot is good through its expiry day. */
export function lotStatus(expiresOn: string | null, today: string): LotStatus {
  if (expiresOn === null) return 'no-expiry';
  const left = dayNumber(expiresOn) - dayNumber(today);
  if (left < 0) return 'expired';
  if (left <= EXPIRING_SOON_DAYS) return 'soon';
  return 'ok';
}

/** "exp. 30 Dec 2027", "expired 26 Oct 2026", "no expiry date". */
export function expiryText(expiresOn: string | null, today: string, locale?: string): string {
  if (expiresOn === null) return 'no expiry date';
  const date = formatDate(expiresOn, locale);
  return lotStatus(expiresOn, today) === 'expired' ? `expired ${date}` : `exp. ${date}`;
}

/** "C25-041 · exp. 30 Dec 2027": a lot as a choice in a list. */
export function lotLabel(lot: Pick<Lot, 'lot_number' | 'expires_on'>, today: string, locale?: string): string {
  return `${lot.lot_number} · ${expiryText(lot.expires_on, today, locale)}`;
}

/** Lots in the order to offer them: usable ones first, soonest expiry first; expired ones last. */
export function orderLots<L extends Pick<Lot, 'lot_number' | 'expires_on'>>(lots: readonly L[], today: string): L[] {
  const rank = (lot: L) => (lotStatus(lot.expires_on, today) === 'expired' ? 1 : 0);
  return [...lots].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.expires_on ?? '9999').localeCompare(b.expires_on ?? '9999') ||
      a.lot_number.localeCompare(b.lot_number),
  );
}

/** Active products of the given kinds, by name. */
export function productsOfKind(products: readonly Product[], kinds: readonly ProductKind[]): Product[] {
  return products
    .filter((p) => !p.archived && kinds.includes(p.kind))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The catalogue grouped by kind, in KIND_ORDER; kinds without products are left out. */
export function groupByKind(products: readonly Product[]): { kind: ProductKind; products: Product[] }[] {
  return KIND_ORDER.map((kind) => ({ kind, products: productsOfKind(products, [kind]) })).filter(
    (group) => group.products.length > 0,
  );
}

/** The product with this name (ignoring case, as the Rust side looks it up), preferring the given kinds. */
export function findProduct(
  products: readonly Product[],
  name: string,
  kinds: readonly ProductKind[],
): Product | null {
  const wanted = name.trim().toLowerCase();
  if (wanted === '') return null;
  const matches = products.filter((p) => p.name.toLowerCase() === wanted);
  return matches.find((p) => kinds.includes(p.kind)) ?? matches[0] ?? null;
}

/** "Auriga MN-2 pen · AMN2-204117". */
export function deviceName(device: Pick<Device, 'model' | 'serial'>): string {
  return device.serial.trim() === '' ? device.model : `${device.model} · ${device.serial}`;
}

/** "0.25–2.5 mm in 0.25 mm steps; not evaluated above 2 mm". */
export function deviceRange(device: Device): string {
  const parts = [`${depthNumber(device.min_depth_mm)}–${depthNumber(device.max_depth)} mm`];
  if (device.step_mm) parts[0] += ` in ${depthNumber(device.step_mm)} mm steps`;
  if (device.evaluated_up_to !== null) parts.push(`not evaluated above ${depthNumber(device.evaluated_up_to)} mm`);
  return parts.join('; ');
}
