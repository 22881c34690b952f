// Lot recall: who received a lot, summed up for the practitioner who must
// contact them.
import type { RecallHit } from '../api/clinic';

/** "3 sessions · 2 clients"; "No session used this lot" for none. */
export function recallSummary(hits: readonly RecallHit[]): string {
  if (hits.length === 0) return 'No session used this lot';
  const clients = new Set(hits.map((h) => h.client_id)).size;
  const sessions = new Set(hits.map((h) => h.session_id)).size;
  return `${sessions} ${sessions === 1 ? 'session' : 'sessions'} · ${clients} ${clients === 1 ? 'client' : 'clients'}`;
}
