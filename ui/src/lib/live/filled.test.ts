import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import { FilledForm, changedNotice } from './filled.svelte';

type Note = { id: string; text: string; updated_at: string };

/** A form over a stored note: what `read` returns next, and what the form holds. */
function setup(stored: Note[]) {
  const form = { text: '' };
  const read = vi.fn(async () => {
    const next = stored.shift();
    if (!next) throw new ApiError('not_found', 'no note n1');
    return next;
  });
  const filled = new FilledForm<Note>(read, (note) => (form.text = note.text));
  return { form, read, filled };
}

describe('a form filled from a stored record', () => {
  it('sends the time the record had when the form was filled', () => {
    const { filled } = setup([]);
    expect(filled.seen, 'nothing filled yet: nothing to compare').toBeNull();
    filled.filled({ id: 'n1', text: 'first', updated_at: '2026-11-25T10:20:00.123456Z' });
    expect(filled.seen).toBe('2026-11-25T10:20:00.123456Z');
  });

  it('after a refused save, reloads the record: the other change shows and the next save compares with it', async () => {
    const { form, filled } = setup([{ id: 'n1', text: 'their change', updated_at: '2026-11-25T10:25:00Z' }]);
    filled.filled({ id: 'n1', text: 'first', updated_at: '2026-11-25T10:20:00Z' });
    form.text = 'my change';
    expect(await filled.reload()).toBe(true);
    expect(form.text, 'the form shows what is stored now').toBe('their change');
    expect(filled.seen, 'the next save is compared with the reloaded record').toBe('2026-11-25T10:25:00Z');
    expect(filled.reloading).toBe(false);
  });

  it('keeps the form and says why when the record cannot be read again', async () => {
    const { form, filled } = setup([]);
    filled.filled({ id: 'n1', text: 'first', updated_at: '2026-11-25T10:20:00Z' });
    form.text = 'my change';
    expect(await filled.reload()).toBe(false);
    expect(form.text, 'what was typed is kept').toBe('my change');
    expect(filled.seen).toBe('2026-11-25T10:20:00Z');
    expect(filled.reloadFailure).toMatchObject({ kind: 'not_found' });
  });

  it('refills a form nobody is typing in when another desktop changes the record', async () => {
    const { form, filled } = setup([{ id: 'n1', text: 'their change', updated_at: '2026-11-25T10:25:00Z' }]);
    filled.filled({ id: 'n1', text: 'first', updated_at: '2026-11-25T10:20:00Z' });
    await filled.heard('Maya Lewis', false);
    expect(form.text).toBe('their change');
    expect(filled.changedElsewhere, 'nothing to tell: the form already shows it').toBeNull();
  });

  it('leaves a form being typed in alone and says who changed the record; a reload clears the notice', async () => {
    const { form, read, filled } = setup([{ id: 'n1', text: 'their change', updated_at: '2026-11-25T10:25:00Z' }]);
    filled.filled({ id: 'n1', text: 'first', updated_at: '2026-11-25T10:20:00Z' });
    form.text = 'half-typed';
    await filled.heard('Maya Lewis', true);
    expect(read, 'what the person typed is not replaced').not.toHaveBeenCalled();
    expect(form.text).toBe('half-typed');
    expect(filled.changedElsewhere).toEqual({ by: 'Maya Lewis' });
    expect(filled.seen, 'a save now is refused as a conflict').toBe('2026-11-25T10:20:00Z');
    await filled.reload();
    expect(filled.changedElsewhere).toBeNull();
  });

  it('reloads once at a time', async () => {
    const { read, filled } = setup([
      { id: 'n1', text: 'a', updated_at: '2026-11-25T10:25:00Z' },
      { id: 'n1', text: 'b', updated_at: '2026-11-25T10:26:00Z' },
    ]);
    const first = filled.reload();
    expect(await filled.reload(), 'a second click while reading does nothing').toBe(false);
    await first;
    expect(read).toHaveBeenCalledTimes(1);
  });
});

describe('changedNotice', () => {
  it('names who changed the record, or says someone', () => {
    expect(changedNotice('Maya Lewis')).toBe('Changed by Maya Lewis on another computer — reload to see it');
    expect(changedNotice(null)).toBe('Changed by someone on another computer — reload to see it');
    expect(changedNotice('  ')).toBe('Changed by someone on another computer — reload to see it');
  });
});
