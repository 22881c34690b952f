// The practitioner a new session starts with: the one who recorded the last
// session on this computer, kept between runs.
import type { Practitioner } from '../api/clinic';

const STORAGE_KEY = 'pinpoint.lastPractitioner';

/** The storage the choice lives in (window.localStorage in the app). */
export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

function defaultStore(): KeyValueStore | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The practitioner to preselect: the remembered one if still active, else the only active one, else none (''). */
export function choosePractitioner(remembered: string | null, practitioners: readonly Practitioner[]): string {
  const active = practitioners.filter((p) => !p.archived);
  if (remembered && active.some((p) => p.id === remembered)) return remembered;
  return active.length === 1 ? active[0].id : '';
}

export function rememberedPractitioner(store: KeyValueStore | null = defaultStore()): string | null {
  try {
    return store?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

export function rememberPractitioner(id: string, store: KeyValueStore | null = defaultStore()): void {
  try {
    store?.setItem(STORAGE_KEY, id);
  } catch {
    // Storage may be full or refused; the choice is a convenience only.
  }
}
