// Where a photo was taken — a session, a follow-up visit, or neither — as
// the one value a "Taken at" select holds, and back.
import type { FollowUp } from '../api/progress';
import { formatDate } from '../dates/calendar';

const VISIT = 'visit:';

/** The select's value: the session id, `visit:<id>`, or '' for neither. */
export function placeValue(sessionId: string, followUpId: string): string {
  if (sessionId !== '') return sessionId;
  return followUpId !== '' ? `${VISIT}${followUpId}` : '';
}

/** The session and visit a select value stands for ('' where none). */
export function fromPlace(value: string): { sessionId: string; followUpId: string } {
  if (value.startsWith(VISIT)) return { sessionId: '', followUpId: value.slice(VISIT.length) };
  return { sessionId: value, followUpId: '' };
}

/** "Follow-up visit, 9 Nov 2026". */
export function visitChoiceLabel(visit: Pick<FollowUp, 'visited_on'>, locale?: string): string {
  return `Follow-up visit, ${formatDate(visit.visited_on, locale)}`;
}
