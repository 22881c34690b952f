// What the capture dialog tells the practitioner: the code's time left, the
// fingerprint to compare, each photo's outcome as it arrives, and why a
// capture closed by itself.
import { describe, expect, it, vi } from 'vitest';
import type { ImportResult, Photo } from '../api/photos';
import {
  addArrival,
  arrivalOf,
  arrivalOutcome,
  arrivalsSummary,
  captureStage,
  clockText,
  closedText,
  coalesce,
  codeText,
  fingerprintParts,
  hostOf,
  qrImageSrc,
  sameTarget,
  secondsLeft,
} from './capture';

const ZONES = [{ key: 'cheeks', name: 'Cheeks' }];

function photo(id: string, kind: Photo['kind'] = 'before', pose: Photo['pose'] = 'left_45'): Photo {
  return {
    id,
    client_id: 'c1',
    session_id: 's1',
    follow_up_id: null,
    sha256: 'ab',
    format: 'jpeg',
    original_name: 'IMG_1.jpg',
    bytes: 10,
    width: 800,
    height: 600,
    orientation: 1,
    captured_at: null,
    imported_at: '2026-12-07T10:00:00Z',
    kind,
    zone: 'cheeks',
    pose,
    custom_pose: null,
    alignment: null,
    conditions: [],
    portrait: false,
  };
}

function result(values: Partial<ImportResult> = {}): ImportResult {
  return { file: 'IMG_1.jpg', photo: photo('p1'), duplicate: false, refused: null, alignment: null, ...values };
}

describe('the QR code', () => {
  it('is shown as an image of the SVG document, every character escaped', () => {
    const svg = '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h1#"/></svg>';
    const src = qrImageSrc(svg);
    expect(src.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(src).not.toMatch(/[<>"#\s]/);
    expect(decodeURIComponent(src.slice(src.indexOf(',') + 1))).toBe(svg);
  });
});

describe('the time the code has left', () => {
  function check(elapsedMs: number, expected: number) {
    expect(secondsLeft(1_000_000, 600, 1_000_000 + elapsedMs), `after ${elapsedMs} ms`).toBe(expected);
  }

  it('counts down whole seconds from the moment it opened, and stops at zero', () => {
    check(0, 600);
    check(400, 600);
    check(1000, 599);
    check(19_000, 581);
    check(599_999, 1);
    check(600_000, 0);
    check(900_000, 0);
    check(-5000, 600);
  });

  it('reads as minutes and seconds', () => {
    expect([600, 581, 65, 9, 0, -3].map(clockText)).toEqual(['10:00', '9:41', '1:05', '0:09', '0:00', '0:00']);
  });

  it('says how long the code still pairs a phone, or that it ran out', () => {
    expect(codeText(581)).toBe('The code works once, for 9:41 more');
    expect(codeText(1)).toBe('The code works once, for 0:01 more');
    expect(codeText(0)).toMatch(/^The code has run out: .* needs a new code\.$/);
  });
});

describe('what the dialog shows', () => {
  function check(state: Partial<Parameters<typeof captureStage>[0]>, expected: string) {
    expect(captureStage({ opened: false, failed: false, closed: false, paired: false, ...state }), JSON.stringify(state)).toBe(expected);
  }

  it('is the code until a phone sends a photo, then only the photos, until the capture closes', () => {
    check({}, 'opening');
    check({ failed: true }, 'failed');
    check({ opened: true }, 'waiting');
    check({ opened: true, paired: true }, 'paired');
    check({ opened: true, paired: true, closed: true }, 'closed');
    check({ opened: true, closed: true }, 'closed');
  });
});

describe('the fingerprint', () => {
  it('shows its first four groups to compare, the rest on demand', () => {
    expect(fingerprintParts('AB:CD:EF:01:23:45:67')).toEqual({ start: 'AB:CD:EF:01', rest: '23:45:67' });
    expect(fingerprintParts('AB:CD')).toEqual({ start: 'AB:CD', rest: '' });
    expect(fingerprintParts(' AB:CD:EF:01:99 ', 2)).toEqual({ start: 'AB:CD', rest: 'EF:01:99' });
    expect(fingerprintParts('')).toEqual({ start: '', rest: '' });
  });

  it('goes with the address the browser names in its warning', () => {
    expect(hostOf('https://192.168.1.20:47310/pair/0123')).toBe('192.168.1.20');
    expect(hostOf('https://[fe80::1]:47310/pair/0123')).toBe('fe80::1');
    expect(hostOf('not a url')).toBe('not a url');
  });
});

describe('which capture an event is about', () => {
  it('is the one with the same client, session and visit', () => {
    const ours = { client_id: 'c1', session_id: 's1', follow_up_id: null };
    expect(sameTarget(ours, { ...ours })).toBe(true);
    expect(sameTarget(ours, { ...ours, session_id: null })).toBe(false);
    expect(sameTarget(ours, { ...ours, client_id: 'c2' })).toBe(false);
    expect(sameTarget({ ...ours, session_id: null, follow_up_id: 'v1' }, { ...ours, session_id: null, follow_up_id: 'v2' })).toBe(false);
  });
});

describe('a photo as it arrives', () => {
  function check(values: Partial<ImportResult>, outcome: string, tone: string) {
    expect(arrivalOutcome(result(values))).toEqual({ outcome, tone });
  }

  it('says whether it lines up with the earlier photo, with the confidence in whole percent', () => {
    check({ alignment: { reference: 'p0', confidence: 0.823, applied: true } }, 'Lines up with the earlier photo — 82%', 'success');
    check(
      { alignment: { reference: 'p0', confidence: 0.234, applied: false } },
      'Does not line up with the earlier photo (23%): consider retaking',
      'warning',
    );
    check({ alignment: { reference: 'p0', confidence: 1.7, applied: true } }, 'Lines up with the earlier photo — 100%', 'success');
    check({ alignment: { reference: 'p0', confidence: null, applied: true } }, 'Lines up with the earlier photo', 'success');
    check(
      { alignment: { reference: 'p0', confidence: null, applied: false } },
      'Could not be lined up with the earlier photo: consider retaking',
      'warning',
    );
  });

  it('says it is saved when there is nothing earlier to line up with, or it came twice', () => {
    check({}, 'Saved; no earlier photo of this zone and pose to line up with', 'success');
    check({ duplicate: true, alignment: { reference: 'p0', confidence: 0.1, applied: false } }, 'Already saved: the phone sent the same photo again', 'success');
  });

  it('gives the core’s reason when it was refused', () => {
    const refused = { kind: 'invalid' as const, message: 'IMG_9.jpg was not imported: not a photo' };
    check({ photo: null, refused }, 'IMG_9.jpg was not imported: not a photo', 'danger');
    check({ photo: null }, 'the photo was not stored', 'danger');
  });

  it('is titled by kind, zone and pose, or by its file when refused', () => {
    expect(arrivalOf(result(), ZONES, 1)).toMatchObject({ key: 'p1', title: 'Before · Cheeks · Left 45°' });
    const refused = arrivalOf(result({ file: '/tmp/phone/IMG_9.HEIC', photo: null, refused: { kind: 'invalid', message: 'no' } }), ZONES, 4);
    expect(refused).toMatchObject({ key: 'refused:4', photo: null, title: 'IMG_9.HEIC', tone: 'danger' });
  });

  it('goes on top of the list; the same photo sent again moves up rather than showing twice', () => {
    const first = arrivalOf(result({ photo: photo('p1') }), ZONES, 1);
    const second = arrivalOf(result({ photo: photo('p2', 'after') }), ZONES, 2);
    const again = arrivalOf(result({ photo: photo('p1'), duplicate: true }), ZONES, 3);
    const list = addArrival(addArrival(addArrival([], first), second), again);
    expect(list.map((a) => [a.key, a.outcome])).toEqual([
      ['p1', 'Already saved: the phone sent the same photo again'],
      ['p2', 'Saved; no earlier photo of this zone and pose to line up with'],
    ]);
  });

  it('is counted with the others', () => {
    const saved = arrivalOf(result(), ZONES, 1);
    const refused = arrivalOf(result({ photo: null, refused: { kind: 'invalid', message: 'no' } }), ZONES, 2);
    expect(arrivalsSummary([])).toBe('');
    expect(arrivalsSummary([saved])).toBe('1 photo saved');
    expect(arrivalsSummary([refused, saved, { ...saved, key: 'p2' }])).toBe('2 photos saved, 1 refused');
  });
});

describe('a capture that closed by itself', () => {
  it('says why, as one sentence', () => {
    expect(closedText('the code expired before a phone used it')).toBe('The capture closed: the code expired before a phone used it.');
    expect(closedText('the phone sent nothing for 10 minutes.')).toBe('The capture closed: the phone sent nothing for 10 minutes.');
    expect(closedText('  ')).toBe('The capture closed.');
  });
});

describe('refreshing the page as photos arrive', () => {
  it('runs once more after the running refresh for any number of photos that came meanwhile', async () => {
    const finishes: (() => void)[] = [];
    const run = vi.fn(() => new Promise<void>((resolve) => finishes.push(resolve)));
    const refresh = coalesce(run);
    const first = refresh();
    void refresh();
    void refresh();
    expect(run).toHaveBeenCalledTimes(1);
    finishes.shift()!();
    await vi.waitFor(() => expect(run).toHaveBeenCalledTimes(2));
    finishes.shift()!();
    await first;
    expect(run).toHaveBeenCalledTimes(2);
    void refresh();
    expect(run).toHaveBeenCalledTimes(3);
    finishes.shift()!();
  });

  it('keeps going after a refresh that failed', async () => {
    const run = vi.fn().mockRejectedValueOnce(new Error('locked')).mockResolvedValue(undefined);
    const refresh = coalesce(run);
    await refresh();
    await refresh();
    expect(run).toHaveBeenCalledTimes(2);
  });
});
