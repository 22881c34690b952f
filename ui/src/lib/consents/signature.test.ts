import { describe, expect, it } from 'vitest';
import { PAD, extendStroke, fittedViewBox, hasInk, isDrawnSignature, padPoint, signaturePath } from './signature';

describe('signature pad', () => {
  const rect = { left: 100, top: 50, width: 300, height: 100 };

  it('maps pointer positions into pad units, whatever size the pad is shown at', () => {
    expect(padPoint(100, 50, rect)).toEqual({ x: 0, y: 0 });
    expect(padPoint(250, 100, rect)).toEqual({ x: 300, y: 100 });
    expect(padPoint(400, 150, rect)).toEqual({ x: PAD.width, y: PAD.height });
    expect(padPoint(133.37, 61.11, rect)).toEqual({ x: 66.7, y: 22.2 });
  });

  it('keeps points inside the pad when the pointer leaves it', () => {
    expect(padPoint(0, 500, rect)).toEqual({ x: 0, y: PAD.height });
  });

  it('drops points too close to the last one', () => {
    let stroke = extendStroke([], { x: 10, y: 10 });
    stroke = extendStroke(stroke, { x: 10.5, y: 10.5 });
    stroke = extendStroke(stroke, { x: 14, y: 10 });
    expect(stroke).toEqual([
      { x: 10, y: 10 },
      { x: 14, y: 10 },
    ]);
  });

  it('writes SVG path data, one M per stroke and a dot for a tap', () => {
    const strokes = [
      [
        { x: 10, y: 20 },
        { x: 30, y: 40.5 },
        { x: 50, y: 20 },
      ],
      [{ x: 70, y: 70 }],
      [],
    ];
    expect(signaturePath(strokes)).toBe('M 10 20 L 30 40.5 L 50 20 M 70 70 L 70 70');
    expect(signaturePath([])).toBe('');
    expect(hasInk([[]])).toBe(false);
    expect(hasInk(strokes)).toBe(true);
  });

  it('tells a drawing from a typed name', () => {
    expect(isDrawnSignature('M 10 20 L 30 40')).toBe(true);
    expect(isDrawnSignature('Ana Souza')).toBe(false);
    expect(isDrawnSignature('Mary Jones')).toBe(false);
  });
});

describe('fittedViewBox', () => {
  it('frames the drawing with a margin, keeping the 3:1 shape', () => {
    expect(fittedViewBox('M 20 20 L 80 40')).toBe('10 10 120 40');
    expect(fittedViewBox('M 0 0 L 300 10')).toBe('-10 -10 320 106.66666666666667');
    expect(fittedViewBox('M 100 50 L 110 100')).toBe('90 40 210 70');
  });

  it('shows the whole pad for an empty path', () => {
    expect(fittedViewBox('')).toBe(`0 0 ${PAD.width} ${PAD.height}`);
  });
});
