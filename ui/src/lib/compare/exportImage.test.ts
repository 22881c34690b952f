import { describe, expect, it } from 'vitest';
import type { Consent } from '../api/records';
import { FIT } from './geometry';
import { beforeAfter, fitText, imagePathProblem, marketingRefusal, planComparison, splitInFrame, writtenText } from './exportImage';
import type { ComparisonInput, ComparisonPlan, Rect } from './exportImage';

const BASE: ComparisonInput = {
  reference: { width: 4000, height: 3000 },
  layout: 'side',
  split: 0.5,
  first: { label: 'Before', detail: '1 Sept 2026 · Cheeks · Front' },
  second: { label: 'After', detail: '13 Oct 2026 · Cheeks · Front' },
  clinicName: 'Lumen Skin Clinic',
  clientName: 'Ada Lovelace',
};

const rect = (r: Rect) => `${r.x},${r.y} ${r.width}×${r.height}`;

/** The plan as lines a person can read: the image, each frame, the divider, the band and each text. */
function describePlan(plan: ComparisonPlan): string {
  return [
    `image ${plan.width}×${plan.height}`,
    ...plan.frames.map((f) => `${f.which} frame ${rect(f.frame)} shows ${rect(f.visible)}`),
    ...(plan.divider ? [`divider ${rect(plan.divider)}`] : []),
    `band ${rect(plan.band)}`,
    ...plan.texts.map((t) => `${t.bold ? 'bold ' : ''}${t.muted ? 'muted ' : ''}${t.size}px ${t.align} at ${t.x},${t.y} in ${t.maxWidth}: ${t.text}`),
  ].join('\n');
}

function check(input: Partial<ComparisonInput>, expected: string) {
  expect(describePlan(planComparison({ ...BASE, ...input }))).toBe(expected.trim());
}

describe('planComparison', () => {
  it('puts the photos side by side in frames of the reference’s shape, the captions under each, the names last', () => {
    check(
      {},
      `
image 2472×1115
first frame 24,24 1200×900 shows 24,24 1200×900
second frame 1248,24 1200×900 shows 1248,24 1200×900
band 0,924 2472×191
bold 38px left at 24,948 in 1200: Before
32px left at 24,997 in 1200: 1 Sept 2026 · Cheeks · Front
bold 38px left at 1248,948 in 1200: After
32px left at 1248,997 in 1200: 13 Oct 2026 · Cheeks · Front
muted 26px left at 24,1057 in 1200: Ada Lovelace
muted 26px right at 2448,1057 in 1200: Lumen Skin Clinic`,
    );
  });

  it('splits one frame where the slider is, with a line between, Before on the left and After on the right', () => {
    check(
      { layout: 'slider', split: 0.25, reference: { width: 640, height: 480 } },
      `
image 662×575
first frame 11,11 640×480 shows 11,11 160×480
second frame 11,11 640×480 shows 171,11 480×480
divider 170,11 2×480
band 0,491 662×84
bold 17px left at 11,502 in 314.5: Before
14px left at 11,524 in 314.5: 1 Sept 2026 · Cheeks · Front
bold 17px right at 651,502 in 314.5: After
14px right at 651,524 in 314.5: 13 Oct 2026 · Cheeks · Front
muted 11px left at 11,550 in 314.5: Ada Lovelace
muted 11px right at 651,550 in 314.5: Lumen Skin Clinic`,
    );
  });

  it('names nobody on an image for marketing: only the clinic', () => {
    const plan = planComparison({ ...BASE, clientName: null });
    const texts = plan.texts.map((t) => t.text);
    expect(texts).not.toContain('Ada Lovelace');
    expect(texts).toContain('Lumen Skin Clinic');
    expect(planComparison({ ...BASE, clientName: '  ' }).texts.map((t) => t.text), 'a blank name is left out').not.toContain('  ');
  });

  it('keeps a portrait photo’s shape and its long side within the limit', () => {
    const plan = planComparison({ ...BASE, reference: { width: 3024, height: 4032 } });
    const frame = plan.frames[0].frame;
    expect([frame.width, frame.height]).toEqual([900, 1200]);
    const slider = planComparison({ ...BASE, layout: 'slider', reference: { width: 3024, height: 4032 } });
    expect(slider.frames[0].frame.height, 'the slider’s one frame may be larger').toBe(1600);
  });

  it('never enlarges a small photo, and keeps its text readable', () => {
    const plan = planComparison({ ...BASE, reference: { width: 320, height: 240 } });
    expect(rect(plan.frames[0].frame)).toBe('11,11 320×240');
    expect(Math.min(...plan.texts.map((t) => t.size)), 'the smallest text').toBeGreaterThanOrEqual(11);
  });

  it('keeps the split within the frame, and halves it when unknown', () => {
    const visible = (split: number) =>
      planComparison({ ...BASE, layout: 'slider', split, reference: { width: 1000, height: 500 } }).frames.map((f) => f.visible.width);
    expect(visible(-0.3)).toEqual([0, 1000]);
    expect(visible(1.7)).toEqual([1000, 0]);
    expect(visible(Number.NaN)).toEqual([500, 500]);
  });

  it('gives every size in whole pixels', () => {
    for (const layout of ['side', 'slider'] as const) {
      const plan = planComparison({ ...BASE, layout, split: 0.37, reference: { width: 1333, height: 999 } });
      const numbers = [plan.width, plan.height, ...plan.frames.flatMap((f) => [f.frame.x, f.frame.width, f.visible.x, f.visible.width])];
      expect(numbers.every(Number.isInteger), layout).toBe(true);
    }
  });
});

describe('splitInFrame', () => {
  it('is the divider’s fraction of the frame when the frame fills the stage', () => {
    expect(splitInFrame(0.3, 1000, 1000, FIT)).toBeCloseTo(0.3);
  });

  it('follows a frame narrower than the stage, zoomed and panned', () => {
    // A 600 px frame centred in a 1000 px stage spans 200…800.
    expect(splitInFrame(0.5, 1000, 600, FIT)).toBeCloseTo(0.5);
    expect(splitInFrame(0.35, 1000, 600, FIT)).toBeCloseTo(0.25);
    // Zoomed 2× and moved 100 px right: 1200 px spanning 0…1200.
    expect(splitInFrame(0.5, 1000, 600, { zoom: 2, x: 100, y: 0 })).toBeCloseTo(500 / 1200);
  });

  it('stays within the frame, and halves it when there is nothing to measure', () => {
    expect(splitInFrame(0.05, 1000, 600, FIT)).toBe(0);
    expect(splitInFrame(0.95, 1000, 600, FIT)).toBe(1);
    expect(splitInFrame(0.3, 0, 600, FIT)).toBe(0.5);
    expect(splitInFrame(0.3, 1000, 0, FIT)).toBe(0.5);
  });
});

describe('beforeAfter', () => {
  it('calls the earlier photo Before, whichever is the reference', () => {
    expect(beforeAfter({ day: '2026-09-01', kind: 'progress' }, { day: '2026-10-13', kind: 'progress' })).toEqual(['Before', 'After']);
    expect(beforeAfter({ day: '2026-10-13', kind: 'after' }, { day: '2026-09-01', kind: 'before' })).toEqual(['After', 'Before']);
  });

  it('on the same day, puts the before photo first', () => {
    expect(beforeAfter({ day: '2026-09-01', kind: 'after' }, { day: '2026-09-01', kind: 'before' })).toEqual(['After', 'Before']);
    expect(beforeAfter({ day: '2026-09-01', kind: 'before' }, { day: '2026-09-01', kind: 'after' })).toEqual(['Before', 'After']);
  });
});

describe('fitText', () => {
  /** Every character 10 px wide. */
  const measure = (text: string) => [...text].length * 10;

  it('keeps what fits and shortens the rest with an ellipsis', () => {
    expect(fitText('Cheeks · Front', 200, measure)).toBe('Cheeks · Front');
    expect(fitText('Lumen Skin Clinic', 100, measure)).toBe('Lumen Ski…');
    expect(fitText('Lumen Skin Clinic', 70, measure), 'no space before the ellipsis').toBe('Lumen…');
    expect(fitText('Lumen', 5, measure)).toBe('…');
  });
});

describe('marketingRefusal', () => {
  const consent = (given_on: string, revoked_on: string | null): Consent => ({
    id: `m-${given_on}`,
    client_id: 'c1',
    kind: 'marketing_photos',
    template_version: '1',
    given_on,
    signature: 'M 0 0',
    revoked_on,
    revoke_reason: revoked_on ? 'changed her mind' : null,
  });

  it('allows marketing only while the consent is in force', () => {
    expect(marketingRefusal('Ada', [consent('2026-01-10', null)], '2026-11-01')).toBeNull();
    expect(marketingRefusal('Ada', [], '2026-11-01')).toMatch(/^Ada has not given marketing-photo consent/);
    expect(marketingRefusal('Ada', [consent('2026-01-10', '2026-03-03')], '2026-11-01', 'en-GB')).toBe(
      'Ada revoked marketing-photo consent on 3 Mar 2026: the image can be exported for the client only.',
    );
    expect(marketingRefusal('Ada', [consent('2026-12-01', null)], '2026-11-01'), 'a consent dated later is not in force yet').not.toBeNull();
  });
});

describe('writtenText', () => {
  it('says the size of the image and of the file', () => {
    expect(writtenText({ path: '/x.jpg', bytes: 412_345, width: 2472, height: 1115 }, 'en-GB')).toBe(
      'Comparison image saved — 2,472 × 1,115 px, 412 KB',
    );
  });
});

describe('imagePathProblem', () => {
  function check(path: string, expected: string | null) {
    expect(imagePathProblem(path), JSON.stringify(path)).toBe(expected);
  }

  it('accepts a full path to a .jpg or .jpeg file', () => {
    check('/home/me/Pictures/ada.jpg', null);
    check(' C:\\Users\\me\\ada.JPEG ', null);
  });

  it('asks for a path, a full one, and a JPEG’s name', () => {
    check('  ', 'choose where to save the image, or type its full path');
    check('Pictures/ada.jpg', 'give the full path from the top, e.g. /home/you/Pictures/comparison.jpg');
    check('/home/me/Pictures/ada.png', 'the image is a JPEG: end the file name with .jpg');
    check('/home/me/Pictures/', 'the image is a JPEG: end the file name with .jpg');
  });
});
