import { describe, expect, it } from 'vitest';
import { birthSummary, contactSummary, countSummary } from './describe';

describe('birthSummary', () => {
  it('gives age and date of birth', () => {
    expect(birthSummary('1983-04-12', '2025-06-15', 'en-GB')).toBe('42 years · 12 Apr 1983');
    expect(birthSummary('2024-06-15', '2025-06-15', 'en-GB')).toBe('1 year · 15 Jun 2024');
  });

  it('is absent without a date of birth', () => {
    expect(birthSummary(null, '2025-06-15', 'en-GB')).toBeNull();
  });
});

describe('contactSummary', () => {
  it('joins what is recorded', () => {
    expect(contactSummary({ phone: '07700 900123', email: 'a@b.co' })).toBe('07700 900123 · a@b.co');
    expect(contactSummary({ phone: null, email: 'a@b.co' })).toBe('a@b.co');
    expect(contactSummary({ phone: null, email: null })).toBeNull();
  });
});

describe('countSummary', () => {
  it('counts clients, or matches when searching', () => {
    expect(countSummary(0, false)).toBe('0 clients');
    expect(countSummary(1, false)).toBe('1 client');
    expect(countSummary(1, true)).toBe('1 match');
    expect(countSummary(5, true)).toBe('5 matches');
  });
});
