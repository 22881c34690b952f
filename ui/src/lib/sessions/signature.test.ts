import { describe, expect, it } from 'vitest';
import type { Permission } from '../api/accounts';
import type { TreatmentSession } from '../api/sessions';
import { SESSION, SIGNATURE, SIGNED_SESSION } from './fixtures';
import {
  awaitsCosign,
  canCosign,
  canSign,
  cosignatureLine,
  fingerprint,
  pinProblem,
  pinReady,
  signatureLine,
  whyNotSign,
} from './signature';
import type { Signer } from './signature';

// The roles as the core grants them (the part that matters here).
const PRACTITIONER: Permission[] = ['read_clinical', 'edit_clinical', 'sign_sessions'];
const OWNER: Permission[] = [...PRACTITIONER, 'co_sign', 'manage_accounts'];
const REVIEWER: Permission[] = ['read_clinical', 'co_sign'];
const ASSISTANT: Permission[] = ['read_clients', 'capture_photos'];

/** SESSION's treating practitioner, signed in as herself (the one who signed SIGNED_SESSION). */
const okafor: Signer = { id: 'account-okafor', practitioner_id: 'practitioner-1', permissions: PRACTITIONER };
/** Another practitioner of the clinic. */
const reyes: Signer = { id: 'account-reyes', practitioner_id: 'practitioner-2', permissions: PRACTITIONER };
/** The owner, who also treats (as another practitioner). */
const owner: Signer = { id: 'account-owner', practitioner_id: 'practitioner-3', permissions: OWNER };
/** A supervising doctor who reads and co-signs, and treats no one. */
const reviewer: Signer = { id: 'account-reviewer', practitioner_id: null, permissions: REVIEWER };
const assistant: Signer = { id: 'account-desk', practitioner_id: null, permissions: ASSISTANT };

type Who = [name: string, me: Signer | null];
const EVERYONE: Who[] = [
  ['the treating practitioner', okafor],
  ['another practitioner', reyes],
  ['the owner', owner],
  ['a reviewer', reviewer],
  ['an assistant', assistant],
  ['nobody signed in', null],
];

/** Checks `rule` for every person against the names expected to pass it. */
function check(rule: (me: Signer | null) => boolean, allowed: string[]) {
  for (const [name, me] of EVERYONE) {
    expect(rule(me), `${name} ${allowed.includes(name) ? 'should' : 'should not'} be offered this`).toBe(allowed.includes(name));
  }
}

describe('who signs a session', () => {
  it('offers Sign only to the practitioner who treated, signed in as themselves', () => {
    check((me) => canSign(SESSION, me), ['the treating practitioner']);
  });

  it('offers no Sign on a signed session, even to its practitioner', () => {
    check((me) => canSign(SIGNED_SESSION, me), []);
  });

  it('offers no Sign to the treating practitioner without the right to sign', () => {
    expect(canSign(SESSION, { ...okafor, permissions: ['read_clinical'] })).toBe(false);
  });

  it('says calmly who can sign when it is not the person at the keyboard', () => {
    expect(whyNotSign(SESSION, okafor), 'the signer is offered Sign, not a reason').toBeNull();
    expect(whyNotSign(SESSION, reyes)).toBe('Only Dr. Amara Okafor can sign this session.');
    expect(whyNotSign(SESSION, reviewer)).toBe('Only Dr. Amara Okafor can sign this session.');
    expect(whyNotSign(SESSION, null)).toBe('Only Dr. Amara Okafor can sign this session.');
    expect(whyNotSign(SESSION, { ...okafor, permissions: [] })).toBe('Your account does not sign sessions.');
    expect(whyNotSign(SIGNED_SESSION, reyes), 'a signed session needs no reason').toBeNull();
  });
});

describe('who co-signs a session', () => {
  it('offers Co-sign to those who may co-sign, never to the one who signed', () => {
    check((me) => canCosign(SIGNED_SESSION, me), ['the owner', 'a reviewer']);
    const signedByOwner = { ...SIGNED_SESSION, signature: { ...SIGNATURE, account_id: owner.id } };
    check((me) => canCosign(signedByOwner, me), ['a reviewer']);
  });

  it('offers Co-sign only while a co-signature is asked and missing', () => {
    const notAsked: TreatmentSession = { ...SIGNED_SESSION, cosign_required: false };
    const cosigned: TreatmentSession = {
      ...SIGNED_SESSION,
      cosignature: { ...SIGNATURE, account_id: reviewer.id, account_name: 'Dr Jon Reyes', at: '2026-05-06T09:30:00Z' },
    };
    const unsigned: TreatmentSession = { ...SESSION, cosign_required: true };
    for (const [session, why] of [
      [notAsked, 'the clinic does not ask it'],
      [cosigned, 'it is co-signed already'],
      [unsigned, 'it is not signed yet'],
    ] as const) {
      expect(awaitsCosign(session), why).toBe(false);
      check((me) => canCosign(session, me), []);
    }
    expect(awaitsCosign(SIGNED_SESSION)).toBe(true);
  });

  it('lets anyone who may co-sign co-sign a session signed before accounts', () => {
    const before = { ...SIGNED_SESSION, signature: null };
    check((me) => canCosign(before, me), ['the owner', 'a reviewer']);
  });
});

describe('signatures in words', () => {
  it('names the account and the time', () => {
    expect(signatureLine(SIGNATURE, 'en-GB', 'UTC')).toBe('Signed by Dr. Amara Okafor at 5 May 2026, 11:00');
    const cosignature = { account_name: 'Dr Jon Reyes', at: '2026-05-06T09:30:00Z' };
    expect(cosignatureLine(cosignature, 'en-GB', 'UTC')).toBe('Co-signed by Dr Jon Reyes at 6 May 2026, 09:30');
  });

  it('shows the first 12 hex characters of the hash', () => {
    expect(fingerprint(SIGNATURE.content_hash)).toBe('3f9a0c1b7d2e');
    expect(fingerprint(' 3F9A0C1B7D2E5A6F ')).toBe('3f9a0c1b7d2e');
    expect(fingerprint('abc')).toBe('abc');
  });
});

describe('the PIN that confirms a signature', () => {
  it('is 4 to 8 digits', () => {
    for (const [pin, ready] of [
      ['1234', true],
      ['12345678', true],
      ['123', false],
      ['123456789', false],
      ['12a4', false],
      [' 1234', false],
      ['', false],
    ] as const) {
      expect(pinReady(pin), JSON.stringify(pin)).toBe(ready);
    }
  });

  it('says what is missing before asking the core', () => {
    expect(pinProblem('', 'the amendment')).toBe('enter your PIN to confirm the amendment');
    expect(pinProblem('12', 'the amendment')).toBe('a PIN is 4 to 8 digits');
    expect(pinProblem('4821', 'the amendment')).toBeNull();
  });
});
