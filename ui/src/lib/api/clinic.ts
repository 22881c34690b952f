// The clinic's settings and catalogue over IPC: guide ranges and templates,
// practitioners, devices, products with their lots, and lot recall.
import { commands } from './bindings';
import type {
  ClinicSettings, Device, DeviceInput, Lot, MatrixRow, Practitioner, Product, ProductId, ProductKind, RecallHit,
} from './bindings';
import { call } from './errors';

export type {
  AftercareTemplate, ClinicSettings, Device, DeviceId, DeviceInput, Lot, LotUse, MatrixRow, NeedleDepth, Practitioner,
  PractitionerId, Product, ProductId, ProductKind, RecallHit, ScreeningQuestion, ZoneGuide,
} from './bindings';

export function getSettings(): Promise<ClinicSettings> {
  return call(() => commands.getSettings());
}

export function saveSettings(settings: ClinicSettings): Promise<ClinicSettings> {
  return call(() => commands.saveSettings(settings));
}

export function listPractitioners(): Promise<Practitioner[]> {
  return call(() => commands.listPractitioners());
}

export function addPractitioner(name: string, credentials: string): Promise<Practitioner> {
  return call(() => commands.addPractitioner(name, credentials));
}

export function listDevices(): Promise<Device[]> {
  return call(() => commands.listDevices());
}

export function addDevice(input: DeviceInput): Promise<Device> {
  return call(() => commands.addDevice(input));
}

export function listProducts(): Promise<Product[]> {
  return call(() => commands.listProducts());
}

export function addProduct(
  name: string,
  kind: ProductKind,
  manufacturer: string,
  needleCount: number | null,
): Promise<Product> {
  return call(() => commands.addProduct(name, kind, manufacturer, needleCount));
}

/** Adds a lot; `expiresOn` is "YYYY-MM-DD" or null. */
export function addLot(productId: ProductId, lotNumber: string, expiresOn: string | null): Promise<Lot> {
  return call(() => commands.addLot(productId, lotNumber, expiresOn));
}

/** Every session that used lot `lotNumber` (any product, ignoring case), by date. */
export function recallLot(lotNumber: string): Promise<RecallHit[]> {
  return call(() => commands.recallLot(lotNumber.trim()));
}

/** Who may do what: the role matrix the core enforces, a line per permission. */
export function roleMatrix(): Promise<MatrixRow[]> {
  return call(() => commands.roleMatrix());
}
