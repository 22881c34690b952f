import { describe, expect, it } from 'vitest';
import type { Client } from '../api/clients';
import { clientForm, clientInput, emptyClientForm, isClientField } from './form';

const CLIENT: Client = {
  id: '01900000-0000-7000-8000-000000000001',
  name: 'Ana Souza',
  date_of_birth: '1983-04-12',
  phone: null,
  email: 'ana@example.com',
  fitzpatrick: 4,
  glogau: 3,
  indications: ['texture', 'acne_scars'],
  alerts: 'needle phobia',
  notes: 'line one\nline two',
  archived: false,
  created_at: '2025-01-02T09:00:00Z',
  updated_at: '2025-01-02T09:00:00Z',
};

describe('client form', () => {
  it('sends blank optional fields as null and trims text fields', () => {
    const form = { ...emptyClientForm(), name: '  Ana  ', phone: '   ', email: ' ana@example.com ' };
    expect(clientInput(form)).toEqual({
      name: 'Ana',
      date_of_birth: null,
      phone: null,
      email: 'ana@example.com',
      fitzpatrick: null,
      glogau: null,
      indications: [],
      alerts: '',
      notes: '',
    });
  });

  it('keeps notes exactly as typed', () => {
    const form = { ...emptyClientForm(), name: 'Ana', notes: '  indented\n\n' };
    expect(clientInput(form).notes).toBe('  indented\n\n');
  });

  it('sends the Fitzpatrick choice as a number', () => {
    expect(clientInput({ ...emptyClientForm(), fitzpatrick: '5' }).fitzpatrick).toBe(5);
  });

  it('round-trips a stored client through the form unchanged (indications in the form order)', () => {
    const { id: _id, archived: _a, created_at: _c, updated_at: _u, ...input } = CLIENT;
    expect(clientInput(clientForm(CLIENT))).toEqual({ ...input, indications: ['acne_scars', 'texture'] });
  });

  it('sends the Glogau choice as a number and trims alerts', () => {
    const input = clientInput({ ...emptyClientForm(), glogau: '2', alerts: '  latex allergy ' });
    expect(input.glogau).toBe(2);
    expect(input.alerts).toBe('latex allergy');
  });

  it('knows its field names', () => {
    expect(isClientField('date_of_birth')).toBe(true);
    expect(isClientField('id')).toBe(false);
    expect(isClientField(null)).toBe(false);
  });
});
