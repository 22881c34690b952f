// The capture conditions ticked when a photo was taken (at the phone), as
// the window shows them: in one order, each in words.
import type { CaptureCondition } from '../api/photos';

export const CAPTURE_CONDITIONS: readonly { value: CaptureCondition; label: string }[] = [
  { value: 'makeup_off', label: 'Make-up off' },
  { value: 'usual_lighting', label: 'Usual lighting' },
  { value: 'usual_distance', label: 'Usual distance' },
  { value: 'hair_back', label: 'Hair held back' },
  { value: 'plain_background', label: 'Plain background' },
];

/** The words for the conditions a photo was taken under, in the usual order, each once. */
export function conditionLabels(conditions: readonly CaptureCondition[]): string[] {
  return CAPTURE_CONDITIONS.filter((c) => conditions.includes(c.value)).map((c) => c.label);
}
