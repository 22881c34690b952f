import { describe, expect, it } from 'vitest';
import { amendedLine, anaestheticTimes, endpointLabel, lotNumberLabel, lotRefLabel, painLabel, phaseLabel, signedLine } from './describe';
import { SESSION } from './fixtures';

describe('session facts in words', () => {
  it('names endpoint, phase and pain', () => {
    expect(endpointLabel('pinpoint_bleeding')).toBe('Pinpoint bleeding');
    expect(endpointLabel(null)).toBeNull();
    expect(phaseLabel('after')).toBe('After');
    expect(painLabel(0)).toBe('0 / 10');
    expect(painLabel(null)).toBeNull();
  });

  it('gives a lot with its expiry', () => {
    expect(lotRefLabel(SESSION.cartridge!, '2026-11-25', 'en-GB')).toBe(
      'Nano 36-pin cartridge, lot C25-041 (exp. 30 Dec 2027)',
    );
    expect(lotNumberLabel(SESSION.cartridge!, '2028-01-01', 'en-GB')).toBe('C25-041 (expired 30 Dec 2027)');
  });

  it('gives the anaesthetic times that were recorded', () => {
    expect(anaestheticTimes('08:20', '08:55')).toBe('applied 08:20, removed 08:55');
    expect(anaestheticTimes(null, '08:55')).toBe('removed 08:55');
    expect(anaestheticTimes(null, null)).toBeNull();
  });

  it('says who signed and when', () => {
    const signed = { signed_at: '2026-05-05T11:00:00Z', signed_by: 'p1' };
    const people = [{ id: 'p1', name: 'Dr Test' }];
    expect(signedLine(signed, people, 'en-GB', 'UTC')).toBe('Signed 5 May 2026, 11:00 by Dr Test');
    expect(signedLine(signed, [], 'en-GB', 'UTC')).toBe('Signed 5 May 2026, 11:00');
    expect(signedLine({ signed_at: null, signed_by: null }, people)).toBeNull();
  });

  it('says who amended and when, when the amendment names them', () => {
    expect(amendedLine({ at: '2026-05-06T09:00:00Z', by: 'Dr Test' }, 'en-GB', 'UTC')).toBe('6 May 2026, 09:00 by Dr Test');
    expect(amendedLine({ at: '2026-05-06T09:00:00Z', by: null }, 'en-GB', 'UTC')).toBe('6 May 2026, 09:00');
  });
});
