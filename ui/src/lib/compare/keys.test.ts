import { describe, expect, it } from 'vitest';
import { SHORTCUTS, compareAction, escapeStep, focusContext } from './keys';
import type { CompareAction, KeyContext, KeyPress } from './keys';

const VIEWING: KeyContext = { typing: false, aligning: false };
const ALIGNING: KeyContext = { typing: false, aligning: true };

function check(press: KeyPress | string, where: KeyContext, expected: CompareAction | null) {
  const key = typeof press === 'string' ? { key: press } : press;
  expect(compareAction(key, where), JSON.stringify(key)).toEqual(expected);
}

describe('compareAction', () => {
  it('switches modes with 1 to 4', () => {
    check('1', VIEWING, { type: 'mode', mode: 'side' });
    check('2', VIEWING, { type: 'mode', mode: 'slider' });
    check('3', VIEWING, { type: 'mode', mode: 'overlay' });
    check('4', VIEWING, { type: 'mode', mode: 'difference' });
    check('5', VIEWING, null);
  });

  it('zooms with + and − (with or without Shift) and fits again with 0', () => {
    check('+', VIEWING, { type: 'zoom-in' });
    check('=', VIEWING, { type: 'zoom-in' });
    check('-', VIEWING, { type: 'zoom-out' });
    check('_', VIEWING, { type: 'zoom-out' });
    check('0', VIEWING, { type: 'zoom-reset' });
  });

  it('pans with the arrows towards the part asked for, further with Shift', () => {
    check('ArrowRight', VIEWING, { type: 'pan', dx: -48, dy: 0 });
    check({ key: 'ArrowUp', shiftKey: true }, VIEWING, { type: 'pan', dx: 0, dy: 240 });
  });

  it('while aligning, moves, turns and scales the second photo instead', () => {
    check('ArrowRight', ALIGNING, { type: 'nudge', dx: 0.001, dy: 0 });
    check({ key: 'ArrowDown', shiftKey: true }, ALIGNING, { type: 'nudge', dx: 0, dy: 0.01 });
    check(']', ALIGNING, { type: 'rotate', degrees: 0.25 });
    check({ key: '{', shiftKey: true }, ALIGNING, { type: 'rotate', degrees: -5 });
    check('.', ALIGNING, { type: 'scale', factor: 1.005 });
    check(',', ALIGNING, { type: 'scale', factor: 1 / 1.005 });
    check(']', VIEWING, null);
  });

  it('toggles aligning (A), full screen (F) and the help (?), and passes Escape on', () => {
    check('a', VIEWING, { type: 'align' });
    check('A', ALIGNING, { type: 'align' });
    check('A', VIEWING, { type: 'align' });
    check('f', VIEWING, { type: 'fullscreen' });
    check('?', VIEWING, { type: 'help' });
    check('Escape', VIEWING, { type: 'escape' });
  });

  it('aligns automatically with Shift+A and opens the export with E, but not while aligning by hand', () => {
    check({ key: 'A', shiftKey: true }, VIEWING, { type: 'auto-align' });
    check({ key: 'A', shiftKey: true }, ALIGNING, null);
    check('e', VIEWING, { type: 'export' });
    check('E', VIEWING, { type: 'export' });
    check('e', ALIGNING, null);
  });

  it('leaves keys alone while typing in a field (except Escape), with modifiers, and while composing', () => {
    check('1', { typing: true, aligning: true }, null);
    check('ArrowLeft', { typing: true, aligning: false }, null);
    check('Escape', { typing: true, aligning: true }, { type: 'escape' });
    check({ key: '+', ctrlKey: true }, VIEWING, null);
    check({ key: 'f', metaKey: true }, VIEWING, null);
    check({ key: 'a', isComposing: true }, VIEWING, null);
  });

  it('leaves the arrows to a focused radio group or range slider, but not the other keys', () => {
    check('ArrowLeft', { typing: false, arrowsTaken: true, aligning: false }, null);
    check('3', { typing: false, arrowsTaken: true, aligning: false }, { type: 'mode', mode: 'overlay' });
  });
});

describe('focusContext', () => {
  it('tells typing fields from controls that use the arrows', () => {
    expect(focusContext(null)).toEqual({ typing: false, arrowsTaken: false });
    expect(focusContext({ tagName: 'input', type: 'number' })).toEqual({ typing: true, arrowsTaken: false });
    expect(focusContext({ tagName: 'SELECT' })).toEqual({ typing: true, arrowsTaken: false });
    expect(focusContext({ tagName: 'INPUT', type: 'radio' })).toEqual({ typing: false, arrowsTaken: true });
    expect(focusContext({ tagName: 'INPUT', type: 'range' })).toEqual({ typing: false, arrowsTaken: true });
    expect(focusContext({ tagName: 'BUTTON', type: 'button' })).toEqual({ typing: false, arrowsTaken: false });
  });
});

describe('escapeStep', () => {
  it('closes the innermost thing first: help, aligning, full screen, then the viewer', () => {
    expect(escapeStep({ helpOpen: true, aligning: true, fullscreen: true })).toBe('close-help');
    expect(escapeStep({ helpOpen: false, aligning: true, fullscreen: true })).toBe('cancel-align');
    expect(escapeStep({ helpOpen: false, aligning: false, fullscreen: true })).toBe('exit-fullscreen');
    expect(escapeStep({ helpOpen: false, aligning: false, fullscreen: false })).toBe('leave');
  });
});

describe('SHORTCUTS', () => {
  const KEYS: Record<string, string> = { '−': '-', '←': 'ArrowLeft', '→': 'ArrowRight', '↑': 'ArrowUp', '↓': 'ArrowDown', Esc: 'Escape' };

  it('lists only keys that do something, in the context the help shows them in', () => {
    for (const shortcut of SHORTCUTS) {
      for (const shown of shortcut.keys) {
        const chord = shown.startsWith('Shift+');
        const key = chord ? shown.slice('Shift+'.length) : (KEYS[shown] ?? shown);
        const where = shortcut.aligning ? ALIGNING : VIEWING;
        expect(compareAction({ key, shiftKey: chord }, where), `${shown}: ${shortcut.does}`).not.toBeNull();
      }
    }
  });
});
