import { describe, expect, it } from 'vitest';
import type { Practitioner } from '../api/clinic';
import {
  ROLES,
  accountInput,
  emptyAccountForm,
  emptyPassphraseForm,
  isPrescriber,
  passphraseInput,
  roleHint,
  roleLabel,
  roleTreats,
  treatsAs,
} from './accounts';
import type { AccountForm } from './accounts';

const ANA: Practitioner = { id: 'p1', name: 'Ana Ruiz', credentials: 'RN', prescriber: false, archived: false, created_at: '2026-01-01T00:00:00Z' };
const LEO: Practitioner = { ...ANA, id: 'p2', name: 'Dr Leo Brandt', credentials: '', prescriber: true };

/** Checks the problems the add form finds, by field. */
function check(changes: Partial<AccountForm>, expected: Record<string, string>) {
  expect(accountInput({ ...emptyAccountForm(), name: 'Mia Lund', ...changes }).errors, JSON.stringify(changes)).toEqual(expected);
}

describe('roles', () => {
  it('names each role the core knows, with what it may do', () => {
    expect(ROLES.map((r) => r.value)).toEqual(['owner', 'practitioner', 'assistant', 'reviewer']);
    expect(roleLabel('assistant')).toBe('Assistant');
    expect(roleHint('reviewer')).toContain('changes nothing');
  });

  it('lets only owners and practitioners treat clients', () => {
    expect(ROLES.filter((r) => roleTreats(r.value)).map((r) => r.value)).toEqual(['owner', 'practitioner']);
  });
});

describe('an account in the list', () => {
  it('says whom it treats as, and whether they prescribe', () => {
    expect(treatsAs({ practitioner_id: 'p1' }, [ANA, LEO])).toBe('treats as Ana Ruiz, RN');
    expect(treatsAs({ practitioner_id: 'p2' }, [ANA, LEO]), 'no credentials, no comma').toBe('treats as Dr Leo Brandt');
    expect(treatsAs({ practitioner_id: 'p9' }, [ANA]), 'a practitioner not in the list').toBe('treats clients');
    expect(treatsAs({ practitioner_id: null }, [ANA])).toBeNull();
    expect(isPrescriber({ practitioner_id: 'p2' }, [ANA, LEO])).toBe(true);
    expect(isPrescriber({ practitioner_id: 'p1' }, [ANA, LEO])).toBe(false);
    expect(isPrescriber({ practitioner_id: null }, [LEO])).toBe(false);
  });
});

describe('adding an account', () => {
  it('leaves the passphrase and PIN to the first sign-in when both are empty', () => {
    expect(accountInput({ ...emptyAccountForm(), name: '  Mia   Lund ', credentials: ' RN ', prescriber: true })).toEqual({
      input: {
        name: 'Mia Lund',
        role: 'practitioner',
        practitioner_id: null,
        treats: { credentials: 'RN', prescriber: true },
        passphrase: null,
        pin: null,
      },
      errors: {},
    });
  });

  it('sends a passphrase and PIN given together', () => {
    const { input } = accountInput({ ...emptyAccountForm(), name: 'Mia', passphrase: 'correct horse', pin: ' 2468 ' });
    expect(input?.passphrase).toBe('correct horse');
    expect(input?.pin).toBe('2468');
  });

  it('makes a practitioner record only for a role that treats, and only when asked', () => {
    expect(accountInput({ ...emptyAccountForm(), name: 'Mia', treats: false }).input?.treats).toBeNull();
    expect(accountInput({ ...emptyAccountForm(), name: 'Mia', role: 'assistant' }).input?.treats, 'an assistant does not treat').toBeNull();
    expect(accountInput({ ...emptyAccountForm(), name: 'Mia', role: 'owner' }).input?.treats).toEqual({ credentials: '', prescriber: false });
  });

  it('reports each problem', () => {
    check({ name: ' ' }, { name: 'enter the person’s name' });
    check({ passphrase: 'short', pin: '1234' }, { passphrase: 'a passphrase needs at least 10 characters; this one has 5' });
    check({ passphrase: 'exactly 10', pin: '1234' }, {});
    check({ passphrase: 'long enough here', pin: '123' }, { pin: 'a PIN is 4 to 8 digits' });
    check({ passphrase: 'long enough here', pin: '123456789' }, { pin: 'a PIN is 4 to 8 digits' });
    check({ passphrase: 'long enough here', pin: '12a4' }, { pin: 'a PIN is 4 to 8 digits' });
    check({ passphrase: 'long enough here', pin: '12345678' }, {});
    check({ passphrase: 'long enough here' }, { pin: 'give a PIN with the passphrase, or leave both empty' });
    check({ pin: '1234' }, { passphrase: 'give a passphrase with the PIN, or leave both empty' });
  });

  it('counts a passphrase in characters, not bytes', () => {
    check({ passphrase: 'ééééééééé', pin: '1234' }, { passphrase: 'a passphrase needs at least 10 characters; this one has 9' });
  });
});

describe('resetting a passphrase', () => {
  it('keeps the PIN when none is typed', () => {
    expect(passphraseInput({ passphrase: 'a new passphrase', pin: '' }, false)).toEqual({
      input: { passphrase: 'a new passphrase', pin: null },
      errors: {},
    });
    expect(passphraseInput({ passphrase: 'a new passphrase', pin: '9876' }, false).input?.pin).toBe('9876');
  });

  it('asks a PIN of an account that has never signed in', () => {
    expect(passphraseInput({ passphrase: 'a new passphrase', pin: '' }, true).errors).toEqual({ pin: 'choose a PIN too: this account has none yet' });
  });

  it('reports each problem', () => {
    expect(passphraseInput(emptyPassphraseForm(), false).errors).toEqual({ passphrase: 'enter a passphrase of at least 10 characters' });
    expect(passphraseInput({ passphrase: 'too short', pin: '12' }, false).errors).toEqual({
      passphrase: 'a passphrase needs at least 10 characters; this one has 9',
      pin: 'a PIN is 4 to 8 digits',
    });
  });
});
