// A client's face on their record: how a photo stands as their portrait,
// and what stands for the face when there is no photo to show (the
// initials of their first and last names).
import type { Photo, PhotoId } from '../api/photos';

/**
 * How photo `id` stands as its client's portrait, given the portrait shown
 * now (`shown`: null for none, undefined before it is known): chosen, shown
 * as the latest front photo, or not at all.
 */
export function portraitRole(shown: Pick<Photo, 'id' | 'portrait'> | null | undefined, id: PhotoId): 'chosen' | 'latest-front' | 'not' {
  if (!shown || shown.id !== id) return 'not';
  return shown.portrait ? 'chosen' : 'latest-front';
}

/** The first letter of `word`, upper-cased; null when it has none. */
function firstLetter(word: string): string | null {
  const letter = word.match(/\p{L}/u)?.[0];
  return letter ? letter.toLocaleUpperCase() : null;
}

/** "AL" for "Ada Lovelace", "MG" for "María José García", "C" for "Cher"; "?" for a name without letters. */
export function initials(name: string): string {
  const letters = name
    .split(/[\s-]+/)
    .map(firstLetter)
    .filter((letter): letter is string => letter !== null);
  if (letters.length === 0) return '?';
  return letters.length === 1 ? letters[0] : `${letters[0]}${letters[letters.length - 1]}`;
}
