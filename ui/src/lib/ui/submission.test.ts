import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { Submission, hasErrors, placeRefusal } from './submission.svelte';

const refused = (field: string | null, message = 'refused') => new ApiError('invalid', message, field);

describe('placeRefusal', () => {
  function check(error: unknown, expected: string, fieldFor?: (field: string) => string | null) {
    const placed = placeRefusal(error, fieldFor);
    const where = 'field' in placed ? `field ${placed.field}: ${placed.message}` : `failure ${placed.failure.kind}: ${placed.failure.message}`;
    expect(where).toBe(expected);
  }

  it('puts a refusal naming a field beside that field', () => {
    check(refused('email', 'email has no @'), 'field email: email has no @');
  });

  it('puts a refusal naming no field, another kind, or a thrown string in the failure line', () => {
    check(refused(null, 'the session is incomplete'), 'failure invalid: the session is incomplete');
    check(new ApiError('conflict', 'already signed', 'signed_at'), 'failure conflict: already signed');
    check('command not found', 'failure internal: command not found');
  });

  it('follows the form’s own names for the fields the Rust side names', () => {
    const dateField = (field: string) => (field === 'given_on' ? 'date' : field);
    check(refused('given_on', 'date is in the future'), 'field date: date is in the future', dateField);
  });

  it('keeps a field the form does not show as a failure, so the message is not lost', () => {
    check(refused('client_id', 'no such client'), 'failure invalid: no such client', () => null);
  });
});

describe('hasErrors', () => {
  it('counts only fields with a message', () => {
    expect(hasErrors({}), 'no field').toBe(false);
    expect(hasErrors({ folder: '' }), 'a cleared message').toBe(false);
    expect(hasErrors({ folder: '', zone: 'choose the zone' })).toBe(true);
  });
});

describe('Submission', () => {
  it('refuses to save while the form shows its own errors, and clears the last failure', async () => {
    const submission = new Submission();
    await submission.run(() => Promise.reject(new ApiError('internal', 'disk full')));
    expect(submission.failure?.message).toBe('disk full');
    expect(submission.check({ name: 'enter the name' })).toBe(false);
    expect(submission.errors).toEqual({ name: 'enter the name' });
    expect(submission.failure, 'a new attempt clears the old failure').toBeNull();
    expect(submission.check({})).toBe(true);
  });

  it('shows a field refusal beside its field and says the save did not finish', async () => {
    const submission = new Submission();
    const saved = await submission.run(() => Promise.reject(refused('zone', 'unknown zone “neck”')));
    expect(saved).toBe(false);
    expect(submission.errors).toEqual({ zone: 'unknown zone “neck”' });
    expect(submission.failure).toBeNull();
    expect(submission.saving).toBe(false);
  });

  it('is saving while the save runs, and does not start a second one meanwhile', async () => {
    const submission = new Submission();
    let finish = () => {};
    const first = submission.run(() => new Promise<void>((resolve) => (finish = resolve)));
    expect(submission.saving).toBe(true);
    let ranAgain = false;
    expect(await submission.run(async () => void (ranAgain = true))).toBe(false);
    expect(ranAgain, 'a double click saves once').toBe(false);
    finish();
    expect(await first).toBe(true);
    expect(submission.saving).toBe(false);
  });

  it('maps the Rust side’s field names to the form’s', async () => {
    const submission = new Submission((field) => (field === 'subject' ? 'sessionId' : field));
    await submission.run(() => Promise.reject(refused('subject', 'no such session')));
    expect(submission.errors).toEqual({ sessionId: 'no such session' });
  });

  it('clears the message of a field that changed', async () => {
    const submission = new Submission();
    submission.check({ name: 'enter the name', email: 'email has no @' });
    submission.clear('name');
    expect(submission.errors).toEqual({ email: 'email has no @' });
  });
});
