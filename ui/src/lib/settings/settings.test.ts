import { describe, expect, it } from 'vitest';
import type { ClinicSettings } from '../api/clinic';
import {
  CAPTURE_POSE_CHOICES,
  COSIGN_RULES,
  addPose,
  capturePosesProblem,
  deviceInput,
  emptyDeviceForm,
  emptyLotForm,
  emptyPractitionerForm,
  emptyProductForm,
  lotInput,
  movePose,
  posesLeft,
  practitionerInput,
  productInput,
  removePose,
  settingsForm,
  settingsFromForm,
  zoneGuideKey,
  zoneGuideRow,
  zoneKey,
} from './settings';

const SETTINGS: ClinicSettings = {
  clinic_name: 'My clinic',
  min_interval_days: 28,
  usual_interval_days: 42,
  screening_valid_days: 180,
  screening_version: 1,
  screening_questions: [{ key: 'herpes', text: 'Cold sores', concern: 'caution', wait_days: null }],
  zones: [
    { key: 'forehead', name: 'Forehead', min_depth: 0.25, max_depth: 0.5 },
    { key: 'cheeks', name: 'Cheeks', min_depth: 0.5, max_depth: 1.5 },
  ],
  aftercare_templates: [{ key: 'standard', title: 'Standard aftercare', text: 'Keep clean.' }],
  consent_template_version: '2026-1',
  idle_lock_minutes: 5,
  cosign: 'never',
  retention_years: 10,
  capture_poses: ['front', 'left_45', 'right_45'],
};

describe('settings form', () => {
  it('round-trips the stored settings unchanged', () => {
    expect(settingsFromForm(settingsForm(SETTINGS), SETTINGS)).toEqual({ settings: SETTINGS, errors: {} });
  });

  it('keeps zone keys, gives new zones a key from their name, and reads depths typed with a comma', () => {
    const form = settingsForm(SETTINGS);
    form.zones[0].name = 'Brow';
    form.zones[1].max = '1,75';
    form.zones.push(zoneGuideRow({ name: 'Upper arms', min: '0.5', max: '1.5' }));
    form.zones.push(zoneGuideRow({ name: 'Cheeks', min: '0.5', max: '1' }));
    const { settings } = settingsFromForm(form, SETTINGS);
    expect(settings?.zones).toEqual([
      { key: 'forehead', name: 'Brow', min_depth: 0.25, max_depth: 0.5 },
      { key: 'cheeks', name: 'Cheeks', min_depth: 0.5, max_depth: 1.75 },
      { key: 'upper_arms', name: 'Upper arms', min_depth: 0.5, max_depth: 1.5 },
      { key: 'cheeks_2', name: 'Cheeks', min_depth: 0.5, max_depth: 1 },
    ]);
  });

  it('reports each problem', () => {
    const form = settingsForm(SETTINGS);
    form.min_interval_days = '0';
    form.usual_interval_days = '14';
    form.screening_valid_days = '';
    form.zones[0].min = '0.75';
    const nameless = zoneGuideRow({ min: '1', max: '2' });
    form.zones.push(nameless);
    expect(settingsFromForm(form, SETTINGS).errors).toEqual({
      min_interval_days: 'use 1 to 365 days',
      screening_valid_days: 'a screening must stay valid for at least one day',
      [zoneGuideKey(form.zones[0])]: 'the guide range 0.75 to 0.5 mm is reversed',
      [zoneGuideKey(nameless)]: 'name the zone',
    });
    form.min_interval_days = '28';
    expect(settingsFromForm(form, SETTINGS).errors.usual_interval_days).toBe('the usual interval is shorter than the minimum');
  });

  it('saves the idle lock and the co-signature rule', () => {
    const form = settingsForm(SETTINGS);
    form.idle_lock_minutes = ' 15 ';
    form.cosign = 'non_prescribers';
    expect(settingsFromForm(form, SETTINGS).settings).toEqual({ ...SETTINGS, idle_lock_minutes: 15, cosign: 'non_prescribers' });
  });

  it('allows 1 to 60 idle minutes, as the core does', () => {
    for (const [typed, error] of [
      ['1', undefined],
      ['60', undefined],
      ['0', 'use 1 to 60 minutes'],
      ['61', 'use 1 to 60 minutes'],
      ['2.5', 'use 1 to 60 minutes'],
      ['', 'use 1 to 60 minutes'],
    ] as const) {
      const form = { ...settingsForm(SETTINGS), idle_lock_minutes: typed };
      expect(settingsFromForm(form, SETTINGS).errors.idle_lock_minutes, `"${typed}" idle minutes`).toBe(error);
    }
  });

  it('starts from the defaults when the stored settings predate the idle lock, co-signature and retention', () => {
    const { idle_lock_minutes: _idle, cosign: _cosign, retention_years: _retention, ...older } = SETTINGS;
    const form = settingsForm(older);
    expect([form.idle_lock_minutes, form.cosign, form.retention_years]).toEqual(['5', 'never', '10']);
  });

  it('saves how many years records are kept after the last visit', () => {
    const form = { ...settingsForm(SETTINGS), retention_years: ' 25 ' };
    expect(settingsFromForm(form, SETTINGS).settings).toEqual({ ...SETTINGS, retention_years: 25 });
  });

  it('allows 1 to 100 years of retention, as the core does', () => {
    for (const [typed, error] of [
      ['1', undefined],
      ['100', undefined],
      ['0', 'use 1 to 100 years'],
      ['101', 'use 1 to 100 years'],
      ['7.5', 'use 1 to 100 years'],
      ['ten', 'use 1 to 100 years'],
      ['', 'use 1 to 100 years'],
    ] as const) {
      const form = { ...settingsForm(SETTINGS), retention_years: typed };
      expect(settingsFromForm(form, SETTINGS).errors.retention_years, `"${typed}" years`).toBe(error);
    }
  });

  it('saves the poses a phone capture walks through, in the order set', () => {
    const form = settingsForm(SETTINGS);
    form.capture_poses = addPose(movePose(form.capture_poses, 2, -1), 'left_90');
    expect(settingsFromForm(form, SETTINGS).settings?.capture_poses).toEqual(['front', 'right_45', 'left_45', 'left_90']);
  });

  it('starts from the usual three poses when the stored settings predate them', () => {
    const { capture_poses: _poses, ...older } = SETTINGS;
    expect(settingsForm(older).capture_poses).toEqual(['front', 'left_45', 'right_45']);
  });

  it('asks for 1 to 5 named poses, each once, as the core does', () => {
    for (const [poses, problem] of [
      [['front'], null],
      [['right_90', 'left_90', 'front', 'left_45', 'right_45'], null],
      [[], 'a capture asks for at least one pose'],
      [['front', 'custom'], 'a capture pose must be one of the named poses'],
      [['front', 'left_45', 'front'], 'each pose is asked for once'],
    ] as const) {
      expect(capturePosesProblem(poses), poses.join(', ')).toBe(problem);
      const form = { ...settingsForm(SETTINGS), capture_poses: [...poses] };
      expect(settingsFromForm(form, SETTINGS).errors.capture_poses, poses.join(', ')).toBe(problem ?? undefined);
    }
  });

  it('moves, adds and removes poses without repeating one or leaving the list', () => {
    const poses = ['front', 'left_45', 'right_45'] as const;
    expect(movePose(poses, 0, 1)).toEqual(['left_45', 'front', 'right_45']);
    expect(movePose(poses, 0, -1), 'the first cannot go earlier').toEqual(poses);
    expect(movePose(poses, 2, 1), 'the last cannot go later').toEqual(poses);
    expect(addPose(poses, 'front'), 'a pose is in the list once').toEqual(poses);
    expect(removePose(poses, 'left_45')).toEqual(['front', 'right_45']);
    expect(posesLeft(poses)).toEqual(['left_90', 'right_90']);
    expect(posesLeft([])).toEqual(CAPTURE_POSE_CHOICES.map((c) => c.value));
    expect(CAPTURE_POSE_CHOICES.map((c) => c.label)).toEqual(['Front', 'Left 45°', 'Right 45°', 'Left 90°', 'Right 90°']);
  });

  it('offers every co-signature rule once', () => {
    expect(COSIGN_RULES.map((rule) => rule.value)).toEqual(['never', 'non_prescribers', 'everyone']);
  });

  it('makes zone keys plain', () => {
    expect(zoneKey('Décolletage', new Set())).toBe('decolletage');
    expect(zoneKey('  Upper lip (left) ', new Set(['upper_lip_left']))).toBe('upper_lip_left_2');
    expect(zoneKey('!!!', new Set())).toBe('zone');
  });
});

describe('device form', () => {
  it('sends depths in mm, with no evaluated limit when left empty', () => {
    const form = { ...emptyDeviceForm(), model: ' Auriga ', serial: 'A-1', max: '2.5' };
    expect(deviceInput(form)).toEqual({
      input: {
        model: 'Auriga',
        serial: 'A-1',
        min_depth_mm: 0.25,
        max_depth_mm: 2.5,
        step_mm: 0.25,
        evaluated_up_to_mm: null,
      },
      errors: {},
    });
  });

  it('reports each problem', () => {
    const form = { ...emptyDeviceForm(), max: '0.25', step: '0', evaluated: 'x' };
    expect(deviceInput(form).errors).toEqual({
      model: 'enter the device model',
      max_depth_mm: 'the deepest setting must be above the shallowest',
      step_mm: 'enter the step between settings in mm',
      evaluated_up_to_mm: 'enter a depth in mm, or leave it empty',
    });
  });
});

describe('adding to the catalogue', () => {
  it('adds a practitioner by name, credentials optional', () => {
    expect(practitionerInput(emptyPractitionerForm()).errors).toEqual({ name: 'enter the practitioner’s name' });
    expect(practitionerInput({ name: '  Ana Ruiz ', credentials: ' RN ' }).input).toEqual({ name: 'Ana Ruiz', credentials: 'RN' });
  });

  it('keeps a needle count only for a cartridge, and refuses one that is not a whole number', () => {
    const serum = { ...emptyProductForm(), name: 'Hyaluronic serum', needles: '36' };
    expect(productInput(serum).input, 'a serum has no needles').toEqual({ name: 'Hyaluronic serum', kind: 'serum', manufacturer: '', needleCount: null });
    const cartridge = { ...serum, name: 'Nano 36', kind: 'cartridge' as const };
    expect(productInput(cartridge).input?.needleCount).toBe(36);
    expect(productInput({ ...cartridge, needles: '' }).input?.needleCount, 'the count may be left out').toBeNull();
    expect(productInput({ ...cartridge, needles: '3.5' }).errors).toEqual({ needle_count: 'the needle count is a whole number' });
    expect(productInput({ ...cartridge, name: ' ' }).errors).toEqual({ name: 'enter the product name' });
  });

  it('adds a lot by number, the expiry optional', () => {
    expect(lotInput(emptyLotForm()).errors).toEqual({ lot_number: 'enter the lot number' });
    expect(lotInput({ lotNumber: ' A123 ', expires: '' }).input).toEqual({ lotNumber: 'A123', expiresOn: null });
    expect(lotInput({ lotNumber: 'A123', expires: '2027-01-31' }).input?.expiresOn).toBe('2027-01-31');
  });
});
