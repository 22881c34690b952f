// The session form as the screen holds it (text in inputs, rows with ids) and
// the SessionDraft the Rust side checks: built from a new session's context
// (the plan's zones and target depths, the last session's device), from a
// stored session for editing or amending, and back into a draft for saving
// (every problem reported) or for the live warning check (incomplete rows left out).
import type { AftercareTemplate, Device } from '../api/clinic';
import type { TreatmentPlan } from '../api/records';
import type { Endpoint, Phase, SessionDraft, TreatmentSession, ZoneInput } from '../api/sessions';
import { parseTime, localInstant, localWallClock } from '../dates/wallclock';
import type { WallClock } from '../dates/wallclock';
import { depthNumber, depthProblem, parseDepth } from './depth';

export type ZoneRow = { id: number; zone: string; depth: string; passes: string; technique: string };
export type ProductRow = { id: number; product: string; lot: string; phase: Phase };
/** A product and lot by name, as typed or chosen from the catalogue. */
export type LotChoice = { product: string; lot: string };
export type AnaestheticForm = { product: string; lot: string; applied_at: string; removed_at: string };

export type SessionForm = {
  date: string;
  time: string;
  practitioner_id: string;
  plan_id: string;
  device_id: string;
  cartridge: LotChoice;
  anaesthetic: AnaestheticForm;
  zones: ZoneRow[];
  products: ProductRow[];
  endpoint: Endpoint | '';
  pain: number | null;
  immediate_reaction: string;
  adverse_events: string;
  /** The aftercare template last chosen (the text stays editable). */
  aftercare_template: string;
  aftercare: string;
  notes: string;
};

/**
 * Fields a message can be shown beside. The names match SessionDraft (and the
 * server's `field`); `reason` is the amendment's reason and `pin` the PIN that
 * confirms it; rows have their own keys, `zone:<id>` and `product:<id>`.
 */
export const SESSION_FIELDS = [
  'started_at',
  'practitioner_id',
  'plan_id',
  'device_id',
  'cartridge',
  'anaesthetic',
  'zones',
  'products',
  'endpoint',
  'pain',
  'immediate_reaction',
  'adverse_events',
  'aftercare',
  'notes',
  'reason',
  'pin',
] as const;
export type SessionField = (typeof SESSION_FIELDS)[number];

export function isSessionField(value: unknown): value is SessionField {
  return typeof value === 'string' && (SESSION_FIELDS as readonly string[]).includes(value);
}

export type FormErrors = Record<string, string>;

export const zoneRowKey = (row: Pick<ZoneRow, 'id'>) => `zone:${row.id}`;
export const productRowKey = (row: Pick<ProductRow, 'id'>) => `product:${row.id}`;

let lastRowId = 0;
function nextRowId(): number {
  lastRowId += 1;
  return lastRowId;
}

export function zoneRow(values: Partial<Omit<ZoneRow, 'id'>> = {}): ZoneRow {
  return { id: nextRowId(), zone: '', depth: '', passes: '', technique: '', ...values };
}

export function productRow(values: Partial<Omit<ProductRow, 'id'>> = {}): ProductRow {
  return { id: nextRowId(), product: '', lot: '', phase: 'during', ...values };
}

/**
 * Zone rows for a session under `plan`: each planned zone at its target
 * depth, with the passes and technique used on that zone last time.
 */
export function planZoneRows(plan: TreatmentPlan | null, previous: TreatmentSession | null): ZoneRow[] {
  if (!plan || plan.zones.length === 0) return [zoneRow()];
  return plan.zones.map((planned) => {
    const before = previous?.zones.find((z) => z.zone === planned.zone);
    return zoneRow({
      zone: planned.zone,
      depth: depthNumber(planned.target_depth),
      passes: before ? String(before.passes) : '',
      technique: before?.technique ?? '',
    });
  });
}

export type NewSessionContext = {
  now: WallClock;
  /** The practitioner to preselect ('' to make them choose). */
  practitionerId: string;
  plan: TreatmentPlan | null;
  /** The client's latest session, if any. */
  previous: TreatmentSession | null;
  devices: readonly Device[];
  aftercare: AftercareTemplate | null;
};

/** The device to preselect: the one used last time, else the clinic's only device. */
export function defaultDeviceId(previous: TreatmentSession | null, devices: readonly Device[]): string {
  const active = devices.filter((d) => !d.archived);
  const last = previous?.device?.id;
  if (last && active.some((d) => d.id === last)) return last;
  return active.length === 1 ? active[0].id : '';
}

export function newSessionForm(context: NewSessionContext): SessionForm {
  const { previous, plan } = context;
  return {
    date: context.now.date,
    time: context.now.time,
    practitioner_id: context.practitionerId,
    plan_id: plan?.id ?? '',
    device_id: defaultDeviceId(previous, context.devices),
    // The same cartridge model as last time; its lot is chosen each session.
    cartridge: { product: previous?.cartridge?.product ?? '', lot: '' },
    anaesthetic: { product: '', lot: '', applied_at: '', removed_at: '' },
    zones: planZoneRows(plan, previous),
    products: [],
    endpoint: '',
    pain: null,
    immediate_reaction: '',
    adverse_events: '',
    aftercare_template: context.aftercare?.key ?? '',
    aftercare: context.aftercare?.text ?? '',
    notes: '',
  };
}

/** The form for a stored session (to edit it, or amend it once signed). */
export function formFromSession(session: TreatmentSession): SessionForm {
  const wall = localWallClock(session.started_at) ?? { date: session.local_date, time: '' };
  const anaesthetic = session.anaesthetic;
  return {
    date: wall.date,
    time: wall.time,
    practitioner_id: session.practitioner_id,
    plan_id: session.plan_id ?? '',
    device_id: session.device?.id ?? '',
    cartridge: session.cartridge
      ? { product: session.cartridge.product, lot: session.cartridge.lot_number }
      : { product: '', lot: '' },
    anaesthetic: {
      product: anaesthetic?.product ?? '',
      lot: anaesthetic?.lot?.lot_number ?? '',
      applied_at: anaesthetic?.applied_at ?? '',
      removed_at: anaesthetic?.removed_at ?? '',
    },
    zones: session.zones.map((z) =>
      zoneRow({ zone: z.zone, depth: depthNumber(z.depth), passes: String(z.passes), technique: z.technique }),
    ),
    products: session.products.map((p) => productRow({ product: p.lot.product, lot: p.lot.lot_number, phase: p.phase })),
    endpoint: session.endpoint ?? '',
    pain: session.pain,
    immediate_reaction: session.immediate_reaction,
    adverse_events: session.adverse_events,
    aftercare_template: '',
    aftercare: session.aftercare,
    notes: session.notes,
  };
}

const blank = (text: string) => text.trim() === '';

function zoneProblem(row: ZoneRow): string | null {
  if (blank(row.zone)) return 'choose the zone';
  const depthError = depthProblem(parseDepth(row.depth));
  if (depthError) return depthError;
  const passes = Number(row.passes.trim());
  if (blank(row.passes) || !Number.isInteger(passes)) return 'enter the number of passes';
  if (passes < 1 || passes > 20) return `${passes} passes is not possible; record 1 to 20`;
  return null;
}

function timeOrNull(text: string): string | null {
  return blank(text) ? null : text.trim();
}

export type BuiltDraft = { draft: SessionDraft | null; errors: FormErrors };

/**
 * The draft to send. With `mode: 'save'` every problem is reported and the
 * draft is null while any remains. With `mode: 'preview'` (the live warning
 * check) rows that are not complete yet are left out, and the draft is null
 * only when there is nothing to check: no practitioner, no time or no zone.
 */
export function buildDraft(form: SessionForm, clientId: string, mode: 'save' | 'preview' = 'save'): BuiltDraft {
  const errors: FormErrors = {};
  const preview = mode === 'preview';

  const startedAt = localInstant(form.date.trim(), form.time.trim());
  if (startedAt === null) {
    errors.started_at = blank(form.date) || blank(form.time) ? 'enter the date and time' : 'the date or time is not valid';
  }
  if (blank(form.practitioner_id)) errors.practitioner_id = 'choose the practitioner who treated';

  const zones: ZoneInput[] = [];
  for (const row of form.zones) {
    const isBlank = blank(row.zone) && blank(row.depth) && blank(row.passes) && blank(row.technique);
    if (isBlank) continue;
    const problem = zoneProblem(row);
    if (problem) {
      if (!preview) errors[zoneRowKey(row)] = problem;
      continue;
    }
    zones.push({
      zone: row.zone,
      depth_mm: parseDepth(row.depth),
      passes: Number(row.passes.trim()),
      technique: row.technique.trim(),
    });
  }
  if (zones.length === 0 && Object.keys(errors).every((key) => !key.startsWith('zone:'))) {
    errors.zones = 'record at least one treated zone';
  }

  const products = [];
  for (const row of form.products) {
    if (blank(row.product) && blank(row.lot)) continue;
    if (blank(row.product) || blank(row.lot)) {
      if (!preview) errors[productRowKey(row)] = 'each product needs its name and lot number';
      continue;
    }
    products.push({ product: row.product.trim(), lot: row.lot.trim(), phase: row.phase });
  }

  let cartridge: SessionDraft['cartridge'] = null;
  const c = form.cartridge;
  if (!blank(c.product) && !blank(c.lot)) cartridge = { product: c.product.trim(), lot: c.lot.trim() };
  else if (!preview && (!blank(c.product) || !blank(c.lot))) errors.cartridge = 'a cartridge needs its name and lot number';

  let anaesthetic: SessionDraft['anaesthetic'] = null;
  const a = form.anaesthetic;
  const anyAnaesthetic = !blank(a.product) || !blank(a.lot) || !blank(a.applied_at) || !blank(a.removed_at);
  if (anyAnaesthetic) {
    const applied = timeOrNull(a.applied_at);
    const removed = timeOrNull(a.removed_at);
    let problem: string | null = null;
    if (blank(a.product)) problem = 'name the anaesthetic product';
    else if ((applied && !parseTime(applied)) || (removed && !parseTime(removed))) problem = 'write the times as HH:MM';
    else if (applied && removed && removed < applied) {
      problem = `the anaesthetic was removed (${removed}) before it was applied (${applied})`;
    }
    if (problem === null) {
      anaesthetic = { product: a.product.trim(), lot: timeOrNull(a.lot), applied_at: applied, removed_at: removed };
    } else if (!preview) {
      errors.anaesthetic = problem;
    }
  }

  const incomplete = startedAt === null || blank(form.practitioner_id) || zones.length === 0;
  const failed = preview ? incomplete : Object.keys(errors).length > 0;
  if (failed || startedAt === null) return { draft: null, errors: preview ? {} : errors };

  return {
    draft: {
      client_id: clientId,
      practitioner_id: form.practitioner_id,
      started_at: startedAt,
      plan_id: blank(form.plan_id) ? null : form.plan_id,
      device_id: blank(form.device_id) ? null : form.device_id,
      cartridge,
      anaesthetic,
      zones,
      products,
      endpoint: form.endpoint === '' ? null : form.endpoint,
      pain: form.pain,
      immediate_reaction: form.immediate_reaction.trim(),
      adverse_events: form.adverse_events.trim(),
      aftercare: form.aftercare.trim(),
      notes: form.notes.trim(),
    },
    errors: {},
  };
}

const PART_LABELS: [keyof SessionDraft, string][] = [
  ['started_at', 'date and time'],
  ['practitioner_id', 'practitioner'],
  ['plan_id', 'plan'],
  ['device_id', 'device'],
  ['cartridge', 'cartridge'],
  ['anaesthetic', 'anaesthetic'],
  ['zones', 'zones'],
  ['products', 'products'],
  ['endpoint', 'endpoint'],
  ['pain', 'pain'],
  ['immediate_reaction', 'immediate reaction'],
  ['adverse_events', 'adverse events'],
  ['aftercare', 'aftercare'],
  ['notes', 'notes'],
];

function comparable(key: keyof SessionDraft, value: SessionDraft[keyof SessionDraft]): string {
  if (key === 'started_at' && typeof value === 'string') return String(new Date(value).getTime());
  return JSON.stringify(value);
}

/** The parts of the record that differ between two drafts, in words ("zones", "pain"). */
export function changedParts(before: SessionDraft, after: SessionDraft): string[] {
  return PART_LABELS.filter(([key]) => comparable(key, before[key]) !== comparable(key, after[key])).map(
    ([, label]) => label,
  );
}
