// The timeline's forms as data: a score, a follow-up visit, an adverse event
// and its resolution, each checked before it is sent (the Rust side checks
// again). Error keys are the field names, as the Rust side reports them.
import type { ScaleInfo, ScoreSubject, Severity } from '../api/progress';
import { parseIsoDate } from '../dates/calendar';
import { parseScore, scoreValueError } from './scores';

export type FieldErrors = Record<string, string>;

/** Why a date typed for `what` ("visit date") cannot be used, or null. */
export function dateError(value: string, today: string, what: string, notBefore?: { date: string; message: string }): string | null {
  if (value.trim() === '') return `enter the ${what}`;
  if (!parseIsoDate(value)) return `${value} is not a date`;
  if (value > today) return `${what} ${value} is in the future`;
  if (notBefore && value < notBefore.date) return notBefore.message;
  return null;
}

/** What a score is about, as chosen in the form. */
export type SubjectKind = 'session' | 'follow_up' | 'photos';

export type ScoreDraft = {
  subjectKind: SubjectKind;
  sessionId: string;
  followUpId: string;
  beforePhotoId: string;
  afterPhotoId: string;
  scale: string;
  value: string;
  recordedOn: string;
  note: string;
};

/**
 * What is wrong with a score form, keyed by field. `subjectDate` is the date
 * of the session or visit the score is about: a score never comes before it.
 */
export function scoreErrors(draft: ScoreDraft, scales: readonly ScaleInfo[], today: string, subjectDate: string | null = null): FieldErrors {
  const errors: FieldErrors = {};
  if (draft.subjectKind === 'session' && draft.sessionId === '') errors.session_id = 'choose the session';
  if (draft.subjectKind === 'follow_up' && draft.followUpId === '') errors.follow_up_id = 'choose the visit';
  if (draft.subjectKind === 'photos') {
    if (draft.beforePhotoId === '') errors.before_photo_id = 'choose the photo before';
    if (draft.afterPhotoId === '') errors.after_photo_id = 'choose the photo after';
    else if (draft.afterPhotoId === draft.beforePhotoId) errors.after_photo_id = 'choose two different photos';
  }
  const info = scales.find((s) => s.scale === draft.scale);
  if (!info) errors.scale = 'choose the scale';
  else {
    const problem = scoreValueError(draft.value, info);
    if (problem) errors.value = problem;
  }
  const what = draft.subjectKind === 'follow_up' ? 'follow-up visit' : 'session';
  const notBefore =
    subjectDate && draft.subjectKind !== 'photos'
      ? { date: subjectDate, message: `score date ${draft.recordedOn} is before the ${what} it rates (${subjectDate})` }
      : undefined;
  const date = dateError(draft.recordedOn, today, 'score date', notBefore);
  if (date) errors.recorded_on = date;
  return errors;
}

/** The subject sent with a score: only the chosen kind's ids. */
export function scoreSubject(draft: ScoreDraft): ScoreSubject {
  return {
    session_id: draft.subjectKind === 'session' ? draft.sessionId : null,
    follow_up_id: draft.subjectKind === 'follow_up' ? draft.followUpId : null,
    before_photo_id: draft.subjectKind === 'photos' ? draft.beforePhotoId : null,
    after_photo_id: draft.subjectKind === 'photos' ? draft.afterPhotoId : null,
  };
}

/** The score as a number, once `scoreErrors` found nothing wrong. */
export function scoreValue(draft: Pick<ScoreDraft, 'value'>): number {
  return parseScore(draft.value) ?? NaN;
}

/** Where a refusal about the whole subject shows: beside the control that chose it. */
export function subjectField(kind: SubjectKind): string {
  return kind === 'session' ? 'session_id' : kind === 'follow_up' ? 'follow_up_id' : 'after_photo_id';
}

export function followUpErrors(draft: { visitedOn: string }, today: string): FieldErrors {
  const date = dateError(draft.visitedOn, today, 'visit date');
  return date ? { visited_on: date } : {};
}

export type AdverseDraft = { sessionId: string; startedOn: string; description: string; severity: Severity | null };

export function adverseErrors(draft: AdverseDraft, today: string, sessionDate?: string | null): FieldErrors {
  const errors: FieldErrors = {};
  const date = dateError(
    draft.startedOn,
    today,
    'start date',
    sessionDate ? { date: sessionDate, message: 'it cannot start before the session it followed' } : undefined,
  );
  if (date) errors.started_on = date;
  if (draft.description.trim() === '') errors.description = 'describe the adverse event';
  if (draft.severity === null) errors.severity = 'choose how severe it is';
  return errors;
}

export function resolveErrors(draft: { resolvedOn: string; outcome: string }, startedOn: string, today: string): FieldErrors {
  const errors: FieldErrors = {};
  const date = dateError(draft.resolvedOn, today, 'resolution date', {
    date: startedOn,
    message: 'it cannot resolve before it started',
  });
  if (date) errors.resolved_on = date;
  if (draft.outcome.trim() === '') errors.outcome = 'say how it resolved';
  return errors;
}
