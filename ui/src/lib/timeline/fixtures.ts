// A client's timeline and the outcome scales, shaped as the Rust side sends
// them, for the timeline tests. Imported by tests only.
import type { AdverseEvent, OutcomeScore, ScaleInfo, TimelineEntry } from '../api/progress';
import { SESSION } from '../sessions/fixtures';

const GAIS_WORDS = ['exceptional improvement', 'very improved', 'improved', 'no change', 'worse'];

export const GAIS: ScaleInfo = {
  scale: 'gais_practitioner',
  name: 'GAIS (practitioner)',
  min: 1,
  max: 5,
  step: 1,
  lower_is_better: true,
  labels: GAIS_WORDS,
};

export const MMASI: ScaleInfo = { scale: 'mmasi', name: 'mMASI', min: 0, max: 24, step: 0.1, lower_is_better: true, labels: [] };

export const SATISFACTION: ScaleInfo = {
  scale: 'satisfaction',
  name: 'Satisfaction',
  min: 0,
  max: 10,
  step: 1,
  lower_is_better: false,
  labels: [],
};

export const SCALES: ScaleInfo[] = [GAIS, MMASI, SATISFACTION];

export function score(values: Partial<OutcomeScore> & Pick<OutcomeScore, 'id'>): OutcomeScore {
  return {
    client_id: 'client-1',
    scale: 'gais_practitioner',
    value: 2,
    recorded_on: '2026-06-16',
    subject: { session_id: null, follow_up_id: null, before_photo_id: null, after_photo_id: null },
    note: '',
    ...values,
  };
}

export function sessionEntry(id: string, date: string, position: number): TimelineEntry {
  return {
    type: 'session',
    session: { ...SESSION, id, local_date: date, started_at: `${date}T09:00:00Z`, course_position: position },
    days_since_previous: position === 1 ? null : 42,
    interval: position === 1 ? 'first' : 'ok',
    photos: [],
    scores: [],
  };
}

export const EVENT: AdverseEvent = {
  id: 'event-1',
  client_id: 'client-1',
  session_id: 'session-2',
  started_on: '2026-06-17',
  description: 'Prolonged erythema on the cheeks',
  severity: 'mild',
  resolved_on: null,
  outcome: '',
};

/** Two sessions, a follow-up visit and an adverse event after the second session, oldest first. */
export const ENTRIES: TimelineEntry[] = [
  sessionEntry('session-1', '2026-05-05', 1),
  sessionEntry('session-2', '2026-06-16', 2),
  { type: 'adverse_event', ...EVENT },
  {
    type: 'follow_up',
    visit: { id: 'visit-1', client_id: 'client-1', visited_on: '2026-08-01', notes: 'Six-week review' },
    photos: [],
    scores: [score({ id: 'score-1', recorded_on: '2026-08-01' })],
  },
];
