// What the viewer says about how the second photo lies on the first: aligned
// automatically (and how confidently), by hand, not at all, or that an
// automatic alignment could not be made; and whether aligning it
// automatically must ask first because it would replace another alignment.
import type { AlignOutcome, Alignment, PhotoId } from '../api/photos';

export type AlignState = 'auto' | 'manual' | 'none' | 'elsewhere' | 'failed';

export type AlignStatus = { state: AlignState; text: string };

/** "82%": a confidence of 0 to 1 as a whole percentage. */
export function confidenceText(confidence: number): string {
  return `${Math.round(Math.min(1, Math.max(0, confidence)) * 100)}%`;
}

/** How the saved alignment was made: alignments saved before Pinpoint knew were made by hand. */
function madeBy(alignment: Alignment): 'auto' | 'manual' {
  return alignment.source === 'auto' ? 'auto' : 'manual';
}

function savedStatus(alignment: Alignment | null, reference: PhotoId): AlignStatus {
  if (alignment === null) return { state: 'none', text: 'Not aligned' };
  if (alignment.reference !== reference) return { state: 'elsewhere', text: 'Not aligned with this photo (aligned with another one)' };
  if (madeBy(alignment) === 'manual') return { state: 'manual', text: 'Aligned by hand' };
  const confidence = alignment.confidence;
  return {
    state: 'auto',
    text: typeof confidence === 'number' ? `Aligned automatically (confidence ${confidenceText(confidence)})` : 'Aligned automatically',
  };
}

/**
 * What the viewer says about the second photo compared with `reference`:
 * its saved `alignment`, unless the last automatic attempt against this
 * reference (`attempt`) could not be made; then that, and what was kept.
 */
export function alignmentStatus(alignment: Alignment | null, reference: PhotoId, attempt: AlignOutcome | null = null): AlignStatus {
  const saved = savedStatus(alignment, reference);
  if (attempt === null || attempt.applied || attempt.reference !== reference) return saved;
  const failed = 'Could not align automatically: the photos differ too much';
  if (saved.state === 'manual' || saved.state === 'auto') return { state: 'failed', text: `${failed}; the alignment already saved is kept` };
  return { state: 'failed', text: failed };
}

/**
 * The question to ask before aligning automatically onto `reference`, when
 * that would replace an alignment worth keeping (one made by hand, or one
 * onto another photo); null when there is nothing to lose.
 */
export function replaceQuestion(alignment: Alignment | null, reference: PhotoId): string | null {
  if (alignment === null) return null;
  if (alignment.reference !== reference) {
    return 'This photo is aligned with another photo. Replace that alignment with an automatic one onto this photo?';
  }
  if (madeBy(alignment) === 'manual') return 'This photo was aligned by hand. Replace that alignment with an automatic one?';
  return null;
}
