// Medical-history screening: the clinic's questions answered yes or no (each
// one explicitly), a "last on" date for questions with a waiting period, and
// how the latest screening stands (its yes-answers, its age against the limit).
import type { ScreeningQuestion } from '../api/clinic';
import type { Screening, ScreeningAnswer } from '../api/records';
import { parseIsoDate } from '../dates/calendar';

export type AnswerForm = { key: string; yes: boolean | null; last_on: string; note: string };

/** Every question unanswered: the practitioner asks each one. */
export function emptyAnswers(questions: readonly ScreeningQuestion[]): AnswerForm[] {
  return questions.map((q) => ({ key: q.key, yes: null, last_on: '', note: '' }));
}

/** Answers still "unanswered" become "no" (after the practitioner has gone through the list). */
export function restAreNo(answers: readonly AnswerForm[]): AnswerForm[] {
  return answers.map((a) => (a.yes === null ? { ...a, yes: false } : a));
}

export type BuiltScreening = { answers: ScreeningAnswer[] | null; errors: Record<string, string> };

/**
 * The answers to send for a screening taken on `takenOn`. Errors are keyed
 * `taken_on`, `answers` (some question unanswered) or the question key.
 */
export function screeningAnswers(
  form: readonly AnswerForm[],
  questions: readonly ScreeningQuestion[],
  takenOn: string,
  today: string,
): BuiltScreening {
  const errors: Record<string, string> = {};
  if (!parseIsoDate(takenOn)) errors.taken_on = 'enter the date of the screening';
  else if (takenOn > today) errors.taken_on = `screening date ${takenOn} is in the future`;
  const open = form.filter((a) => a.yes === null).length;
  if (open > 0) errors.answers = `${open} ${open === 1 ? 'question is' : 'questions are'} not answered yet`;
  const answers: ScreeningAnswer[] = [];
  for (const answer of form) {
    const question = questions.find((q) => q.key === answer.key);
    const yes = answer.yes === true;
    let lastOn: string | null = null;
    if (yes && question?.wait_days != null && answer.last_on.trim() !== '') {
      lastOn = answer.last_on.trim();
      if (!parseIsoDate(lastOn)) errors[answer.key] = 'the date is not valid';
      else if (parseIsoDate(takenOn) && lastOn > takenOn) errors[answer.key] = 'the date is after the screening date';
    }
    answers.push({ key: answer.key, yes, last_on: lastOn, note: yes ? answer.note.trim() : '' });
  }
  return { answers: Object.keys(errors).length > 0 ? null : answers, errors };
}

export type YesAnswer = { question: ScreeningQuestion | null; answer: ScreeningAnswer };

/** The screening's "yes" answers with their questions, contraindications first. */
export function yesAnswers(screening: Screening, questions: readonly ScreeningQuestion[]): YesAnswer[] {
  const rank = (item: YesAnswer) => (item.question?.concern === 'contraindication' ? 0 : 1);
  return screening.answers
    .filter((a) => a.yes)
    .map((answer) => ({ question: questions.find((q) => q.key === answer.key) ?? null, answer }))
    .sort((a, b) => rank(a) - rank(b));
}

function dayNumber(isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

/** How old a screening is on `today`, and whether the clinic would call it out of date. */
export function screeningAge(takenOn: string, today: string, validDays: number): { days: number; stale: boolean } {
  const days = dayNumber(today) - dayNumber(takenOn);
  return { days, stale: days > validDays };
}

/** "taken today", "taken 1 day ago", "taken 40 days ago". */
export function ageText(days: number): string {
  if (days <= 0) return 'taken today';
  return `taken ${days} ${days === 1 ? 'day' : 'days'} ago`;
}
