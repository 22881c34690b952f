import { describe, expect, it } from 'vitest';
import { fromPlace, placeValue, visitChoiceLabel } from './place';

describe('where a photo was taken, as one select value', () => {
  it.each([
    ['s1', '', 's1'],
    ['', 'v1', 'visit:v1'],
    ['', '', ''],
  ])('session %j and visit %j read as %j and back', (sessionId, followUpId, value) => {
    expect(placeValue(sessionId, followUpId)).toBe(value);
    expect(fromPlace(value)).toEqual({ sessionId, followUpId });
  });

  it('a session wins when both are somehow set (the Rust side refuses both)', () => {
    expect(placeValue('s1', 'v1')).toBe('s1');
  });

  it('names a visit by its date', () => {
    expect(visitChoiceLabel({ visited_on: '2026-11-09' }, 'en-GB')).toBe('Follow-up visit, 9 Nov 2026');
  });
});
