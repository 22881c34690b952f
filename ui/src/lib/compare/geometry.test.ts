import { describe, expect, it } from 'vitest';
import {
  FIT,
  MAX_ZOOM,
  UNMOVED,
  alignmentToSave,
  applyMatrix,
  canvasSize,
  clampPlacement,
  containRect,
  fitFrame,
  isUnmoved,
  moveByPixels,
  normalizeAngle,
  panBy,
  placedCentre,
  placementFor,
  placementMatrix,
  placementTransform,
  rotateByDrag,
  scaleByDrag,
  viewTransform,
  wheelFactor,
  zoomAt,
  zoomText,
} from './geometry';
import type { Point } from './geometry';

function near(actual: Point, expected: Point, why: string) {
  expect(actual.x, `${why} (x)`).toBeCloseTo(expected.x, 6);
  expect(actual.y, `${why} (y)`).toBeCloseTo(expected.y, 6);
}

describe('fitFrame', () => {
  it('fits the reference photo’s shape into the space, touching two sides', () => {
    expect(fitFrame(4 / 3, { width: 800, height: 800 })).toEqual({ width: 800, height: 600 });
    expect(fitFrame(4 / 3, { width: 1600, height: 600 })).toEqual({ width: 800, height: 600 });
    expect(fitFrame(3 / 4, { width: 600, height: 600 })).toEqual({ width: 450, height: 600 });
  });

  it('is empty while the space has no size yet', () => {
    expect(fitFrame(4 / 3, { width: 0, height: 500 })).toEqual({ width: 0, height: 0 });
    expect(fitFrame(Number.NaN, { width: 10, height: 10 })).toEqual({ width: 0, height: 0 });
  });
});

describe('zoom and pan', () => {
  it('keeps the spot under the pointer in place while zooming', () => {
    const pointer = { x: 120, y: -40 };
    const view = zoomAt({ zoom: 1.5, x: 30, y: 10 }, 2, pointer);
    // The photo point under the pointer before: (pointer − pan) / zoom; after, it must map to the pointer again.
    const photoPoint = { x: (pointer.x - 30) / 1.5, y: (pointer.y - 10) / 1.5 };
    near({ x: view.x + photoPoint.x * view.zoom, y: view.y + photoPoint.y * view.zoom }, pointer, 'the spot stays under the pointer');
    expect(view.zoom).toBe(3);
  });

  it('zooms about the centre by default and stops at the limits', () => {
    expect(zoomAt(FIT, 2)).toEqual({ zoom: 2, x: 0, y: 0 });
    expect(zoomAt({ zoom: 10, x: 0, y: 0 }, 4).zoom).toBe(MAX_ZOOM);
  });

  it('turns wheel notches into steps: down zooms out, up zooms in, one notch is one step', () => {
    expect(wheelFactor(-100)).toBeCloseTo(1.25);
    expect(wheelFactor(100)).toBeCloseTo(0.8);
    expect(wheelFactor(-3, 1), 'lines are about 33 pixels').toBeCloseTo(Math.pow(1.25, 0.99));
    expect(wheelFactor(-10_000), 'a wild flick is limited').toBeCloseTo(Math.pow(1.25, 3));
  });

  it('pans by screen pixels but keeps part of the photo in view', () => {
    const frame = { width: 400, height: 300 };
    const viewport = { width: 600, height: 400 };
    expect(panBy(FIT, 50, -20, frame, viewport)).toEqual({ zoom: 1, x: 50, y: -20 });
    // At zoom 1 the frame's centre may go (400 + 600) / 2 − 48 = 452 px sideways.
    expect(panBy(FIT, 5000, 0, frame, viewport).x).toBe(452);
    expect(panBy({ zoom: 2, x: 0, y: 0 }, 0, -5000, frame, viewport).y).toBe(-(600 + 400) / 2 + 48);
  });

  it('writes the view as one GPU-friendly CSS transform, and the zoom in percent', () => {
    expect(viewTransform({ zoom: 2.5, x: -12.3456, y: 8 })).toBe('translate(-12.35px, 8px) scale(2.5)');
    expect(zoomText({ zoom: 2.5, x: 0, y: 0 })).toBe('250 %');
  });
});

describe('alignment', () => {
  const saved = { reference: 'first', dx: 0.05, dy: -0.02, rotate_deg: 3.5, scale: 1.1 };

  it('applies a saved alignment only against the photo it was made on', () => {
    expect(placementFor(saved, 'first')).toEqual({ dx: 0.05, dy: -0.02, rotate: 3.5, scale: 1.1 });
    expect(placementFor(saved, 'other')).toEqual(UNMOVED);
    expect(placementFor(null, 'first')).toEqual(UNMOVED);
    expect(placementFor({ reference: 'first', dx: null, dy: 0.1, rotate_deg: null, scale: null }, 'first')).toEqual({
      dx: 0,
      dy: 0.1,
      rotate: 0,
      scale: 1,
    });
  });

  it('keeps rotation within −180…180 and scale within 0.1…10, as Rust requires', () => {
    expect(normalizeAngle(190)).toBe(-170);
    expect(normalizeAngle(-180)).toBe(180);
    expect(normalizeAngle(540)).toBe(180);
    expect(clampPlacement({ dx: Number.NaN, dy: 0, rotate: 0, scale: 50 })).toEqual({ dx: 0, dy: 0, rotate: 0, scale: 10 });
    expect(clampPlacement({ dx: 0, dy: 0, rotate: 0, scale: 0 }).scale).toBe(0.1);
  });

  it('saves nothing (clears the alignment) when the photo is not moved, and rounds what it saves', () => {
    expect(alignmentToSave(UNMOVED, 'first')).toBeNull();
    expect(alignmentToSave({ dx: 1e-9, dy: 0, rotate: 0.001, scale: 1.00001 }, 'first')).toBeNull();
    expect(alignmentToSave({ dx: 0.123456789, dy: 0, rotate: -12.3456, scale: 0.987654321 }, 'first')).toEqual({
      reference: 'first',
      dx: 0.12346,
      dy: 0,
      rotate_deg: -12.35,
      scale: 0.9877,
    });
    expect(isUnmoved({ dx: 0, dy: 0, rotate: 360, scale: 1 }), 'a full turn is no turn').toBe(true);
  });

  it('writes the placement as a CSS transform whose moves are fractions of the frame (percent of the image box)', () => {
    expect(placementTransform({ dx: 0.05, dy: -0.02, rotate: 3.5, scale: 1.1 })).toBe('translate(5%, -2%) rotate(3.5deg) scale(1.1)');
    expect(placementTransform(UNMOVED)).toBe('translate(0%, 0%) rotate(0deg) scale(1)');
  });

  it('places the second photo on a canvas the same way: scale and turn about the centre, then move by dx·width, dy·height', () => {
    const size = { width: 400, height: 300 };
    const m = placementMatrix({ dx: 0.1, dy: -0.2, rotate: 90, scale: 2 }, size);
    near(applyMatrix(m, { x: 200, y: 150 }), { x: 240, y: 90 }, 'the centre only moves');
    // A point 10 px right of the centre: doubled to 20 px, turned a quarter clockwise (screen y points down) to 20 px below.
    near(applyMatrix(m, { x: 210, y: 150 }), { x: 240, y: 110 }, 'right of centre ends up below it');
    near(applyMatrix(placementMatrix(UNMOVED, size), { x: 13, y: 7 }), { x: 13, y: 7 }, 'unmoved is the identity');
  });

  it('moves by the same fraction of the frame whatever its size on screen (dx/dy are fractions of the reference)', () => {
    const small = placementMatrix({ dx: 0.25, dy: 0.5, rotate: 0, scale: 1 }, { width: 200, height: 100 });
    const large = placementMatrix({ dx: 0.25, dy: 0.5, rotate: 0, scale: 1 }, { width: 1600, height: 800 });
    near(applyMatrix(small, { x: 0, y: 0 }), { x: 50, y: 50 }, 'a quarter of 200, half of 100');
    near(applyMatrix(large, { x: 0, y: 0 }), { x: 400, y: 400 }, 'a quarter of 1600, half of 800');
  });

  it('sizes a drawing like the reference photo, its long side within the limit and never enlarged', () => {
    expect(canvasSize(4000, 3000)).toEqual({ width: 1600, height: 1200 });
    expect(canvasSize(3000, 4000, 1200)).toEqual({ width: 900, height: 1200 });
    expect(canvasSize(640, 480)).toEqual({ width: 640, height: 480 });
    expect(canvasSize(0, 0), 'a photo with no size still gets a pixel').toEqual({ width: 1, height: 1 });
  });

  it('draws a photo of another shape contained and centred in the frame', () => {
    expect(containRect(1, { width: 400, height: 300 })).toEqual({ x: 50, y: 0, width: 300, height: 300 });
  });

  it('turns a drag into a move, correcting for the zoom', () => {
    const frame = { width: 400, height: 300 };
    expect(moveByPixels(UNMOVED, 40, -30, frame, 1)).toMatchObject({ dx: 0.1, dy: -0.1 });
    expect(moveByPixels(UNMOVED, 40, -30, frame, 2), 'at 200 % the same drag moves half as far').toMatchObject({ dx: 0.05, dy: -0.05 });
  });

  it('turns a Shift+drag around the photo’s centre into a rotation, and a Ctrl+drag into a scale', () => {
    const centre = { x: 0, y: 0 };
    expect(rotateByDrag(UNMOVED, centre, { x: 100, y: 0 }, { x: 0, y: 100 }).rotate).toBeCloseTo(90);
    expect(rotateByDrag({ ...UNMOVED, rotate: 170 }, centre, { x: 100, y: 0 }, { x: 0, y: 100 }).rotate).toBeCloseTo(-100);
    expect(scaleByDrag(UNMOVED, centre, { x: 100, y: 0 }, { x: 150, y: 0 }).scale).toBeCloseTo(1.5);
    expect(scaleByDrag(UNMOVED, centre, { x: 1, y: 0 }, { x: 150, y: 0 }), 'too close to the centre to tell').toEqual(UNMOVED);
  });

  it('finds the placed photo’s centre on screen through the view', () => {
    near(placedCentre({ dx: 0.1, dy: 0.2, rotate: 0, scale: 1 }, { width: 400, height: 300 }, { zoom: 2, x: 10, y: -10 }), { x: 90, y: 110 }, 'centre');
  });
});
