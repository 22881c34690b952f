import { describe, expect, it } from 'vitest';
import type { ScreeningQuestion } from '../api/clinic';
import type { Screening } from '../api/records';
import { ageText, emptyAnswers, restAreNo, screeningAge, screeningAnswers, yesAnswers } from './screening';

const QUESTIONS: ScreeningQuestion[] = [
  { key: 'herpes', text: 'History of cold sores', concern: 'caution', wait_days: null },
  { key: 'isotretinoin', text: 'Isotretinoin taken', concern: 'contraindication', wait_days: 180 },
  { key: 'keloid', text: 'Keloid scarring', concern: 'contraindication', wait_days: null },
];

const TODAY = '2026-11-25';

describe('answering a screening', () => {
  it('starts with every question unanswered, and asks for each', () => {
    const form = emptyAnswers(QUESTIONS);
    expect(form.map((a) => a.yes)).toEqual([null, null, null]);
    expect(screeningAnswers(form, QUESTIONS, TODAY, TODAY).errors).toEqual({ answers: '3 questions are not answered yet' });
  });

  it('can mark the remaining questions "no" at once', () => {
    const form = emptyAnswers(QUESTIONS);
    form[0].yes = true;
    expect(restAreNo(form).map((a) => a.yes)).toEqual([true, false, false]);
  });

  it('sends the "last on" date only for a yes to a question with a waiting period', () => {
    const form = restAreNo(emptyAnswers(QUESTIONS));
    form[0] = { ...form[0], yes: true, last_on: '2026-01-01', note: ' on lips ' };
    form[1] = { ...form[1], yes: true, last_on: '2026-09-01' };
    form[2] = { ...form[2], yes: false, last_on: '2026-01-01', note: 'ignored' };
    expect(screeningAnswers(form, QUESTIONS, TODAY, TODAY)).toEqual({
      answers: [
        { key: 'herpes', yes: true, last_on: null, note: 'on lips' },
        { key: 'isotretinoin', yes: true, last_on: '2026-09-01', note: '' },
        { key: 'keloid', yes: false, last_on: null, note: '' },
      ],
      errors: {},
    });
  });

  it('refuses dates after the screening and screenings in the future', () => {
    const form = restAreNo(emptyAnswers(QUESTIONS));
    form[1] = { ...form[1], yes: true, last_on: '2026-12-01' };
    expect(screeningAnswers(form, QUESTIONS, TODAY, TODAY).errors).toEqual({
      isotretinoin: 'the date is after the screening date',
    });
    expect(screeningAnswers(restAreNo(emptyAnswers(QUESTIONS)), QUESTIONS, '2026-12-01', TODAY).errors).toEqual({
      taken_on: 'screening date 2026-12-01 is in the future',
    });
  });
});

describe('reading a screening', () => {
  const screening: Screening = {
    id: 's',
    client_id: 'c',
    taken_on: '2026-05-01',
    question_set: 1,
    answers: [
      { key: 'herpes', yes: true, last_on: null, note: '' },
      { key: 'isotretinoin', yes: true, last_on: '2026-01-01', note: '' },
      { key: 'keloid', yes: false, last_on: null, note: '' },
    ],
  };

  it('lists the yes-answers, contraindications first', () => {
    expect(yesAnswers(screening, QUESTIONS).map((y) => y.answer.key)).toEqual(['isotretinoin', 'herpes']);
  });

  it('knows when a screening is out of date', () => {
    expect(screeningAge('2026-05-01', TODAY, 180)).toEqual({ days: 208, stale: true });
    expect(screeningAge('2026-11-01', TODAY, 180)).toEqual({ days: 24, stale: false });
    expect(ageText(0)).toBe('taken today');
    expect(ageText(1)).toBe('taken 1 day ago');
  });
});
