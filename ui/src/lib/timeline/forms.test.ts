import { describe, expect, it } from 'vitest';
import { adverseErrors, dateError, followUpErrors, resolveErrors, scoreErrors, scoreSubject, scoreValue, subjectField } from './forms';
import type { ScoreDraft } from './forms';
import { SCALES } from './fixtures';

const TODAY = '2026-11-25';

const DRAFT: ScoreDraft = {
  subjectKind: 'session',
  sessionId: 'session-2',
  followUpId: '',
  beforePhotoId: '',
  afterPhotoId: '',
  scale: 'gais_practitioner',
  value: '2',
  recordedOn: '2026-11-20',
  note: '',
};

describe('dates in the forms', () => {
  it('must be a real day, not in the future, and not before what they follow', () => {
    expect(dateError('', TODAY, 'visit date')).toBe('enter the visit date');
    expect(dateError('2026-02-30', TODAY, 'visit date')).toBe('2026-02-30 is not a date');
    expect(dateError('2026-11-26', TODAY, 'visit date')).toBe('visit date 2026-11-26 is in the future');
    expect(dateError(TODAY, TODAY, 'visit date')).toBeNull();
    expect(dateError('2026-06-01', TODAY, 'resolution date', { date: '2026-06-17', message: 'too early' })).toBe('too early');
  });
});

describe('the score form', () => {
  it('accepts a complete score and sends only the chosen subject', () => {
    expect(scoreErrors(DRAFT, SCALES, TODAY)).toEqual({});
    expect(scoreSubject({ ...DRAFT, followUpId: 'visit-1' })).toEqual({
      session_id: 'session-2',
      follow_up_id: null,
      before_photo_id: null,
      after_photo_id: null,
    });
    expect(scoreSubject({ ...DRAFT, subjectKind: 'photos', beforePhotoId: 'p1', afterPhotoId: 'p2' })).toEqual({
      session_id: null,
      follow_up_id: null,
      before_photo_id: 'p1',
      after_photo_id: 'p2',
    });
    expect(scoreValue({ value: '4,2' })).toBe(4.2);
  });

  it('asks for the subject it is about', () => {
    expect(scoreErrors({ ...DRAFT, sessionId: '' }, SCALES, TODAY)).toEqual({ session_id: 'choose the session' });
    expect(scoreErrors({ ...DRAFT, subjectKind: 'follow_up' }, SCALES, TODAY)).toEqual({ follow_up_id: 'choose the visit' });
    expect(scoreErrors({ ...DRAFT, subjectKind: 'photos' }, SCALES, TODAY)).toEqual({
      before_photo_id: 'choose the photo before',
      after_photo_id: 'choose the photo after',
    });
    expect(scoreErrors({ ...DRAFT, subjectKind: 'photos', beforePhotoId: 'p1', afterPhotoId: 'p1' }, SCALES, TODAY)).toEqual({
      after_photo_id: 'choose two different photos',
    });
  });

  it('checks the value against the chosen scale, and the date', () => {
    expect(scoreErrors({ ...DRAFT, value: '7', recordedOn: '2026-12-01' }, SCALES, TODAY)).toEqual({
      value: 'GAIS (practitioner) 7 is outside its range 1 to 5',
      recorded_on: 'score date 2026-12-01 is in the future',
    });
    expect(scoreErrors({ ...DRAFT, scale: '' }, SCALES, TODAY)).toEqual({ scale: 'choose the scale' });
    expect(scoreErrors({ ...DRAFT, recordedOn: '2026-11-01' }, SCALES, TODAY, '2026-11-02')).toEqual({
      recorded_on: 'score date 2026-11-01 is before the session it rates (2026-11-02)',
    });
    expect(scoreErrors({ ...DRAFT, recordedOn: '2026-11-02' }, SCALES, TODAY, '2026-11-02')).toEqual({});
    expect(scoreErrors({ ...DRAFT, scale: 'mmasi', value: '4.25' }, SCALES, TODAY)).toEqual({ value: 'mMASI 4.25 is not in steps of 0.1' });
  });

  it('shows a refusal about the subject beside the control that chose it', () => {
    expect(subjectField('session')).toBe('session_id');
    expect(subjectField('follow_up')).toBe('follow_up_id');
    expect(subjectField('photos')).toBe('after_photo_id');
  });
});

describe('visits and adverse events', () => {
  it('need a visit date', () => {
    expect(followUpErrors({ visitedOn: '2026-11-01' }, TODAY)).toEqual({});
    expect(followUpErrors({ visitedOn: '' }, TODAY)).toEqual({ visited_on: 'enter the visit date' });
  });

  it('need a start, a description and a severity; not before the session they followed', () => {
    const event = { sessionId: 'session-2', startedOn: '2026-06-17', description: 'Bruising', severity: 'mild' as const };
    expect(adverseErrors(event, TODAY, '2026-06-16')).toEqual({});
    expect(adverseErrors({ ...event, startedOn: '2026-06-15' }, TODAY, '2026-06-16')).toEqual({
      started_on: 'it cannot start before the session it followed',
    });
    expect(adverseErrors({ sessionId: '', startedOn: '', description: ' ', severity: null }, TODAY)).toEqual({
      started_on: 'enter the start date',
      description: 'describe the adverse event',
      severity: 'choose how severe it is',
    });
  });

  it('resolve with a date not before the start, and an outcome', () => {
    expect(resolveErrors({ resolvedOn: '2026-06-26', outcome: 'settled' }, '2026-06-17', TODAY)).toEqual({});
    expect(resolveErrors({ resolvedOn: '2026-06-10', outcome: '' }, '2026-06-17', TODAY)).toEqual({
      resolved_on: 'it cannot resolve before it started',
      outcome: 'say how it resolved',
    });
  });
});
