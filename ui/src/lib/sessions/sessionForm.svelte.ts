// What the session form knows and does, apart from how it looks: loading
// the client's record and the clinic's catalogue, the form and the draft it
// builds, the live care-warning check, whether anything was typed, and
// saving as a new session, an edit or an amendment (confirmed with the PIN
// of the person signed in). An edit is saved only over the session as the
// form was filled (`filled.seen`); when someone changed it since, the save
// is refused as a conflict and `reload` fills the form with their version.
// SessionForm.svelte and its parts only show this state and call its methods.
import { tick } from 'svelte';
import { getSettings, listDevices, listPractitioners, listProducts } from '../api/clinic';
import type { ClinicSettings, Device, Practitioner, Product } from '../api/clinic';
import { toApiError } from '../api/errors';
import type { ApiError } from '../api/errors';
import { clientRecord } from '../api/records';
import type { ClientRecord } from '../api/records';
import { amendSession, createSession, defaultSessionPlan, getSession, previewSession, updateSession } from '../api/sessions';
import type { CareWarning, SessionDraft, TreatmentSession } from '../api/sessions';
import { nowWallClock } from '../dates/wallclock';
import type { RecordChange } from '../api/live';
import { changeTo } from '../live/concerns';
import { FilledForm } from '../live/filled.svelte';
import { router } from '../shell/router.svelte';
import type { Route } from '../shell/routes';
import { Submission } from '../ui/submission.svelte';
import { courseLabel, latestSession, nextSessionLabel } from './course';
import { buildDraft, changedParts, formFromSession, isSessionField, newSessionForm, planZoneRows, productRow, zoneRow } from './draft';
import type { FormErrors, SessionForm } from './draft';
import { choosePractitioner, rememberPractitioner, rememberedPractitioner } from './practitioner';
import { livePreview } from './preview';
import { pinProblem } from './signature';
import { missingReasonsText, overridesFor, reasonsFromRecord, unanswered } from './warnings';
import type { Reasons } from './warnings';

export type SessionFormMode =
  | { mode: 'new'; clientId: string; sessionId?: undefined }
  | { mode: 'edit' | 'amend'; sessionId: string; clientId?: undefined };

export class SessionFormState {
  readonly mode: 'new' | 'edit' | 'amend';
  /** The session edited or amended; null for a new one. */
  readonly sessionId: string | null;
  readonly #newForClient: string | null;

  // What the form needs to know.
  record: ClientRecord | null = $state(null);
  settings: ClinicSettings | null = $state(null);
  practitioners: Practitioner[] = $state([]);
  devices: Device[] = $state([]);
  products: Product[] = $state([]);
  original: TreatmentSession | null = $state(null);
  loadFailure: ApiError | null = $state(null);
  #originalDraft: SessionDraft | null = null;

  form: SessionForm | null = $state(null);
  amendReason = $state('');
  /** The PIN that confirms an amendment as the signed-in person's; never kept past the save. */
  amendPin = $state('');
  #zonesTouched = false;
  #startingForm = '';

  // Live warnings.
  warnings: CareWarning[] = $state([]);
  reasons: Reasons = $state({});
  checking = $state(false);
  checked = $state(false);
  previewFailure: ApiError | null = $state(null);
  warningsFailure: string | null = $state(null);

  // Saving: the errors the Rust side gives per field, and the failure of the last save.
  submitted = $state(false);
  readonly submission = new Submission((field) => (isSessionField(field) ? field : null));
  /** The save refused as the session is signed, and when it was signed (read again). */
  lockedFailure: ApiError | null = $state(null);
  lockedAt: string | null = $state(null);
  /** The session the form was filled from (edit and amend), read again on "Reload". */
  readonly filled = new FilledForm<TreatmentSession>(
    () => getSession(this.sessionId ?? ''),
    (session) => this.#fillFrom(session),
  );
  /** Escape was pressed once on a form with changes; a second press discards them. */
  escapeArmed = $state(false);
  formElement: HTMLFormElement | undefined = $state();

  readonly clientId = $derived.by(() => this.record?.client.id ?? this.#newForClient ?? '');
  readonly plan = $derived(this.record && this.form?.plan_id ? (this.record.plans.find((p) => p.id === this.form!.plan_id) ?? null) : null);
  readonly device = $derived(this.form?.device_id ? (this.devices.find((d) => d.id === this.form!.device_id) ?? null) : null);
  readonly errors: FormErrors = $derived({
    ...(this.form && this.submitted ? buildDraft(this.form, this.clientId, 'save').errors : {}),
    ...this.submission.errors,
  });
  readonly previewDraft = $derived(this.form && this.clientId ? buildDraft(this.form, this.clientId, 'preview').draft : null);
  readonly missing = $derived(unanswered(this.warnings, this.reasons));
  readonly amendChanges: string[] = $derived.by(() => {
    if (this.mode !== 'amend' || !this.form || !this.#originalDraft) return [];
    const now = buildDraft(this.form, this.clientId, 'preview').draft;
    return now ? changedParts(this.#originalDraft, now) : [];
  });
  /** A signed session opened for editing: it changes only through an amendment. */
  readonly locked = $derived.by(() => this.mode === 'edit' && this.original?.signed_at != null);
  readonly title = $derived.by(() => (this.mode === 'new' ? 'New session' : this.mode === 'edit' ? 'Edit session' : 'Amend session'));
  readonly courseText = $derived.by(() => {
    const plan = this.plan;
    if (!plan) return 'Outside a treatment plan';
    if (this.original && this.original.plan_id === plan.id) {
      return `Session ${courseLabel(this.original.course_position, plan.sessions_planned) ?? ''}`;
    }
    return nextSessionLabel(plan);
  });
  /** Where Cancel and Back go: the client for a new session, else the session. */
  readonly backRoute: Route = $derived.by(() =>
    this.mode === 'new' ? { screen: 'client', id: this.clientId } : { screen: 'session', id: this.sessionId ?? '' },
  );

  readonly #preview = livePreview((draft: SessionDraft) => previewSession(draft, this.sessionId), {
    onBusy: (busy) => (this.checking = busy),
    onResult: (result) => {
      this.warnings = result;
      this.previewFailure = null;
      this.checked = true;
      if (unanswered(result, this.reasons).length === 0) this.warningsFailure = null;
    },
    onError: (error) => {
      this.previewFailure = toApiError(error);
      this.checked = false;
    },
    onClear: () => {
      this.warnings = [];
      this.previewFailure = null;
      this.checked = false;
    },
  });

  constructor(props: SessionFormMode) {
    this.mode = props.mode;
    this.sessionId = props.mode === 'new' ? null : props.sessionId;
    this.#newForClient = props.mode === 'new' ? props.clientId : null;
  }

  /** Checks the current draft for care warnings once typing pauses. */
  checkWarnings() {
    if (this.form) this.#preview.update(this.previewDraft);
  }

  dispose() {
    this.#preview.dispose();
  }

  /** A field changed: its refusal from the last save no longer holds, and Escape starts over. */
  changed(key: string) {
    this.submission.clear(key);
    this.escapeArmed = false;
  }

  choosePlan(id: string) {
    if (!this.form || !this.record) return;
    this.form.plan_id = id;
    this.changed('plan_id');
    // A new session not yet touched follows the plan's zones and target depths.
    if (this.mode === 'new' && !this.#zonesTouched) {
      const chosen = this.record.plans.find((p) => p.id === id) ?? null;
      this.form.zones = planZoneRows(chosen, latestSession(this.record.sessions));
    }
  }

  chooseAftercare(key: string) {
    if (!this.form || !this.settings) return;
    this.form.aftercare_template = key;
    const template = this.settings.aftercare_templates.find((t) => t.key === key);
    if (template) this.form.aftercare = template.text;
    this.changed('aftercare');
  }

  zoneChanged() {
    this.#zonesTouched = true;
    this.changed('zones');
  }

  /** Adds a zone row (with the passes of the row above) and returns its id. */
  addZone(): number | null {
    if (!this.form) return null;
    const row = zoneRow({ passes: this.form.zones[this.form.zones.length - 1]?.passes ?? '' });
    this.form.zones.push(row);
    this.zoneChanged();
    return row.id;
  }

  removeZone(id: number) {
    if (!this.form) return;
    this.form.zones = this.form.zones.filter((z) => z.id !== id);
    this.zoneChanged();
  }

  /** Adds a product row and returns its id. */
  addProduct(): number | null {
    if (!this.form) return null;
    const row = productRow();
    this.form.products.push(row);
    this.changed('products');
    return row.id;
  }

  removeProduct(id: number) {
    if (!this.form) return;
    this.form.products = this.form.products.filter((p) => p.id !== id);
    this.changed('products');
  }

  /** The reason given to proceed despite one care warning. */
  answer(key: string, reason: string) {
    this.reasons = { ...this.reasons, [key]: reason };
    if (unanswered(this.warnings, this.reasons).length === 0) this.warningsFailure = null;
  }

  /** Whether anything was typed since the form opened. */
  dirty(): boolean {
    return this.form !== null && (JSON.stringify(this.form) !== this.#startingForm || this.amendReason.trim() !== '');
  }

  cancel() {
    router.navigate(this.backRoute);
  }

  async #focusFirstProblem() {
    await tick();
    const target =
      this.formElement?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      document.querySelector<HTMLElement>('[data-testid="warning-reason"][data-missing="true"]');
    target?.focus();
  }

  async save() {
    if (!this.form || this.submission.saving) return;
    this.submitted = true;
    this.lockedFailure = null;
    const built = buildDraft(this.form, this.clientId, 'save');
    const amendProblems: FormErrors = {};
    if (this.mode === 'amend') {
      if (this.amendReason.trim() === '') amendProblems.reason = 'give the reason for the amendment';
      const pin = pinProblem(this.amendPin, 'the amendment');
      if (pin) amendProblems.pin = pin;
    }
    this.submission.check(amendProblems);
    if (!built.draft || Object.keys(amendProblems).length > 0 || Object.keys(built.errors).length > 0) {
      await this.#focusFirstProblem();
      return;
    }
    const draft = built.draft;
    await this.submission.run(async () => {
      try {
        await this.#saveChecked(draft);
      } catch (error) {
        const failure = toApiError(error);
        if (failure.kind === 'locked') await this.#refusedAsLocked(failure);
        else if (failure.kind === 'invalid' && failure.field === 'warnings') {
          this.warningsFailure = failure.message;
          this.#preview.refresh();
        } else throw failure;
      }
    });
    // A refused PIN is typed again from the start.
    if (this.submission.errors.pin) this.amendPin = '';
    if (Object.keys(this.submission.errors).length > 0 || this.warningsFailure) await this.#focusFirstProblem();
  }

  /** Saves `draft` once its care warnings, checked again, all have a reason. */
  async #saveChecked(draft: SessionDraft) {
    // The warnings shown may be a moment old: check the draft being saved.
    const current = await previewSession(draft, this.sessionId);
    this.warnings = current;
    this.checked = true;
    this.previewFailure = null;
    const stillMissing = unanswered(current, this.reasons);
    if (stillMissing.length > 0) {
      this.warningsFailure = `${missingReasonsText(stillMissing.length)} before the session can be saved`;
      return;
    }
    const overrides = overridesFor(current, this.reasons);
    let saved: TreatmentSession;
    if (this.sessionId === null) saved = await createSession(draft, overrides);
    else if (this.mode === 'edit') saved = await updateSession(this.sessionId, draft, overrides, this.filled.seen);
    else saved = await amendSession(this.sessionId, draft, overrides, this.amendReason.trim(), this.amendPin);
    this.amendPin = '';
    rememberPractitioner(draft.practitioner_id);
    // Back from the session page should not return to this form.
    router.navigate({ screen: 'session', id: saved.id }, { replace: true });
  }

  /** Signed elsewhere meanwhile: read when, to say it in local time. */
  async #refusedAsLocked(failure: ApiError) {
    this.lockedAt = this.sessionId === null ? null : await getSession(this.sessionId).then((stored) => stored.signed_at, () => null);
    this.lockedFailure = failure;
  }

  /**
   * Ctrl+Enter saves; Enter in a one-line field does nothing, except in the
   * amendment's PIN, typed last, where it saves; Escape cancels (twice when
   * something was typed).
   */
  keydown(event: KeyboardEvent) {
    if (event.isComposing) return;
    const target = event.target;
    if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
      // Enter in a one-line field does not save a half-written record.
      if (target instanceof HTMLInputElement && this.formElement?.contains(target) && target.type !== 'submit') {
        event.preventDefault();
        if (this.mode === 'amend' && target.name === 'pin') void this.save();
      }
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void this.save();
    } else if (event.key === 'Escape' && !event.defaultPrevented && !this.submission.saving) {
      event.preventDefault();
      // A session being written is not thrown away by one stray key.
      if (this.form && !this.escapeArmed && this.dirty()) {
        this.escapeArmed = true;
        return;
      }
      this.cancel();
    }
  }

  /**
   * Fills the form from the session as stored, replacing what was typed
   * (the amendment's reason stays; its PIN is typed again). Returns the form.
   */
  #fillFrom(session: TreatmentSession): SessionForm {
    const form = formFromSession(session);
    this.original = session;
    this.#originalDraft = buildDraft(form, session.client_id, 'preview').draft;
    this.reasons = reasonsFromRecord(session.warnings);
    this.form = form;
    this.#startingForm = JSON.stringify(form);
    this.#zonesTouched = false;
    this.amendPin = '';
    this.submitted = false;
    this.submission.check({});
    this.lockedFailure = null;
    this.warningsFailure = null;
    this.escapeArmed = false;
    return form;
  }

  /** Reads the session again and fills the form with it (after a conflict, or on the notice's "Reload"). */
  async reload() {
    await this.filled.reload();
  }

  /**
   * Other desktops changed records: when this session is among them, a
   * form nobody has typed in is filled afresh, and one being typed in
   * keeps what was typed and says the session changed.
   */
  heard(batch: readonly RecordChange[]) {
    if (this.sessionId === null || !this.form) return;
    const change = changeTo(batch, 'session', this.sessionId);
    if (change) void this.filled.heard(change.by, this.submission.saving || this.dirty());
  }

  /** Reads what the form needs, fills it (from the session, or with a new session's defaults) and focuses the first field. */
  async load() {
    try {
      let session: TreatmentSession | null = null;
      let forClient = this.#newForClient ?? '';
      if (this.sessionId !== null) {
        session = await getSession(this.sessionId);
        forClient = session.client_id;
      }
      const [record, settings, practitioners, devices, products, defaultPlan] = await Promise.all([
        clientRecord(forClient),
        getSettings(),
        listPractitioners(),
        listDevices(),
        listProducts(),
        session ? Promise.resolve(null) : defaultSessionPlan(forClient),
      ]);
      this.record = record;
      this.settings = settings;
      this.practitioners = practitioners;
      this.devices = devices;
      this.products = products;
      let form: SessionForm;
      if (session) {
        form = this.#fillFrom(session);
        this.filled.filled(session);
      } else {
        form = newSessionForm({
          now: nowWallClock(),
          practitionerId: choosePractitioner(rememberedPractitioner(), practitioners),
          plan: defaultPlan,
          previous: latestSession(record.sessions),
          devices,
          aftercare: settings.aftercare_templates[0] ?? null,
        });
      }
      this.form = form;
      this.#startingForm = JSON.stringify(form);
      await tick();
      const first = this.mode === 'amend' ? 'field-reason' : form.practitioner_id === '' ? 'field-practitioner_id' : `zone-${form.zones[0]?.id}`;
      document.getElementById(first)?.focus();
    } catch (error) {
      this.loadFailure = toApiError(error);
    }
  }
}
