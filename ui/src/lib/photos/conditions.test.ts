import { describe, expect, it } from 'vitest';
import type { CaptureCondition } from '../api/photos';
import { conditionLabels } from './conditions';

describe('conditionLabels', () => {
  function check(conditions: CaptureCondition[], expected: string[]) {
    expect(conditionLabels(conditions), conditions.join(', ')).toEqual(expected);
  }

  it('says each condition ticked, in the usual order', () => {
    check(['plain_background', 'makeup_off'], ['Make-up off', 'Plain background']);
    check(
      ['makeup_off', 'usual_lighting', 'usual_distance', 'hair_back', 'plain_background'],
      ['Make-up off', 'Usual lighting', 'Usual distance', 'Hair held back', 'Plain background'],
    );
  });

  it('says nothing for a photo imported from files, and each condition once', () => {
    check([], []);
    check(['hair_back', 'hair_back'], ['Hair held back']);
  });
});
