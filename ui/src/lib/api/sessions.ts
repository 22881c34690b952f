// Treatment sessions over IPC: the live care-warning check, saving, signing
// and amending. A signed session refuses edits with an ApiError of kind `locked`.
import { commands } from './bindings';
import type {
  ClientId, CareWarning, PractitionerId, SessionDraft, SessionId, TreatmentPlan, TreatmentSession,
  WarningOverride,
} from './bindings';
import { call } from './errors';

export type {
  Amendment, Anaesthetic, AnaestheticInput, CareWarning, Endpoint, LotInput, LotRef, LotUse, Phase,
  ProductInput, ProductUse, RecordedWarning, SessionDraft, SessionId, TreatedZone, TreatmentSession,
  WarningOverride, WarningRule, ZoneInput,
} from './bindings';

export function getSession(id: SessionId): Promise<TreatmentSession> {
  return call(() => commands.getSession(id));
}

/** The plan a new session for the client follows unless another is picked (the core decides: the open plan), or null. */
export function defaultSessionPlan(clientId: ClientId): Promise<TreatmentPlan | null> {
  return call(() => commands.defaultSessionPlan(clientId));
}

/** The care warnings `draft` raises, writing nothing. `editing` is the session being changed, if any. */
export function previewSession(draft: SessionDraft, editing: SessionId | null): Promise<CareWarning[]> {
  return call(() => commands.previewSession(draft, editing));
}

export function createSession(draft: SessionDraft, overrides: WarningOverride[]): Promise<TreatmentSession> {
  return call(() => commands.createSession(draft, overrides));
}

/** Changes an unsigned session; a signed one is refused with kind `locked`. */
export function updateSession(
  id: SessionId,
  draft: SessionDraft,
  overrides: WarningOverride[],
): Promise<TreatmentSession> {
  return call(() => commands.updateSession(id, draft, overrides));
}

export function signSession(id: SessionId, by: PractitionerId): Promise<TreatmentSession> {
  return call(() => commands.signSession(id, by));
}

/** Changes a signed session; the amendment keeps `reason` and what changed. */
export function amendSession(
  id: SessionId,
  draft: SessionDraft,
  overrides: WarningOverride[],
  reason: string,
): Promise<TreatmentSession> {
  return call(() => commands.amendSession(id, draft, overrides, reason));
}
