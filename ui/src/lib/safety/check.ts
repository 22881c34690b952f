// What the start-up check means for the practitioner: whether to worry,
// what is wrong in plain words, and what to do about it.
import type { VerifyReport } from '../api/safety';

export type CheckAdvice = {
  title: string;
  /** Each problem in words, as the check reported it. */
  problems: string[];
  /** What to do now. */
  advice: string;
};

/** Null when the data is sound; otherwise what the banner says. */
export function checkAdvice(report: VerifyReport): CheckAdvice | null {
  if (report.ok) return null;
  const databaseDamaged = report.integrity.trim().toLowerCase() !== 'ok';
  const chainBroken = report.audit.first_broken !== null;
  const photoProblems = report.photos.problems.length;
  const problems = report.problems.length > 0 ? [...report.problems] : ['the check did not pass'];

  if (databaseDamaged || chainBroken) {
    return {
      title: databaseDamaged ? 'The clinic’s database is damaged' : 'The record of changes has been altered',
      problems,
      advice:
        'Avoid adding records until this is sorted out. Restore the latest backup into a new data folder ' +
        '(pinpoint restore), check it there, and contact support with this message.',
    };
  }
  return {
    title: photoProblems === 1 ? 'A photo’s original file is missing or damaged' : `${photoProblems} photos’ original files are missing or damaged`,
    problems,
    advice:
      'The other records are not affected. Restore the photos from the latest backup, or contact support ' +
      'with this message. Do not delete anything in the data folder.',
  };
}

/** A quiet note about files in the photo folder that no photo owns; null when there are none. */
export function orphanNote(report: Pick<VerifyReport, 'photos'> | null): string | null {
  const count = report?.photos.orphans.length ?? 0;
  if (count === 0) return null;
  const files = count === 1 ? '1 file' : `${count} files`;
  return (
    `${files} in the photo folder belong${count === 1 ? 's' : ''} to no photo (left over from an interrupted import, ` +
    `or put there by hand). ${count === 1 ? 'It is' : 'They are'} left untouched and do${count === 1 ? 'es' : ''} no harm.`
  );
}
