// The clinic settings form: intervals, screening validity, the idle lock,
// the co-signature rule, how long records are kept, zones with their guide depth ranges, aftercare
// templates, the poses a phone capture walks through; and the forms that add a practitioner, a device, a product or a
// lot. Everything is text while typed and checked here the way the Rust side
// checks it.
import type { ClinicSettings, DeviceInput, ProductKind } from '../api/clinic';
import type { PhotoPose } from '../api/photos';
import { PHOTO_POSES } from '../photos/labels';
import { depthNumber, depthProblem, parseDepth } from '../sessions/depth';

/** Which signed sessions wait for a second signature. */
export type CosignRule = NonNullable<ClinicSettings['cosign']>;

export type ZoneGuideRow = { id: number; key: string; name: string; min: string; max: string; isNew: boolean };
export type AftercareRow = { key: string; title: string; text: string };

export type SettingsForm = {
  clinic_name: string;
  min_interval_days: string;
  usual_interval_days: string;
  screening_valid_days: string;
  consent_template_version: string;
  idle_lock_minutes: string;
  cosign: CosignRule;
  retention_years: string;
  zones: ZoneGuideRow[];
  aftercare: AftercareRow[];
  /** The poses a phone capture asks for, in order. */
  capture_poses: PhotoPose[];
};

let lastRowId = 0;
export function zoneGuideRow(values: Partial<Omit<ZoneGuideRow, 'id'>> = {}): ZoneGuideRow {
  lastRowId += 1;
  return { id: lastRowId, key: '', name: '', min: '', max: '', isNew: true, ...values };
}

export const zoneGuideKey = (row: Pick<ZoneGuideRow, 'id'>) => `zone:${row.id}`;

/** The idle minutes before the window locks, as the core allows them, and its default. */
export const IDLE_LOCK_MINUTES = { min: 1, max: 60, default: 5 } as const;

/** The years a record is kept after the last visit, as the core allows them, and its default. */
export const RETENTION_YEARS = { min: 1, max: 100, default: 10 } as const;

/** The co-signature rules, as the settings offer them. */
export const COSIGN_RULES: readonly { value: CosignRule; label: string }[] = [
  { value: 'never', label: 'Never' },
  { value: 'non_prescribers', label: 'Sessions by practitioners who are not prescribers' },
  { value: 'everyone', label: 'Every session' },
];

/** The poses a capture can ask for: every named pose (a pose in words cannot be asked for), in the order they are offered. */
export const CAPTURE_POSE_CHOICES: readonly { value: PhotoPose; label: string }[] = PHOTO_POSES.filter((pose) => pose.value !== 'custom');

/** The core's default sequence: front, then the two 45° views. */
export const DEFAULT_CAPTURE_POSES: readonly PhotoPose[] = ['front', 'left_45', 'right_45'];

/** The poses not in the sequence yet, in the order they are offered. */
export function posesLeft(poses: readonly PhotoPose[]): PhotoPose[] {
  return CAPTURE_POSE_CHOICES.map((choice) => choice.value).filter((pose) => !poses.includes(pose));
}

/** The sequence with the pose at `index` moved `by` places (-1 earlier, +1 later); unchanged at either end. */
export function movePose(poses: readonly PhotoPose[], index: number, by: -1 | 1): PhotoPose[] {
  const to = index + by;
  if (index < 0 || index >= poses.length || to < 0 || to >= poses.length) return [...poses];
  const moved = [...poses];
  [moved[index], moved[to]] = [moved[to], moved[index]];
  return moved;
}

/** The sequence with `pose` added at its end (once). */
export function addPose(poses: readonly PhotoPose[], pose: PhotoPose): PhotoPose[] {
  return poses.includes(pose) ? [...poses] : [...poses, pose];
}

/** The sequence without `pose`. */
export function removePose(poses: readonly PhotoPose[], pose: PhotoPose): PhotoPose[] {
  return poses.filter((p) => p !== pose);
}

/** Why a pose sequence cannot be saved, as the core would refuse it; null when it can. */
export function capturePosesProblem(poses: readonly PhotoPose[]): string | null {
  if (poses.length === 0) return 'a capture asks for at least one pose';
  if (poses.includes('custom')) return 'a capture pose must be one of the named poses';
  if (new Set(poses).size !== poses.length) return 'each pose is asked for once';
  if (poses.length > CAPTURE_POSE_CHOICES.length) return `a capture asks for at most ${CAPTURE_POSE_CHOICES.length} poses`;
  return null;
}

export function settingsForm(settings: ClinicSettings): SettingsForm {
  return {
    clinic_name: settings.clinic_name,
    min_interval_days: String(settings.min_interval_days),
    usual_interval_days: String(settings.usual_interval_days),
    screening_valid_days: String(settings.screening_valid_days),
    consent_template_version: settings.consent_template_version,
    idle_lock_minutes: String(settings.idle_lock_minutes ?? IDLE_LOCK_MINUTES.default),
    cosign: settings.cosign ?? 'never',
    retention_years: String(settings.retention_years ?? RETENTION_YEARS.default),
    zones: settings.zones.map((z) =>
      zoneGuideRow({ key: z.key, name: z.name, min: depthNumber(z.min_depth), max: depthNumber(z.max_depth), isNew: false }),
    ),
    aftercare: settings.aftercare_templates.map((t) => ({ ...t })),
    capture_poses: [...(settings.capture_poses ?? DEFAULT_CAPTURE_POSES)],
  };
}

/** A stable key for a new zone from its name ("Upper arms" → "upper_arms"), unique among `taken`. */
export function zoneKey(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'zone';
  let key = base;
  for (let n = 2; taken.has(key); n += 1) key = `${base}_${n}`;
  return key;
}

function wholeNumber(text: string): number | null {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : null;
}

/**
 * The settings to save: `original` with the form's values in place (the
 * screening questions and their version are kept as they are). Errors are
 * keyed by ClinicSettings field, rows by `zone:<id>`.
 */
export function settingsFromForm(
  form: SettingsForm,
  original: ClinicSettings,
): { settings: ClinicSettings | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (form.clinic_name.trim() === '') errors.clinic_name = 'enter the clinic name';
  const min = wholeNumber(form.min_interval_days);
  if (min === null || min < 1 || min > 365) errors.min_interval_days = 'use 1 to 365 days';
  const usual = wholeNumber(form.usual_interval_days);
  if (usual === null || usual < 1 || usual > 365) errors.usual_interval_days = 'use 1 to 365 days';
  else if (min !== null && usual < min) errors.usual_interval_days = 'the usual interval is shorter than the minimum';
  const valid = wholeNumber(form.screening_valid_days);
  if (valid === null || valid < 1) errors.screening_valid_days = 'a screening must stay valid for at least one day';
  if (form.consent_template_version.trim() === '') errors.consent_template_version = 'enter the version of the consent texts';
  const idle = wholeNumber(form.idle_lock_minutes);
  if (idle === null || idle < IDLE_LOCK_MINUTES.min || idle > IDLE_LOCK_MINUTES.max) {
    errors.idle_lock_minutes = `use ${IDLE_LOCK_MINUTES.min} to ${IDLE_LOCK_MINUTES.max} minutes`;
  }
  const retention = wholeNumber(form.retention_years);
  if (retention === null || retention < RETENTION_YEARS.min || retention > RETENTION_YEARS.max) {
    errors.retention_years = `use ${RETENTION_YEARS.min} to ${RETENTION_YEARS.max} years`;
  }
  const posesProblem = capturePosesProblem(form.capture_poses);
  if (posesProblem) errors.capture_poses = posesProblem;

  const taken = new Set(form.zones.filter((z) => !z.isNew).map((z) => z.key));
  const zones: ClinicSettings['zones'] = [];
  for (const row of form.zones) {
    const name = row.name.trim();
    if (name === '') {
      errors[zoneGuideKey(row)] = 'name the zone';
      continue;
    }
    const low = parseDepth(row.min);
    const high = parseDepth(row.max);
    const problem = depthProblem(low) ?? depthProblem(high);
    if (problem) {
      errors[zoneGuideKey(row)] = problem === 'enter the depth in mm' ? 'enter both guide depths in mm' : problem;
      continue;
    }
    if ((low ?? 0) > (high ?? 0)) {
      errors[zoneGuideKey(row)] = `the guide range ${row.min.trim()} to ${row.max.trim()} mm is reversed`;
      continue;
    }
    const key = row.isNew ? zoneKey(name, taken) : row.key;
    taken.add(key);
    zones.push({ key, name, min_depth: low, max_depth: high });
  }

  if (Object.keys(errors).length > 0) return { settings: null, errors };
  return {
    settings: {
      ...original,
      clinic_name: form.clinic_name.trim(),
      min_interval_days: min!,
      usual_interval_days: usual!,
      screening_valid_days: valid!,
      consent_template_version: form.consent_template_version.trim(),
      idle_lock_minutes: idle!,
      cosign: form.cosign,
      retention_years: retention!,
      zones,
      aftercare_templates: form.aftercare.map((t) => ({ key: t.key, title: t.title.trim() || t.key, text: t.text.trim() })),
      capture_poses: [...form.capture_poses],
    },
    errors,
  };
}

export type DeviceForm = { model: string; serial: string; min: string; max: string; step: string; evaluated: string };

export function emptyDeviceForm(): DeviceForm {
  return { model: '', serial: '', min: '0.25', max: '', step: '0.25', evaluated: '' };
}

/** The device to add, or the problems keyed by DeviceInput field. */
export function deviceInput(form: DeviceForm): { input: DeviceInput | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (form.model.trim() === '') errors.model = 'enter the device model';
  const min = parseDepth(form.min);
  const max = parseDepth(form.max);
  const step = parseDepth(form.step);
  const evaluated = form.evaluated.trim() === '' ? null : parseDepth(form.evaluated);
  if (min === null || min > 3) errors.min_depth_mm = 'enter the shallowest setting in mm';
  if (max === null || max <= 0 || max > 3) errors.max_depth_mm = 'enter the deepest setting in mm (at most 3)';
  else if (min !== null && max <= min) errors.max_depth_mm = 'the deepest setting must be above the shallowest';
  if (step === null || step <= 0 || step > 3) errors.step_mm = 'enter the step between settings in mm';
  if (form.evaluated.trim() !== '' && (evaluated === null || evaluated <= 0 || evaluated > 3)) {
    errors.evaluated_up_to_mm = 'enter a depth in mm, or leave it empty';
  }
  if (Object.keys(errors).length > 0) return { input: null, errors };
  return {
    input: {
      model: form.model.trim(),
      serial: form.serial.trim(),
      min_depth_mm: min,
      max_depth_mm: max,
      step_mm: step,
      evaluated_up_to_mm: evaluated,
    },
    errors,
  };
}

export type PractitionerForm = { name: string; credentials: string };

export function emptyPractitionerForm(): PractitionerForm {
  return { name: '', credentials: '' };
}

/** The practitioner to add (trimmed), or the problems keyed by field. */
export function practitionerInput(form: PractitionerForm): { input: PractitionerForm | null; errors: Record<string, string> } {
  if (form.name.trim() === '') return { input: null, errors: { name: 'enter the practitioner’s name' } };
  return { input: { name: form.name.trim(), credentials: form.credentials.trim() }, errors: {} };
}

export type ProductForm = { name: string; kind: ProductKind; manufacturer: string; needles: string };
export type ProductInput = { name: string; kind: ProductKind; manufacturer: string; needleCount: number | null };

export function emptyProductForm(): ProductForm {
  return { name: '', kind: 'serum', manufacturer: '', needles: '' };
}

/** The product to add, or the problems keyed by field; only a cartridge has a needle count. */
export function productInput(form: ProductForm): { input: ProductInput | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (form.name.trim() === '') errors.name = 'enter the product name';
  const needles = form.needles.trim();
  const count = form.kind !== 'cartridge' || needles === '' ? null : Number(needles);
  if (count !== null && (!Number.isInteger(count) || count < 1)) errors.needle_count = 'the needle count is a whole number';
  if (Object.keys(errors).length > 0) return { input: null, errors };
  return { input: { name: form.name.trim(), kind: form.kind, manufacturer: form.manufacturer.trim(), needleCount: count }, errors };
}

export type LotForm = { lotNumber: string; expires: string };

export function emptyLotForm(): LotForm {
  return { lotNumber: '', expires: '' };
}

/** The lot to add (`expiresOn` null when not given), or the problems keyed by field. */
export function lotInput(form: LotForm): { input: { lotNumber: string; expiresOn: string | null } | null; errors: Record<string, string> } {
  if (form.lotNumber.trim() === '') return { input: null, errors: { lot_number: 'enter the lot number' } };
  return { input: { lotNumber: form.lotNumber.trim(), expiresOn: form.expires === '' ? null : form.expires }, errors: {} };
}
