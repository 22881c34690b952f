import { describe, expect, it } from 'vitest';
import { ownerErrors, passphraseError, pinError, recoveryErrors, recoveryKeyError } from './forms';

describe('passphrases and PINs', () => {
  it('asks for ten characters, counted as a person counts them', () => {
    expect(passphraseError('short', 'short')).toBe('a passphrase needs at least 10 characters; this one has 5');
    expect(passphraseError('ééééééééé', 'ééééééééé')).toMatch(/this one has 9/);
    expect(passphraseError('long enough phrase', 'long enough phrase')).toBeNull();
  });

  it('asks for the same passphrase twice', () => {
    expect(passphraseError('long enough phrase', 'long enough phrasE')).toBe('the two passphrases differ');
  });

  it('takes a PIN of 4 to 8 digits only', () => {
    expect(pinError('1234')).toBeNull();
    expect(pinError('12345678')).toBeNull();
    expect(pinError('123')).not.toBeNull();
    expect(pinError('123456789')).not.toBeNull();
    expect(pinError('12a4')).not.toBeNull();
  });
});

describe('the first start', () => {
  const good = {
    clinicName: 'Harbour Skin',
    name: 'Hannah Owner',
    passphrase: 'correct horse battery',
    repeated: 'correct horse battery',
    pin: '4821',
    treats: false,
    credentials: '',
    prescriber: false,
  };

  it('sends a complete owner', () => {
    expect(ownerErrors(good)).toEqual({});
  });

  it('names every problem at once, by field', () => {
    expect(Object.keys(ownerErrors({ ...good, clinicName: ' ', name: '', pin: '12', repeated: 'x' }))).toEqual([
      'clinic_name',
      'name',
      'passphrase',
      'pin',
    ]);
  });
});

describe('recovery keys', () => {
  // As the core shows one: 13 groups of 4 characters, joined by dashes.
  const key = '7K3M-Q9XD-2B8T-VN4H-6PRW-0ZC1-JF5A-YE8S-K2M7-4Q9D-X3TB-8VNH-6PR0';

  function check(typed: string, expected: string | null) {
    expect(recoveryKeyError(typed), JSON.stringify(typed)).toBe(expected);
  }

  it('takes a key as shown, or typed without dashes, in spaced groups, or in lower case', () => {
    check(key, null);
    check(key.replaceAll('-', ''), null);
    check(key.replaceAll('-', ' '), null);
    check(` ${key.toLowerCase()}\n`, null);
  });

  it('reads O as 0 and I or L as 1, as a person may misread the sheet', () => {
    check(key.replaceAll('0', 'O'), null);
    check(key.replaceAll('1', 'I'), null);
    check(key.replaceAll('1', 'l'), null);
  });

  it('counts the characters that hold the key, not the dashes and spaces', () => {
    check(key.slice(0, -5), 'a recovery key has 52 characters; this has 48');
    check(`${key}-7`, 'a recovery key has 52 characters; this has 53');
    check(' - ', 'type the recovery key from the recovery sheet');
  });

  it('names a character that cannot be in a key', () => {
    check(key.replace('7K3M', '7K3U'), 'a recovery key has only digits and the letters A to Z without U; this has "U"');
    check(key.replace('7K3M', '7K3.'), 'a recovery key has only digits and the letters A to Z without U; this has "."');
    check(key.replace('7K3M', '7K3É'), 'a recovery key has only digits and the letters A to Z without U; this has "É"');
  });
});

describe('opening with the recovery key', () => {
  const good = {
    recoveryKey: '7K3M-Q9XD-2B8T-VN4H-6PRW-0ZC1-JF5A-YE8S-K2M7-4Q9D-X3TB-8VNH-6PR0',
    name: 'Hannah Owner',
    passphrase: 'a new passphrase',
    repeated: 'a new passphrase',
    pin: '4821',
    repeatedPin: '4821',
  };

  it('sends a complete form', () => {
    expect(recoveryErrors(good)).toEqual({});
  });

  it('asks for the same PIN twice', () => {
    expect(recoveryErrors({ ...good, repeatedPin: '4812' })).toEqual({ pin: 'the two PINs differ' });
  });

  it('names every problem at once, by the fields the core names', () => {
    expect(Object.keys(recoveryErrors({ ...good, recoveryKey: 'ABCD', name: ' ', repeated: 'x', pin: '12' }))).toEqual([
      'recovery_key',
      'name',
      'passphrase',
      'pin',
    ]);
  });
});
