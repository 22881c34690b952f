// The photo each client's record shows as their face, shared by every
// screen that shows it (the client page, the session form, the comparison
// viewer) and the thumbnails that mark it, so a new choice in the photo
// editor shows everywhere at once. Each screen asks again when it opens:
// what the core gives follows the person signed in (none for those who
// may not see photos).
import { SvelteMap } from 'svelte/reactivity';
import { clientPortrait } from '../api/photos';
import type { Photo, PhotoId } from '../api/photos';

class Portraits {
  #shown = new SvelteMap<string, Photo | null>();
  /** The latest question per client: an older answer arriving late is dropped. */
  #asked = new Map<string, number>();
  #questions = 0;

  /** The client's portrait as last asked: a photo, null for none, undefined before anyone asked. */
  of(clientId: string): Photo | null | undefined {
    return this.#shown.get(clientId);
  }

  /** Asks the core for the client's portrait; a refusal or failure shows none. */
  async load(clientId: string): Promise<Photo | null> {
    const question = ++this.#questions;
    this.#asked.set(clientId, question);
    let photo: Photo | null;
    try {
      photo = await clientPortrait(clientId);
    } catch {
      photo = null;
    }
    if (this.#asked.get(clientId) === question) this.#shown.set(clientId, photo);
    return this.#shown.get(clientId) ?? null;
  }

  /** Whether photo `id` is shown as a client's portrait. */
  shows(id: PhotoId): boolean {
    for (const photo of this.#shown.values()) if (photo?.id === id) return true;
    return false;
  }

  /** Forgets every portrait (someone else signs in). */
  clear(): void {
    this.#shown.clear();
    this.#asked.clear();
  }
}

export const portraits = new Portraits();
