// The treatment-record wrappers against the generated bindings, with Tauri's
// invoke replaced: the command and argument names the Rust side receives.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

const records = await import('./records');
const sessions = await import('./sessions');
const clinic = await import('./clinic');

const DRAFT = {
  client_id: 'c1',
  practitioner_id: 'p1',
  started_at: '2026-11-25T10:30:00+01:00',
  plan_id: null,
  device_id: null,
  cartridge: null,
  anaesthetic: null,
  zones: [{ zone: 'cheeks', depth_mm: 1, passes: 3, technique: '' }],
  products: [],
  endpoint: null,
  pain: null,
  immediate_reaction: '',
  adverse_events: '',
  aftercare: '',
  notes: '',
};
const OVERRIDES = [{ rule: 'caution' as const, subject: 'herpes', reason: 'prophylaxis taken' }];

type Call = [() => Promise<unknown>, string, Record<string, unknown>?];

/** Runs a wrapper and checks the command and arguments it sent. */
async function check([run, command, args]: Call) {
  invoke.mockClear();
  await run();
  if (args === undefined) expect(invoke, command).toHaveBeenLastCalledWith(command);
  else expect(invoke, command).toHaveBeenLastCalledWith(command, args);
}

describe('treatment-record commands', () => {
  beforeEach(() => {
    invoke.mockReset();
    invoke.mockResolvedValue({});
  });

  it('name each record command and argument as the Rust side expects', async () => {
    const answers = [{ key: 'herpes', yes: true, last_on: null, note: '' }];
    const plan = {
      created_on: '2026-11-01',
      goals: '',
      concerns: '',
      skin_assessment: '',
      zones: [{ zone: 'cheeks', target_depth: 1.5 }],
      sessions_planned: 6,
      interval_days: 42,
    };
    for (const call of [
      [() => records.clientRecord('c1'), 'client_record', { id: 'c1' }],
      [() => records.addScreening('c1', '2026-11-25', answers), 'add_screening', { clientId: 'c1', takenOn: '2026-11-25', answers }],
      [
        () => records.addConsent('c1', 'treatment', '2026-11-25', 'M 1 2 L 3 4'),
        'add_consent',
        { clientId: 'c1', kind: 'treatment', givenOn: '2026-11-25', signature: 'M 1 2 L 3 4' },
      ],
      [() => records.revokeConsent('k1', '2026-11-25', 'moved away'), 'revoke_consent', { id: 'k1', revokedOn: '2026-11-25', reason: 'moved away' }],
      [() => records.addPlan('c1', plan), 'add_plan', { clientId: 'c1', input: plan }],
    ] as Call[]) {
      await check(call);
    }
  });

  it('name each session command and argument as the Rust side expects', async () => {
    for (const call of [
      [() => sessions.getSession('s1'), 'get_session', { id: 's1' }],
      [() => clinic.roleMatrix(), 'role_matrix'],
      [() => sessions.defaultSessionPlan('c1'), 'default_session_plan', { clientId: 'c1' }],
      [() => sessions.previewSession(DRAFT, null), 'preview_session', { draft: DRAFT, editing: null }],
      [() => sessions.createSession(DRAFT, OVERRIDES), 'create_session', { draft: DRAFT, overrides: OVERRIDES }],
      [() => sessions.updateSession('s1', DRAFT, [], null), 'update_session', { id: 's1', draft: DRAFT, overrides: [], seen: null }],
      [
        () => sessions.updateSession('s1', DRAFT, [], '2026-11-25T10:20:00.123456Z'),
        'update_session',
        { id: 's1', draft: DRAFT, overrides: [], seen: '2026-11-25T10:20:00.123456Z' },
      ],
      [() => sessions.signSession('s1', '4821'), 'sign_session', { id: 's1', pin: '4821' }],
      [() => sessions.cosignSession('s1', '1357'), 'cosign_session', { id: 's1', pin: '1357' }],
      [() => sessions.sessionsToCosign(), 'sessions_to_cosign'],
      [
        () => sessions.amendSession('s1', DRAFT, OVERRIDES, 'typo', '4821'),
        'amend_session',
        { id: 's1', draft: DRAFT, overrides: OVERRIDES, reason: 'typo', pin: '4821' },
      ],
    ] as Call[]) {
      await check(call);
    }
  });

  it('name each clinic command and argument as the Rust side expects', async () => {
    const device = { model: 'Pen', serial: '', min_depth_mm: 0.25, max_depth_mm: 2.5, step_mm: 0.25, evaluated_up_to_mm: null };
    for (const call of [
      [() => clinic.getSettings(), 'get_settings'],
      [() => clinic.listPractitioners(), 'list_practitioners'],
      [() => clinic.addPractitioner('Dr Test', 'MD'), 'add_practitioner', { name: 'Dr Test', credentials: 'MD' }],
      [() => clinic.listDevices(), 'list_devices'],
      [() => clinic.addDevice(device), 'add_device', { input: device }],
      [() => clinic.listProducts(), 'list_products'],
      [() => clinic.addProduct('Nano', 'cartridge', '', 36), 'add_product', { name: 'Nano', kind: 'cartridge', manufacturer: '', needleCount: 36 }],
      [() => clinic.addLot('pr1', 'C-1', null), 'add_lot', { productId: 'pr1', lotNumber: 'C-1', expiresOn: null }],
      [() => clinic.recallLot('  C-1 '), 'recall_lot', { lotNumber: 'C-1' }],
    ] as Call[]) {
      await check(call);
    }
  });

  it('turns a locked refusal into an ApiError a screen can branch on', async () => {
    invoke.mockRejectedValueOnce({ kind: 'locked', message: 'session s1 was signed on 2026-11-25 10:20 UTC', field: null });
    await expect(sessions.updateSession('s1', DRAFT, [], null)).rejects.toMatchObject({ kind: 'locked', field: null });
  });

  it('turns a save from a stale form into a conflict the form can offer to reload', async () => {
    const message = "Maya Lewis changed this session a moment ago, after you opened it, on another computer or window. Nothing was saved: reload to see their changes, then make yours again.";
    invoke.mockRejectedValueOnce({ kind: 'conflict', message, field: null });
    await expect(sessions.updateSession('s1', DRAFT, [], '2026-11-25T10:20:00Z')).rejects.toMatchObject({ kind: 'conflict', message });
  });

  it('keeps the field of a refused PIN, so the screen can say it beside the PIN', async () => {
    invoke.mockRejectedValueOnce({ kind: 'invalid', message: 'wrong PIN; 4 tries left before the passphrase is needed', field: 'pin' });
    await expect(sessions.signSession('s1', '0000')).rejects.toMatchObject({ kind: 'invalid', field: 'pin' });
  });

  it('keeps the field of a refusal for missing warning reasons', async () => {
    invoke.mockRejectedValueOnce({ kind: 'invalid', message: '1 care warning needs a reason', field: 'warnings' });
    await expect(sessions.createSession(DRAFT, [])).rejects.toMatchObject({ kind: 'invalid', field: 'warnings' });
  });
});
