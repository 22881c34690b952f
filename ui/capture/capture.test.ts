// The capture page's rules, without a browser: what the phone sends to the
// computer (the upload's address, the photo's name), which shot it asks for
// next, and what it tells the practitioner.
import { describe, expect, it } from 'vitest';
import {
  MAX_UPLOAD_BYTES,
  cameraProblem,
  captureName,
  conditionLabel,
  describeOutcome,
  errorText,
  groupShots,
  keepKind,
  kindLabel,
  nextShot,
  orientationHint,
  poseLabel,
  progressPercent,
  readPlan,
  sequenceText,
  shotKey,
  shotTitle,
  sizeProblem,
  uploadUrl,
  withTaken,
} from './capture.js';

type Shot = { zone: string; zone_name: string; pose: string; guide: string | null; taken: string[] };

function shot(zone: string, pose: string, guide: string | null = null, taken: string[] = []): Shot {
  const names: Record<string, string> = { cheeks: 'Cheeks', forehead: 'Forehead', upper_lip: 'Upper lip' };
  return { zone, zone_name: names[zone] ?? zone, pose, guide, taken };
}

const PLAN = [
  shot('cheeks', 'front', '/guide/a'),
  shot('cheeks', 'left_45'),
  shot('cheeks', 'right_45'),
  shot('forehead', 'front'),
  shot('forehead', 'left_90'),
];

function taken(...shots: Shot[]): Set<string> {
  return new Set(shots.map(shotKey));
}

describe('labels', () => {
  it('name the kinds, poses and conditions as the practitioner reads them', () => {
    expect(['before', 'after', 'progress'].map(kindLabel)).toEqual(['Before', 'After', 'Progress']);
    expect(['front', 'left_45', 'right_45', 'left_90', 'right_90'].map(poseLabel)).toEqual([
      'Front',
      'Left 45°',
      'Right 45°',
      'Left 90°',
      'Right 90°',
    ]);
    expect(['makeup_off', 'usual_lighting', 'usual_distance', 'hair_back', 'plain_background'].map(conditionLabel)).toEqual([
      'Make-up off',
      'Usual lighting',
      'Usual distance',
      'Hair held back',
      'Plain background',
    ]);
  });

  it('read a value the page does not know yet as words, never as a key', () => {
    expect(poseLabel('chin_up')).toBe('Chin up');
    expect(conditionLabel('no_jewellery')).toBe('No jewellery');
    expect(kindLabel('touch_up')).toBe('Touch up');
  });

  it('do not take a key inherited by every object for a label', () => {
    expect(poseLabel('constructor')).toBe('Constructor');
  });

  it('title a shot by its zone name and pose, falling back to the zone key', () => {
    expect(shotTitle(shot('upper_lip', 'right_90'))).toBe('Upper lip · Right 90°');
    expect(shotTitle({ zone: 'chin', zone_name: '', pose: 'front', guide: null, taken: [] })).toBe('chin · Front');
  });
});

describe('the upload address', () => {
  function check(url: string, expected: Record<string, string>) {
    const [path, query] = url.split('?');
    expect(path).toBe('/upload');
    expect(Object.fromEntries(new URLSearchParams(query))).toEqual(expected);
  }

  it('says the kind, zone, pose, ticked conditions and file name', () => {
    check(uploadUrl(shot('cheeks', 'left_45'), 'after', ['makeup_off', 'hair_back'], 'IMG_0042.HEIC'), {
      kind: 'after',
      zone: 'cheeks',
      pose: 'left_45',
      conditions: 'makeup_off,hair_back',
      name: 'IMG_0042.HEIC',
    });
  });

  it('sends an empty list when nothing is ticked, which the computer reads as no conditions', () => {
    check(uploadUrl(shot('forehead', 'front'), 'before', [], 'a.jpg'), {
      kind: 'before',
      zone: 'forehead',
      pose: 'front',
      conditions: '',
      name: 'a.jpg',
    });
  });

  it('escapes what would break the query: a name with &, = and spaces arrives whole', () => {
    const url = uploadUrl(shot('cheeks', 'front'), 'before', new Set(['usual_lighting']), 'Amara & co = 1 #2.jpg');
    expect(url).not.toContain(' ');
    expect(url).not.toContain('#');
    check(url, { kind: 'before', zone: 'cheeks', pose: 'front', conditions: 'usual_lighting', name: 'Amara & co = 1 #2.jpg' });
  });

  it('sends at most the 120 characters of the name the computer keeps, without splitting a character', () => {
    const name = `${'é'.repeat(119)}😀😀.jpg`;
    const sent = new URLSearchParams(uploadUrl(shot('cheeks', 'front'), 'before', [], name).split('?')[1]).get('name');
    expect(Array.from(sent ?? '')).toHaveLength(120);
    expect(sent?.endsWith('😀')).toBe(true);
  });
});

describe('the next shot', () => {
  it('is the first shot at the start', () => {
    expect(nextShot(PLAN, new Set(), null)).toBe(0);
  });

  it('is the one after the shot just taken', () => {
    expect(nextShot(PLAN, taken(PLAN[0]), 0)).toBe(1);
  });

  it('skips the shots already taken', () => {
    expect(nextShot(PLAN, taken(PLAN[0], PLAN[1], PLAN[2]), 1)).toBe(3);
  });

  it('goes back to the start for a shot left out earlier', () => {
    expect(nextShot(PLAN, taken(PLAN[1], PLAN[3], PLAN[4]), 4)).toBe(0);
  });

  it('after a retake in the middle, goes on after it rather than to the end', () => {
    expect(nextShot(PLAN, taken(PLAN[0], PLAN[1]), 0)).toBe(2);
  });

  it('is none when every shot is taken, or there are no shots', () => {
    expect(nextShot(PLAN, taken(...PLAN), 2)).toBeNull();
    expect(nextShot([], new Set(), null)).toBeNull();
  });

  it('tells shots apart by zone and pose together', () => {
    expect(nextShot(PLAN, taken(shot('cheeks', 'front')), null), 'front of the cheeks is taken').toBe(1);
    expect(shotKey(shot('neck', 'front')), 'where the zone ends and the pose starts').not.toBe(shotKey(shot('ne', 'ckfront')));
  });
});

describe('the shots already taken', () => {
  const [front, left, right] = [shot('cheeks', 'front', null, ['before', 'after']), shot('cheeks', 'left_45', null, ['before']), shot('cheeks', 'right_45')];

  it('are marked done per kind from the plan, so a reloaded page shows what is done', () => {
    const done = withTaken(new Map(), [front, left, right]);
    expect(done.get('before')).toEqual(taken(front, left));
    expect(done.get('after')).toEqual(taken(front));
    expect(done.get('progress')).toBeUndefined();
    expect(sequenceText(3, done.get('before')!.size, 'before')).toBe('2 of 3 taken as Before');
    expect(nextShot([front, left, right], done.get('before')!, null), 'the page opens on the first shot not taken').toBe(2);
  });

  it('keep what the page saved itself when the plan is read again, and leave what it was given untouched', () => {
    const mine = new Map([['after', taken(right)]]);
    const done = withTaken(mine, [front, left, right]);
    expect(done.get('after')).toEqual(taken(front, right));
    expect(mine.get('after')).toEqual(taken(right));
    expect(withTaken(done, [shot('cheeks', 'front'), left, right]).get('after'), 'nothing is unmarked').toEqual(taken(front, right));
  });
});

describe('the shot sequence', () => {
  it('groups the shots by zone in the plan order, keeping each shot place', () => {
    const groups = groupShots(PLAN);
    expect(groups.map((g) => [g.zoneName, g.items.map((i) => `${i.index}:${i.shot.pose}`)])).toEqual([
      ['Cheeks', ['0:front', '1:left_45', '2:right_45']],
      ['Forehead', ['3:front', '4:left_90']],
    ]);
  });

  it('says how far the sequence is, for the kind being taken', () => {
    expect(sequenceText(5, 0, 'before')).toBe('0 of 5 taken as Before');
    expect(sequenceText(5, 3, 'after')).toBe('3 of 5 taken as After');
    expect(sequenceText(5, 5, 'after')).toBe('All 5 taken as After');
    expect(sequenceText(1, 1, 'progress')).toBe('The shot is taken as Progress');
  });
});

describe('the outcome of an upload', () => {
  function check(response: Parameters<typeof describeOutcome>[0], text: string, retake: boolean) {
    expect(describeOutcome(response)).toMatchObject({ text, retake });
  }

  it('says a photo without an earlier one to match is saved', () => {
    check({ photo: 'p1', duplicate: false, alignment: null }, 'Saved.', false);
  });

  it('says a photo that lines up is saved, with the confidence in whole percent', () => {
    check(
      { photo: 'p1', duplicate: false, alignment: { applied: true, confidence: 0.82 } },
      'Saved. Lines up with the earlier photo (confidence 82%).',
      false,
    );
  });

  it('offers a retake when the photo does not line up', () => {
    check(
      { photo: 'p1', duplicate: false, alignment: { applied: false, confidence: 0.234 } },
      'Saved. Does not line up with the earlier photo (confidence 23%). Retake it?',
      true,
    );
  });

  it('says a photo the computer already had is saved, whatever its alignment', () => {
    check({ photo: 'p1', duplicate: true, alignment: { applied: false, confidence: 0.1 } }, 'Already saved.', false);
  });

  it('keeps a confidence out of range within 0 and 100%', () => {
    expect(describeOutcome({ photo: 'p', duplicate: false, alignment: { applied: true, confidence: 1.7 } }).text).toContain('(confidence 100%)');
    expect(describeOutcome({ photo: 'p', duplicate: false, alignment: { applied: false, confidence: Number.NaN } }).text).toContain('(confidence 0%)');
  });
});

describe('an error in words', () => {
  it('is the computer message as it is, when it sent one', () => {
    const body = JSON.stringify({ error: 'photo.jpg: the file is not a JPEG, PNG, WebP or HEIC image' });
    expect(errorText(422, body)).toBe('photo.jpg: the file is not a JPEG, PNG, WebP or HEIC image');
    expect(errorText(429, '{"error":"too many requests; wait a minute"}')).toBe('too many requests; wait a minute');
  });

  it('says what the status means when the answer is not the computer JSON', () => {
    expect(errorText(403, '<!doctype html><h1>This phone is not paired</h1>')).toMatch(/no longer paired/);
    expect(errorText(503, '')).toMatch(/capture is closed/);
    expect(errorText(0, '')).toMatch(/did not answer/);
    expect(errorText(502, '{"error": ""}')).toBe('The computer could not take the request (status 502). Try again.');
  });

  it('says why the camera did not open and what to do instead', () => {
    expect(cameraProblem('NotAllowedError')).toMatch(/not allowed.*camera app/);
    expect(cameraProblem('NotReadableError')).toMatch(/busy/);
    expect(cameraProblem('NotFoundError')).toMatch(/No camera/);
    expect(cameraProblem('SomethingNew')).toMatch(/could not be opened/);
  });
});

describe('a photo to send', () => {
  it('is refused before sending when empty or larger than the computer takes', () => {
    expect(sizeProblem(0)).toMatch(/empty/);
    expect(sizeProblem(3_500_000)).toBeNull();
    expect(sizeProblem(MAX_UPLOAD_BYTES)).toBeNull();
    expect(sizeProblem(MAX_UPLOAD_BYTES + 1)).toBe('The photo is 65 MB; the computer takes photos of at most 64 MB.');
  });

  it('shows its progress in whole percent, or none when its size is unknown', () => {
    expect(progressPercent(0, 2000)).toBe(0);
    expect(progressPercent(999, 2000)).toBe(49);
    expect(progressPercent(2000, 2000)).toBe(100);
    expect(progressPercent(10, 0)).toBeNull();
  });

  it('is named by zone, pose and the phone clock when taken with the live camera', () => {
    expect(captureName(shot('cheeks', 'left_45'), new Date(2026, 11, 7, 9, 5, 3))).toBe('capture-cheeks-left_45-20261207-090503.jpg');
  });

  it('has a file name that stays one word whatever the zone key holds', () => {
    const name = captureName({ zone: 'Upper Lip/../x', zone_name: 'Upper lip', pose: 'front', guide: null, taken: [] }, new Date(2026, 0, 31, 23, 59, 59));
    expect(name).toBe('capture-upper-lip-x-front-20260131-235959.jpg');
  });
});

describe('the plan from the computer', () => {
  const SENT = {
    client: 'Amara O.',
    moment: 'Session of 2026-12-07',
    kinds: ['before', 'after'],
    shots: [
      { zone: 'cheeks', zone_name: 'Cheeks', pose: 'front', guide: '/guide/0192', taken: ['before'] },
      { zone: 'cheeks', zone_name: 'Cheeks', pose: 'left_45', guide: null, taken: [] },
    ],
    conditions: ['makeup_off', 'usual_lighting'],
  };

  it('is read as sent when it is well formed', () => {
    expect(readPlan(SENT)).toEqual(SENT);
  });

  it('keeps only the computer guide addresses', () => {
    const plan = readPlan({
      ...SENT,
      shots: [
        { zone: 'cheeks', zone_name: 'Cheeks', pose: 'front', guide: 'https://elsewhere.example/x.jpg' },
        { zone: 'cheeks', zone_name: 'Cheeks', pose: 'left_45', guide: '/guide/0193' },
      ],
    });
    expect(plan.shots.map((s) => s.guide)).toEqual([null, '/guide/0193']);
  });

  it('leaves out a shot without a zone or pose, and names a zone by its key when its name is missing', () => {
    const plan = readPlan({ ...SENT, shots: [{ zone: 'chin', pose: 'front' }, { zone: '', pose: 'front' }, { pose: 'front' }, 'x'] });
    expect(plan.shots).toEqual([{ zone: 'chin', zone_name: 'chin', pose: 'front', guide: null, taken: [] }]);
  });

  it('keeps the kinds a shot was taken as, and reads none from a plan that does not say', () => {
    const plan = readPlan({
      ...SENT,
      shots: [
        { zone: 'cheeks', zone_name: 'Cheeks', pose: 'front', guide: null, taken: ['before', '', 7, 'after'] },
        { zone: 'cheeks', zone_name: 'Cheeks', pose: 'left_45', guide: null, taken: 'before' },
      ],
    });
    expect(plan.shots.map((s) => s.taken)).toEqual([['before', 'after'], []]);
  });

  it('is refused when it offers no kind of photo or no list of shots', () => {
    expect(() => readPlan({ ...SENT, kinds: [] })).toThrow(/cannot read/);
    expect(() => readPlan({ ...SENT, shots: undefined })).toThrow(/cannot read/);
    expect(() => readPlan(null)).toThrow(/cannot read/);
  });

  it('keeps the chosen kind while the plan offers it, else takes the usual one', () => {
    expect(keepKind(['before', 'after'], 'after')).toBe('after');
    expect(keepKind(['progress'], 'after')).toBe('progress');
    expect(keepKind(['before', 'after'], null)).toBe('before');
  });
});

describe('the ghost', () => {
  it('asks to turn the phone when the earlier photo was held the other way', () => {
    expect(orientationHint({ width: 1440, height: 1920 }, { width: 1920, height: 1440 })).toMatch(/upright/);
    expect(orientationHint({ width: 1920, height: 1440 }, { width: 1440, height: 1920 })).toMatch(/sideways/);
  });

  it('says nothing when both are held the same way, square, or not known yet', () => {
    expect(orientationHint({ width: 1440, height: 1920 }, { width: 1080, height: 1920 })).toBeNull();
    expect(orientationHint({ width: 1000, height: 1020 }, { width: 1920, height: 1440 })).toBeNull();
    expect(orientationHint({ width: 1440, height: 1920 }, { width: 0, height: 0 })).toBeNull();
  });
});
