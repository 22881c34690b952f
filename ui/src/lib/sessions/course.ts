// Where a session stands in its course ("3 of 6") and the badges a session
// row shows. Which plan a new session follows is the core's to decide
// (`defaultSessionPlan`).
import type { TreatmentPlan } from '../api/records';
import type { TreatedZone, TreatmentSession } from '../api/sessions';
import { formatDepth } from './depth';

/** "3 of 6", "3" without a known length, null outside a course. */
export function courseLabel(position: number | null, length: number | null): string | null {
  if (position === null) return null;
  return length === null ? String(position) : `${position} of ${length}`;
}

/** The client's open plan to show on the record (plans come newest first), or null. */
export function openPlan(plans: readonly TreatmentPlan[]): TreatmentPlan | null {
  return plans.find((plan) => !plan.closed) ?? null;
}

/** "Session 4 of 6" for the next session under `plan`; past the planned course it says so. */
export function nextSessionLabel(plan: Pick<TreatmentPlan, 'sessions_done' | 'sessions_planned'>): string {
  const next = plan.sessions_done + 1;
  if (next > plan.sessions_planned) return `Session ${next}, beyond the planned ${plan.sessions_planned}`;
  return `Session ${next} of ${plan.sessions_planned}`;
}

/** "3 of 6 done". */
export function planProgress(plan: Pick<TreatmentPlan, 'sessions_done' | 'sessions_planned'>): string {
  return `${plan.sessions_done} of ${plan.sessions_planned} done`;
}

/** "Cheeks 1 mm · Chin 0.75 mm". */
export function zonesSummary(zones: readonly Pick<TreatedZone, 'zone_name' | 'depth'>[]): string {
  return zones.map((zone) => `${zone.zone_name} ${formatDepth(zone.depth)}`).join(' · ');
}

export type SessionBadges = {
  signed: boolean;
  amended: boolean;
  /** Care warnings recorded with the session (each with its reason). */
  warnings: number;
};

export function sessionBadges(session: Pick<TreatmentSession, 'signed_at' | 'amendments' | 'warnings'>): SessionBadges {
  return {
    signed: session.signed_at !== null,
    amended: session.amendments.length > 0,
    warnings: session.warnings.length,
  };
}

/** The client's latest session (sessions come oldest first), or null. */
export function latestSession(sessions: readonly TreatmentSession[]): TreatmentSession | null {
  return sessions.length === 0 ? null : sessions[sessions.length - 1];
}
