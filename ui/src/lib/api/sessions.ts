// Treatment sessions over IPC: the live care-warning check, saving, signing
// and amending. A signed session refuses edits with an ApiError of kind `locked`.
import { commands } from './bindings';
import type {
  ClientId, CareWarning, SessionDraft, SessionId, TreatmentPlan, TreatmentSession,
  WarningOverride,
} from './bindings';
import { call } from './errors';

export type {
  Amendment, Anaesthetic, AnaestheticInput, CareWarning, Endpoint, LotInput, LotRef, LotUse, Phase,
  ProductInput, ProductUse, RecordedWarning, SessionDraft, SessionId, Signature, TreatedZone, TreatmentSession,
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

/**
 * Changes an unsigned session; a signed one is refused with kind `locked`.
 * `seen` is the session's `updated_at` when the form was filled: a session
 * changed since (on another computer or window) is refused with kind
 * `conflict`, and nothing is saved.
 */
export function updateSession(
  id: SessionId,
  draft: SessionDraft,
  overrides: WarningOverride[],
  seen: string | null,
): Promise<TreatmentSession> {
  return call(() => commands.updateSession(id, draft, overrides, seen));
}

/** Signs a session as the person signed in, confirmed with their PIN. */
export function signSession(id: SessionId, pin: string): Promise<TreatmentSession> {
  return call(() => commands.signSession(id, pin));
}

/** Co-signs a session that waits for it, with the co-signer's PIN. */
export function cosignSession(id: SessionId, pin: string): Promise<TreatmentSession> {
  return call(() => commands.cosignSession(id, pin));
}

/** Signed sessions waiting for a co-signature, oldest first. */
export function sessionsToCosign(): Promise<TreatmentSession[]> {
  return call(() => commands.sessionsToCosign());
}

/** Changes a signed session; the amendment keeps `reason`, what changed, and who (confirmed with their PIN). */
export function amendSession(
  id: SessionId,
  draft: SessionDraft,
  overrides: WarningOverride[],
  reason: string,
  pin: string,
): Promise<TreatmentSession> {
  return call(() => commands.amendSession(id, draft, overrides, reason, pin));
}
