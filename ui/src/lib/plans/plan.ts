// The consultation and treatment plan form: goals, concerns, the skin
// assessment, zones with target depths, the course length and interval.
import type { PlanInput } from '../api/records';
import { parseIsoDate } from '../dates/calendar';
import { depthProblem, parseDepth } from '../sessions/depth';

export type PlanZoneRow = { id: number; zone: string; depth: string };

export type PlanForm = {
  created_on: string;
  goals: string;
  concerns: string;
  skin_assessment: string;
  zones: PlanZoneRow[];
  sessions_planned: string;
  interval_days: string;
};

let lastRowId = 0;
export function planZoneRow(zone = '', depth = ''): PlanZoneRow {
  lastRowId += 1;
  return { id: lastRowId, zone, depth };
}

export const planRowKey = (row: Pick<PlanZoneRow, 'id'>) => `zone:${row.id}`;

export function emptyPlanForm(today: string, usualIntervalDays: number): PlanForm {
  return {
    created_on: today,
    goals: '',
    concerns: '',
    skin_assessment: '',
    zones: [planZoneRow()],
    sessions_planned: '6',
    interval_days: String(usualIntervalDays),
  };
}

function wholeNumber(text: string): number | null {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : null;
}

/** The plan to send, or the problems keyed by PlanInput field (rows by `zone:<id>`). */
export function planInput(form: PlanForm, today: string): { input: PlanInput | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (!parseIsoDate(form.created_on)) errors.created_on = 'enter the date of the consultation';
  else if (form.created_on > today) errors.created_on = `plan date ${form.created_on} is in the future`;

  const sessions = wholeNumber(form.sessions_planned);
  if (sessions === null || sessions < 1 || sessions > 20) errors.sessions_planned = 'plan a course of 1 to 20 sessions';
  const interval = wholeNumber(form.interval_days);
  if (interval === null || interval < 1 || interval > 365) errors.interval_days = 'use an interval of 1 to 365 days';

  const zones: PlanInput['zones'] = [];
  const seen = new Set<string>();
  for (const row of form.zones) {
    if (row.zone === '' && row.depth.trim() === '') continue;
    if (row.zone === '') {
      errors[planRowKey(row)] = 'choose the zone';
      continue;
    }
    if (seen.has(row.zone)) {
      errors[planRowKey(row)] = 'this zone is already in the plan';
      continue;
    }
    seen.add(row.zone);
    const depth = parseDepth(row.depth);
    const problem = depthProblem(depth);
    if (problem) {
      errors[planRowKey(row)] = problem === 'enter the depth in mm' ? 'enter the target depth in mm' : problem;
      continue;
    }
    zones.push({ zone: row.zone, target_depth: depth });
  }
  if (zones.length === 0 && !Object.keys(errors).some((k) => k.startsWith('zone:'))) {
    errors.zones = 'name at least one zone';
  }

  if (Object.keys(errors).length > 0) return { input: null, errors };
  return {
    input: {
      created_on: form.created_on,
      goals: form.goals.trim(),
      concerns: form.concerns.trim(),
      skin_assessment: form.skin_assessment.trim(),
      zones,
      sessions_planned: sessions!,
      interval_days: interval!,
    },
    errors,
  };
}
