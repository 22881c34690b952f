// The progress wrappers against the generated bindings, with Tauri's invoke
// replaced: the command and argument names the Rust side receives.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.hoisted(() => vi.fn());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

const progress = await import('./progress');

type Call = [() => Promise<unknown>, string, Record<string, unknown>?];

async function check([run, command, args]: Call) {
  invoke.mockClear();
  await run();
  if (args === undefined) expect(invoke, command).toHaveBeenLastCalledWith(command);
  else expect(invoke, command).toHaveBeenLastCalledWith(command, args);
}

describe('progress commands', () => {
  beforeEach(() => {
    invoke.mockReset();
    invoke.mockResolvedValue({});
  });

  it('name each command and argument as the Rust side expects', async () => {
    const subject = { session_id: null, follow_up_id: 'f1', before_photo_id: null, after_photo_id: null };
    for (const call of [
      [() => progress.clientTimeline('c1'), 'client_timeline', { clientId: 'c1' }],
      [() => progress.listScales(), 'list_scales'],
      [
        () => progress.addScore('c1', 'gais_practitioner', 2, '2026-11-25', subject, 'softer scars'),
        'add_score',
        { input: { client_id: 'c1', scale: 'gais_practitioner', value: 2, recorded_on: '2026-11-25', subject, note: 'softer scars' } },
      ],
      [() => progress.addFollowUp('c1', '2026-11-25', 'six-week review'), 'add_follow_up', { clientId: 'c1', visitedOn: '2026-11-25', notes: 'six-week review' }],
      [
        () => progress.reportAdverseEvent('c1', 's1', '2026-11-26', 'prolonged erythema', 'mild'),
        'report_adverse_event',
        { input: { client_id: 'c1', session_id: 's1', started_on: '2026-11-26', description: 'prolonged erythema', severity: 'mild' } },
      ],
      [
        () => progress.reportAdverseEvent('c1', null, '2026-11-26', 'bruising', 'moderate'),
        'report_adverse_event',
        { input: { client_id: 'c1', session_id: null, started_on: '2026-11-26', description: 'bruising', severity: 'moderate' } },
      ],
      [
        () => progress.resolveAdverseEvent('a1', '2026-12-01', 'settled with aftercare'),
        'resolve_adverse_event',
        { id: 'a1', resolvedOn: '2026-12-01', outcome: 'settled with aftercare' },
      ],
    ] as Call[]) {
      await check(call);
    }
  });

  it('turns a refused score into an ApiError naming the field', async () => {
    invoke.mockRejectedValueOnce({ kind: 'invalid', message: 'GAIS (practitioner) 7 is outside its range 1 to 5', field: 'value' });
    const subject = { session_id: 's1', follow_up_id: null, before_photo_id: null, after_photo_id: null };
    await expect(progress.addScore('c1', 'gais_practitioner', 7, '2026-11-25', subject, '')).rejects.toMatchObject({
      kind: 'invalid',
      field: 'value',
    });
  });

  it('turns an already resolved event into a conflict', async () => {
    invoke.mockRejectedValueOnce({ kind: 'conflict', message: 'adverse event a1 is already resolved', field: null });
    await expect(progress.resolveAdverseEvent('a1', '2026-12-01', '')).rejects.toMatchObject({ kind: 'conflict' });
  });
});
