import { describe, expect, it } from 'vitest';
import { initials, portraitRole } from './portrait';

describe('initials', () => {
  function check(name: string, expected: string) {
    expect(initials(name), name).toBe(expected);
  }

  it('takes the first and last names’ first letters', () => {
    check('Ada Lovelace', 'AL');
    check('María José García', 'MG');
    check('  amara   okafor ', 'AO');
  });

  it('counts a hyphenated surname as names of its own', () => {
    check('Jean-Luc Picard', 'JP');
    check('Zoë Smith-Jones', 'ZJ');
  });

  it('gives one letter for one name, and skips what is not a letter', () => {
    check('Cher', 'C');
    check('Ada (Addie) Lovelace', 'AL');
    check('Łucja Żak', 'ŁŻ');
  });

  it('gives a question mark when the name has no letters', () => {
    check('', '?');
    check(' 42 ', '?');
  });
});

describe('portraitRole', () => {
  it('tells a chosen portrait from the latest front photo shown for want of one', () => {
    expect(portraitRole({ id: 'p1', portrait: true }, 'p1')).toBe('chosen');
    expect(portraitRole({ id: 'p1', portrait: false }, 'p1')).toBe('latest-front');
  });

  it('says not for another photo, no portrait, or one not known yet', () => {
    expect(portraitRole({ id: 'p1', portrait: true }, 'p2')).toBe('not');
    expect(portraitRole(null, 'p2')).toBe('not');
    expect(portraitRole(undefined, 'p2')).toBe('not');
  });
});
