import { describe, expect, it } from 'vitest';
import type { ClientInput } from '../api/clients';
import { clientInput, emptyClientForm } from './form';
import type { ClientField } from './form';
import { validateClient, validateClientField } from './validate';

const TODAY = '2025-06-15';

const VALID: ClientInput = {
  name: 'Ana Souza',
  date_of_birth: '1983-04-12',
  phone: '+44 (0)20 7946-0958',
  email: 'ana@example.co.uk',
  fitzpatrick: 3,
  glogau: 2,
  indications: ['acne_scars'],
  alerts: 'allergic to lidocaine',
  notes: 'prefers morning appointments',
};

/** Checks one field of VALID changed to `value`: `expected` is null (accepted) or a fragment of the message. */
function check<F extends ClientField>(field: F, value: ClientInput[F], expected: string | null) {
  const input = { ...VALID, [field]: value };
  const error = validateClientField(field, input, TODAY);
  const what = `${field} = ${JSON.stringify(value)}`;
  if (expected === null) expect(error, `${what} should be accepted`).toBeNull();
  else expect(error, `${what} should be refused`).toContain(expected);
}

describe('validateClient', () => {
  it('accepts a complete, valid record', () => {
    expect(validateClient(VALID, TODAY)).toEqual({});
  });

  it('accepts a record with only a name', () => {
    const input = clientInput({ ...emptyClientForm(), name: 'Bo' });
    expect(validateClient(input, TODAY)).toEqual({});
  });

  it('reports every broken field at once, keyed by field name', () => {
    const input = { ...VALID, name: ' ', email: 'nope', fitzpatrick: 9 };
    expect(Object.keys(validateClient(input, TODAY)).sort()).toEqual(['email', 'fitzpatrick', 'name']);
  });
});

describe('name', () => {
  it('is required, spaces alone do not count', () => {
    check('name', '', 'required');
    check('name', '   \t', 'required');
    check('name', 'A', null);
  });

  it('allows 200 characters after trimming, not 201', () => {
    check('name', 'x'.repeat(200), null);
    check('name', `  ${'x'.repeat(200)}  `, null);
    check('name', 'x'.repeat(201), '201 characters');
  });

  it('counts characters, not UTF-16 units, as the server does', () => {
    // 200 emoji are 400 UTF-16 units but 200 characters.
    check('name', '😀'.repeat(200), null);
    check('name', 'é'.repeat(201), 'at most 200');
  });
});

describe('date of birth', () => {
  it('is optional', () => check('date_of_birth', null, null));

  it('may be today but not tomorrow', () => {
    check('date_of_birth', '2025-06-15', null);
    check('date_of_birth', '2025-06-16', 'in the future');
    check('date_of_birth', '2026-01-01', 'in the future');
  });

  it('may be 1900-01-01 but not earlier', () => {
    check('date_of_birth', '1900-01-01', null);
    check('date_of_birth', '1899-12-31', 'before 1900-01-01');
  });

  it('must be a real date', () => {
    check('date_of_birth', '2023-02-29', 'not a valid date');
    check('date_of_birth', '12/04/1983', 'not a valid date');
  });
});

describe('phone', () => {
  it('is optional', () => check('phone', null, null));

  it('allows digits with spaces, + - ( ) and dots', () => {
    check('phone', '07700 900123', null);
    check('phone', '+1 (555) 010-9999', null);
    check('phone', '020.7946.0958', null);
  });

  it('needs 5 to 20 digits', () => {
    check('phone', '1234', 'has 4 digits');
    check('phone', '12345', null);
    check('phone', '1'.repeat(20), null);
    check('phone', '1'.repeat(21), 'has 21 digits');
    check('phone', '(+) - . ', 'has 0 digits');
  });

  it('refuses letters and other symbols', () => {
    check('phone', '0770 CALL ME', 'only contain');
    check('phone', '12345 ext 6', 'only contain');
    check('phone', '12345#', 'only contain');
  });
});

describe('email', () => {
  it('is optional', () => check('email', null, null));

  it('must look like local@domain.tld', () => {
    check('email', 'a@b.co', null);
    check('email', 'first.last+tag@clinic.example.org', null);
    check('email', 'ana', 'does not look like');
    check('email', 'ana@clinic', 'does not look like');
    check('email', '@clinic.com', 'does not look like');
    check('email', 'ana@.com', 'does not look like');
    check('email', 'ana@clinic.', 'does not look like');
    check('email', 'ana@@clinic.com', 'does not look like');
    check('email', 'ana souza@clinic.com', 'does not look like');
  });
});

describe('fitzpatrick', () => {
  it('is optional and one of 1 to 6', () => {
    check('fitzpatrick', null, null);
    for (const n of [1, 2, 3, 4, 5, 6]) check('fitzpatrick', n, null);
    check('fitzpatrick', 0, 'I to VI');
    check('fitzpatrick', 7, 'I to VI');
    check('fitzpatrick', 2.5, 'I to VI');
    check('fitzpatrick', Number.NaN, 'I to VI');
  });
});

describe('notes', () => {
  it('allow 10000 characters, not 10001', () => {
    check('notes', '', null);
    check('notes', 'n'.repeat(10_000), null);
    check('notes', 'n'.repeat(10_001), '10001 characters');
  });
});

describe('glogau', () => {
  it('accepts I to IV or nothing', () => {
    check('glogau', null, null);
    for (const n of [1, 2, 3, 4]) check('glogau', n, null);
    check('glogau', 5, 'I to IV');
    check('glogau', Number.NaN, 'I to IV');
  });
});

describe('alerts', () => {
  it('keeps alerts short enough to show at a glance', () => {
    check('alerts', 'x'.repeat(1000), null);
    check('alerts', 'x'.repeat(1001), 'at most 1000');
  });
});
