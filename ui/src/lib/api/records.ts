// A client's treatment record over IPC: screenings, consents and plans beside
// the client, each as a typed function that returns a value or throws ApiError.
import { commands } from './bindings';
import type {
  ClientId, ClientRecord, Consent, ConsentId, ConsentKind, PlanInput, Screening, ScreeningAnswer,
  TreatmentPlan,
} from './bindings';
import { call } from './errors';

export type {
  ClientRecord, Concern, Consent, ConsentId, ConsentKind, PlanId, PlanInput, PlannedZone, Screening,
  ScreeningAnswer, TreatmentPlan,
} from './bindings';

/** The client with every screening, consent, plan and session. */
export function clientRecord(id: ClientId): Promise<ClientRecord> {
  return call(() => commands.clientRecord(id));
}

/** Records a screening taken on `takenOn` ("YYYY-MM-DD"); questions not answered count as "no". */
export function addScreening(clientId: ClientId, takenOn: string, answers: ScreeningAnswer[]): Promise<Screening> {
  return call(() => commands.addScreening(clientId, takenOn, answers));
}

/** Records a consent; `signature` is SVG path data ("M x y L x y …") or a typed name. */
export function addConsent(clientId: ClientId, kind: ConsentKind, givenOn: string, signature: string): Promise<Consent> {
  return call(() => commands.addConsent(clientId, kind, givenOn, signature));
}

export function revokeConsent(id: ConsentId, revokedOn: string, reason: string): Promise<Consent> {
  return call(() => commands.revokeConsent(id, revokedOn, reason));
}

/** Records a consultation and treatment plan; the client's earlier open plan is closed. */
export function addPlan(clientId: ClientId, input: PlanInput): Promise<TreatmentPlan> {
  return call(() => commands.addPlan(clientId, input));
}
