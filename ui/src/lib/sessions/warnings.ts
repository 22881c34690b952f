// Care warnings and the practitioner's reasons to proceed. A reason answers a
// warning when it has the same rule and subject and is not blank, exactly as
// the Rust side matches them; reasons are kept by that key while the form
// changes, so a warning that goes and comes back keeps what was typed.
import type { CareWarning, RecordedWarning, WarningOverride, WarningRule } from '../api/sessions';

export const RULE_LABELS: Record<WarningRule, string> = {
  contraindication: 'Contraindication',
  caution: 'Caution',
  screening_missing: 'No screening',
  screening_stale: 'Screening out of date',
  consent_missing: 'No treatment consent',
  interval_short: 'Interval too short',
  depth_outside_guide: 'Depth outside guide',
  depth_above_device: 'Depth and device',
  lot_expired: 'Expired lot',
};

/** Rules that rule treatment out unless there is a strong reason. */
const SERIOUS: ReadonlySet<WarningRule> = new Set(['contraindication', 'consent_missing', 'depth_above_device']);

export function isSerious(rule: WarningRule): boolean {
  return SERIOUS.has(rule);
}

/** Reasons typed so far, by warning key. */
export type Reasons = Record<string, string>;

/** "depth_outside_guide|cheeks": what a reason is filed under. */
export function warningKey(warning: Pick<CareWarning, 'rule' | 'subject'>): string {
  return `${warning.rule}|${warning.subject}`;
}

/** The overrides to send: one per warning that has a non-blank reason. */
export function overridesFor(warnings: readonly CareWarning[], reasons: Reasons): WarningOverride[] {
  const out: WarningOverride[] = [];
  for (const warning of warnings) {
    const reason = (reasons[warningKey(warning)] ?? '').trim();
    if (reason !== '') out.push({ rule: warning.rule, subject: warning.subject, reason });
  }
  return out;
}

/** Warnings still waiting for a reason. */
export function unanswered(warnings: readonly CareWarning[], reasons: Reasons): CareWarning[] {
  return warnings.filter((warning) => (reasons[warningKey(warning)] ?? '').trim() === '');
}

/** The reasons recorded with a stored session, ready to prefill its form. */
export function reasonsFromRecord(recorded: readonly RecordedWarning[]): Reasons {
  const reasons: Reasons = {};
  for (const warning of recorded) if (warning.reason.trim() !== '') reasons[warningKey(warning)] = warning.reason;
  return reasons;
}

/** "2 warnings", "1 warning"; null for none. */
export function warningCount(count: number): string | null {
  if (count === 0) return null;
  return `${count} ${count === 1 ? 'warning' : 'warnings'}`;
}

/** "1 warning needs a reason", "3 warnings need a reason". */
export function missingReasonsText(count: number): string {
  return count === 1 ? '1 warning needs a reason' : `${count} warnings need a reason`;
}
