import { describe, expect, it } from 'vitest';
import type { Consent } from '../api/records';
import { consentStatuses } from './consents';

function consent(id: string, kind: Consent['kind'], given: string, revoked: string | null = null): Consent {
  return {
    id,
    client_id: 'c',
    kind,
    template_version: '2026-1',
    given_on: given,
    signature: 'M 1 1 L 2 2',
    revoked_on: revoked,
    revoke_reason: revoked ? 'changed her mind' : null,
  };
}

describe('consent status', () => {
  const today = '2026-11-25';

  it('gives each kind its own status', () => {
    const statuses = consentStatuses(
      [consent('t', 'treatment', '2026-05-01'), consent('m', 'marketing_photos', '2026-05-01', '2026-09-01')],
      today,
    );
    expect(statuses.map((s) => [s.kind, s.status, s.consent?.id ?? null])).toEqual([
      ['treatment', 'active', 't'],
      ['clinical_photos', 'missing', null],
      ['marketing_photos', 'revoked', 'm'],
    ]);
  });

  it('is active again once consent is given after a revocation', () => {
    const statuses = consentStatuses(
      [consent('new', 'treatment', '2026-10-01'), consent('old', 'treatment', '2026-01-01', '2026-06-01')],
      today,
    );
    expect(statuses[0]).toMatchObject({ status: 'active', consent: { id: 'new' } });
    expect(statuses[0].history.map((c) => c.id)).toEqual(['new', 'old']);
  });

  it('counts a revocation from its date on, and a consent from the day it was given', () => {
    expect(consentStatuses([consent('t', 'treatment', today, today)], today)[0].status).toBe('revoked');
    expect(consentStatuses([consent('t', 'treatment', '2026-11-26')], today)[0].status).toBe('missing');
  });
});
