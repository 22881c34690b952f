import { describe, expect, it } from 'vitest';
import { ownerErrors, passphraseError, pinError } from './forms';

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
