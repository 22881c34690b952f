import { describe, expect, it } from 'vitest';
import type { Device } from '../api/clinic';
import {
  depthBounds,
  depthNumber,
  depthProblem,
  depthStep,
  formatDepth,
  formatRange,
  guidePosition,
  onStep,
  parseDepth,
  zoneHint,
  stepDepth,
} from './depth';

const PEN: Device = {
  id: 'd1',
  model: 'Auriga MN-2 pen',
  serial: 'AMN2-204117',
  min_depth_mm: 0.25,
  max_depth: 2.5,
  step_mm: 0.25,
  evaluated_up_to: null,
  archived: false,
};

describe('formatting depths', () => {
  it('shows as few decimals as needed', () => {
    expect(formatDepth(1)).toBe('1 mm');
    expect(formatDepth(0.5)).toBe('0.5 mm');
    expect(formatDepth(1.25)).toBe('1.25 mm');
    expect(formatDepth(0.1 + 0.2)).toBe('0.3 mm');
    expect(formatDepth(null)).toBe('–');
    expect(depthNumber(0.75)).toBe('0.75');
    expect(formatRange(0.5, 1.5)).toBe('0.5–1.5 mm');
  });
});

describe('parseDepth', () => {
  const check = (text: string, expected: number | null) => expect(parseDepth(text), text).toBe(expected);
  it('reads what practitioners type', () => {
    check('0.5', 0.5);
    check('1,25', 1.25);
    check(' 2 mm', 2);
    check('.75', 0.75);
    check('1.', 1);
  });
  it('refuses what is not a number', () => {
    check('', null);
    check('abc', null);
    check('1.2.3', null);
    check('-1', null);
  });
});

describe('depthProblem', () => {
  it('mirrors the record rules', () => {
    expect(depthProblem(1)).toBeNull();
    expect(depthProblem(0.01)).toBeNull();
    expect(depthProblem(3)).toBeNull();
    expect(depthProblem(null)).toBe('enter the depth in mm');
    expect(depthProblem(0)).toBe('the depth must be above 0 mm');
    expect(depthProblem(3.5)).toBe('3.5 mm is impossible; the maximum is 3 mm');
    expect(depthProblem(0.125)).toBe('0.125 mm is finer than 0.01 mm');
  });
});

describe('stepping on the device grid', () => {
  const bounds = depthBounds(PEN);

  it('uses the device step and range, or fine defaults without a device', () => {
    expect(depthStep(PEN)).toBe(0.25);
    expect(bounds).toEqual({ min: 0.25, max: 2.5 });
    expect(depthStep(null)).toBe(0.05);
    expect(depthBounds(null)).toEqual({ min: 0.01, max: 3 });
  });

  it('moves one step, or to the neighbouring step from between steps', () => {
    expect(stepDepth(1, 1, 0.25, bounds)).toBe(1.25);
    expect(stepDepth(1, -1, 0.25, bounds)).toBe(0.75);
    expect(stepDepth(1.1, 1, 0.25, bounds)).toBe(1.25);
    expect(stepDepth(1.1, -1, 0.25, bounds)).toBe(1);
  });

  it('stays within the device range and starts at the bottom from nothing', () => {
    expect(stepDepth(2.5, 1, 0.25, bounds)).toBe(2.5);
    expect(stepDepth(0.25, -1, 0.25, bounds)).toBe(0.25);
    expect(stepDepth(null, 1, 0.25, bounds)).toBe(0.25);
  });

  it('knows whether a depth is on the grid', () => {
    expect(onStep(0.75, 0.25)).toBe(true);
    expect(onStep(0.8, 0.25)).toBe(false);
    expect(onStep(0.3, 0.1)).toBe(true);
  });
});

describe('guidePosition', () => {
  it('places a depth against the guide range, ends included', () => {
    const cheeks = { min_depth: 0.5, max_depth: 1.5 };
    expect(guidePosition(0.25, cheeks)).toBe('below');
    expect(guidePosition(0.5, cheeks)).toBe('within');
    expect(guidePosition(1.5, cheeks)).toBe('within');
    expect(guidePosition(1.75, cheeks)).toBe('above');
  });
});

describe('zoneHint', () => {
  const cheeks = { min_depth: 0.5, max_depth: 1.5 };
  it('says the guide range, and whether the depth typed is off it', () => {
    expect(zoneHint(null, '1'), 'a zone not chosen yet').toEqual({ text: '', tone: 'muted' });
    expect(zoneHint(cheeks, '')).toEqual({ text: 'Guide 0.5–1.5 mm', tone: 'muted' });
    expect(zoneHint(cheeks, '1,0')).toEqual({ text: 'Guide 0.5–1.5 mm', tone: 'muted' });
    expect(zoneHint(cheeks, '2')).toEqual({ text: 'Guide 0.5–1.5 mm: this depth is above it', tone: 'off-guide' });
    expect(zoneHint(cheeks, '0.25')).toEqual({ text: 'Guide 0.5–1.5 mm: this depth is below it', tone: 'off-guide' });
  });
});
