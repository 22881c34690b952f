// A client's progress over IPC: the timeline (sessions, follow-up visits and
// adverse events with the chart series), the outcome scales, and recording
// scores, visits and adverse events followed to resolution.
import { commands } from './bindings';
import type {
  AdverseEvent, AdverseEventId, ClientId, FollowUp, OutcomeScore, Scale, ScaleInfo, ScoreSubject, SessionId,
  Severity, Timeline,
} from './bindings';
import { call } from './errors';

export type {
  AdverseEvent, AdverseEventId, DepthPoint, DepthSeries, FollowUp, FollowUpEntry, FollowUpId, IntervalFlag,
  OutcomeScore, PhotoRef, Scale, ScaleInfo, ScorePoint, ScoreSeries, ScoreSubject, SessionEntry, SessionId,
  Severity, Timeline, TimelineEntry,
} from './bindings';

/** Everything the timeline screen shows, in one call: entries oldest first, chart series, next due date. */
export function clientTimeline(clientId: ClientId): Promise<Timeline> {
  return call(() => commands.clientTimeline(clientId));
}

/** The clinical scales with their range, step and labels. */
export function listScales(): Promise<ScaleInfo[]> {
  return call(() => commands.listScales());
}

/** Records a score on `scale`, on `recordedOn` ("YYYY-MM-DD"), about a session, a visit or a photo pair. */
export function addScore(
  clientId: ClientId,
  scale: Scale,
  value: number,
  recordedOn: string,
  subject: ScoreSubject,
  note: string,
): Promise<OutcomeScore> {
  return call(() => commands.addScore({ client_id: clientId, scale, value, recorded_on: recordedOn, subject, note }));
}

/** Records a follow-up visit (no needling) on `visitedOn`. */
export function addFollowUp(clientId: ClientId, visitedOn: string, notes: string): Promise<FollowUp> {
  return call(() => commands.addFollowUp(clientId, visitedOn, notes));
}

/** Reports an adverse event that started on `startedOn`, after a session when it is known. */
export function reportAdverseEvent(
  clientId: ClientId,
  sessionId: SessionId | null,
  startedOn: string,
  description: string,
  severity: Severity,
): Promise<AdverseEvent> {
  return call(() =>
    commands.reportAdverseEvent({ client_id: clientId, session_id: sessionId, started_on: startedOn, description, severity }),
  );
}

/** Marks an open adverse event resolved on `resolvedOn`, with how it ended. */
export function resolveAdverseEvent(id: AdverseEventId, resolvedOn: string, outcome: string): Promise<AdverseEvent> {
  return call(() => commands.resolveAdverseEvent(id, resolvedOn, outcome));
}
