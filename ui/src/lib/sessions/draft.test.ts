import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  buildDraft,
  changedParts,
  defaultDeviceId,
  formFromSession,
  newSessionForm,
  planZoneRows,
  productRow,
  productRowKey,
  zoneRow,
  zoneRowKey,
} from './draft';
import type { SessionForm } from './draft';
import { PEN, PLAN, SESSION } from './fixtures';

// Times are written with the offset of the session's day in the local zone.
beforeAll(() => {
  vi.stubEnv('TZ', 'Europe/Paris');
});
afterAll(() => {
  vi.unstubAllEnvs();
});

const NOW = { date: '2026-11-25', time: '10:30' };
const AFTERCARE = { key: 'standard', title: 'Standard aftercare', text: 'Keep the skin clean.' };

function form(values: Partial<SessionForm> = {}): SessionForm {
  return {
    ...newSessionForm({
      now: NOW,
      practitionerId: 'practitioner-1',
      plan: null,
      previous: null,
      devices: [],
      aftercare: null,
    }),
    ...values,
  };
}

describe('a new session', () => {
  it('follows the open plan: its zones at their target depths, passes and technique as last time', () => {
    const rows = planZoneRows(PLAN, SESSION);
    expect(rows.map(({ zone, depth, passes, technique }) => ({ zone, depth, passes, technique }))).toEqual([
      { zone: 'cheeks', depth: '1.5', passes: '4', technique: 'crosshatch' },
      { zone: 'chin', depth: '1', passes: '3', technique: '' },
    ]);
  });

  it('starts with one empty zone row without a plan', () => {
    expect(planZoneRows(null, null).map((r) => r.zone)).toEqual(['']);
  });

  it('defaults to now, the chosen practitioner, the plan, the last device and the aftercare template', () => {
    const built = newSessionForm({
      now: NOW,
      practitionerId: 'practitioner-1',
      plan: PLAN,
      previous: SESSION,
      devices: [PEN, { ...PEN, id: 'device-2' }],
      aftercare: AFTERCARE,
    });
    expect(built).toMatchObject({
      date: '2026-11-25',
      time: '10:30',
      practitioner_id: 'practitioner-1',
      plan_id: 'plan-1',
      device_id: 'device-1',
      cartridge: { product: 'Nano 36-pin cartridge', lot: '' },
      aftercare_template: 'standard',
      aftercare: 'Keep the skin clean.',
      products: [],
      pain: null,
    });
  });

  it('preselects the only device, or none when there is a choice', () => {
    expect(defaultDeviceId(null, [PEN])).toBe('device-1');
    expect(defaultDeviceId(null, [PEN, { ...PEN, id: 'device-2' }])).toBe('');
    expect(defaultDeviceId(SESSION, [{ ...PEN, archived: true }, { ...PEN, id: 'device-2' }])).toBe('device-2');
  });
});

describe('building the draft to save', () => {
  it('sends the time with the local offset of that day, and numbers for depths and passes', () => {
    const { draft, errors } = buildDraft(
      form({
        device_id: 'device-1',
        zones: [
          zoneRow({ zone: 'cheeks', depth: '1', passes: '3', technique: ' crosshatch ' }),
          zoneRow({ zone: 'forehead', depth: '0,5', passes: '2' }),
        ],
        products: [productRow({ product: ' HA serum ', lot: 'HA-1', phase: 'after' })],
        cartridge: { product: 'Nano 36', lot: 'C1' },
        endpoint: 'erythema',
        pain: 4,
        notes: '  calm  ',
      }),
      'client-1',
    );
    expect(errors).toEqual({});
    expect(draft).toEqual({
      client_id: 'client-1',
      practitioner_id: 'practitioner-1',
      started_at: '2026-11-25T10:30:00+01:00',
      plan_id: null,
      device_id: 'device-1',
      cartridge: { product: 'Nano 36', lot: 'C1' },
      anaesthetic: null,
      zones: [
        { zone: 'cheeks', depth_mm: 1, passes: 3, technique: 'crosshatch' },
        { zone: 'forehead', depth_mm: 0.5, passes: 2, technique: '' },
      ],
      products: [{ product: 'HA serum', lot: 'HA-1', phase: 'after' }],
      endpoint: 'erythema',
      pain: 4,
      immediate_reaction: '',
      adverse_events: '',
      aftercare: '',
      notes: 'calm',
    });
  });

  it('skips rows left empty', () => {
    const { draft } = buildDraft(
      form({ zones: [zoneRow({ zone: 'cheeks', depth: '1', passes: '3' }), zoneRow()], products: [productRow()] }),
      'c',
    );
    expect(draft?.zones).toHaveLength(1);
    expect(draft?.products).toEqual([]);
  });

  it('reports each problem beside its field or row, and sends nothing', () => {
    const zone = zoneRow({ zone: 'cheeks', depth: '0.125', passes: '3' });
    const passes = zoneRow({ zone: 'chin', depth: '1', passes: '30' });
    const product = productRow({ product: 'HA serum' });
    const { draft, errors } = buildDraft(
      form({
        time: '',
        practitioner_id: '',
        zones: [zone, passes],
        products: [product],
        cartridge: { product: '', lot: 'C1' },
        anaesthetic: { product: 'Lidocaine', lot: '', applied_at: '09:00', removed_at: '08:30' },
      }),
      'c',
    );
    expect(draft).toBeNull();
    expect(errors).toEqual({
      started_at: 'enter the date and time',
      practitioner_id: 'choose the practitioner who treated',
      [zoneRowKey(zone)]: '0.125 mm is finer than 0.01 mm',
      [zoneRowKey(passes)]: '30 passes is not possible; record 1 to 20',
      [productRowKey(product)]: 'each product needs its name and lot number',
      cartridge: 'a cartridge needs its name and lot number',
      anaesthetic: 'the anaesthetic was removed (08:30) before it was applied (09:00)',
    });
  });

  it('asks for a zone when none is filled in', () => {
    expect(buildDraft(form(), 'c').errors).toEqual({ zones: 'record at least one treated zone' });
  });

  it('asks for the anaesthetic product when only its times are given', () => {
    const a = { product: '', lot: '', applied_at: '09:00', removed_at: '' };
    const zones = [zoneRow({ zone: 'cheeks', depth: '1', passes: '3' })];
    expect(buildDraft(form({ anaesthetic: a, zones }), 'c').errors).toEqual({ anaesthetic: 'name the anaesthetic product' });
  });
});

describe('building the draft for the live warning check', () => {
  it('leaves out rows that are not complete yet', () => {
    const { draft, errors } = buildDraft(
      form({
        zones: [zoneRow({ zone: 'cheeks', depth: '1', passes: '3' }), zoneRow({ zone: 'chin', depth: '1.' })],
        products: [productRow({ product: 'HA serum' })],
        cartridge: { product: 'Nano', lot: '' },
      }),
      'c',
      'preview',
    );
    expect(errors).toEqual({});
    expect(draft?.zones.map((z) => z.zone)).toEqual(['cheeks']);
    expect(draft?.products).toEqual([]);
    expect(draft?.cartridge).toBeNull();
  });

  it('has nothing to check without a practitioner, a time or a complete zone', () => {
    const zones = [zoneRow({ zone: 'cheeks', depth: '1', passes: '3' })];
    expect(buildDraft(form({ zones, practitioner_id: '' }), 'c', 'preview').draft).toBeNull();
    expect(buildDraft(form({ zones, date: '' }), 'c', 'preview').draft).toBeNull();
    expect(buildDraft(form({ zones: [zoneRow({ zone: 'cheeks' })] }), 'c', 'preview').draft).toBeNull();
  });
});

describe('a stored session in the form', () => {
  it('fills every field, with the time in local time', () => {
    const filled = formFromSession(SESSION);
    expect(filled).toMatchObject({
      date: '2026-05-05',
      time: '11:00',
      practitioner_id: 'practitioner-1',
      plan_id: 'plan-1',
      device_id: 'device-1',
      cartridge: { product: 'Nano 36-pin cartridge', lot: 'C25-041' },
      anaesthetic: { product: 'Lidocaine 5% cream', lot: 'LD-7781', applied_at: '08:20', removed_at: '08:55' },
      endpoint: 'pinpoint_bleeding',
      pain: 6,
    });
    expect(filled.zones.map((z) => [z.zone, z.depth, z.passes, z.technique])).toEqual([
      ['cheeks', '1', '4', 'crosshatch'],
      ['chin', '0.75', '3', ''],
    ]);
    expect(filled.products.map((p) => [p.product, p.lot, p.phase])).toEqual([
      ['Hyaluronic acid 1.5% serum', 'HA-5521', 'during'],
      ['Mineral SPF 50', 'SPF-2290', 'after'],
    ]);
  });

  it('round-trips to a draft that changes nothing', () => {
    const original = buildDraft(formFromSession(SESSION), SESSION.client_id).draft!;
    expect(new Date(original.started_at).toISOString()).toBe('2026-05-05T09:00:00.000Z');
    expect(changedParts(original, original)).toEqual([]);
  });

  it('keeps the seconds of a stored time so an untouched time is no change', () => {
    const odd = { ...SESSION, started_at: '2026-05-05T09:00:42Z' };
    const draft = buildDraft(formFromSession(odd), odd.client_id).draft!;
    expect(new Date(draft.started_at).toISOString()).toBe('2026-05-05T09:00:42.000Z');
  });

  it('names what an amendment changes', () => {
    const filled = formFromSession(SESSION);
    const before = buildDraft(filled, SESSION.client_id).draft!;
    filled.zones[0].depth = '1.25';
    filled.pain = 5;
    const after = buildDraft(filled, SESSION.client_id).draft!;
    expect(changedParts(before, after)).toEqual(['zones', 'pain']);
  });
});
