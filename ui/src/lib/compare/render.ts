// Draws on canvases from the photos' previews, the second placed by its
// alignment exactly as the viewer shows it: the difference image (both at
// the reference's size, then |a − b| per pixel, difference.ts), run once per
// pair and alignment, zoom and pan only moving the canvas; and the
// comparison image to export, laid out by exportImage.ts, as JPEG bytes.
import { canvasSize, containRect, placementMatrix } from './geometry';
import type { Placement } from './geometry';
import { differencePixels } from './difference';
import type { Difference } from './difference';
import { fitText } from './exportImage';
import type { ComparisonPlan } from './exportImage';

const images = new Map<string, Promise<HTMLImageElement>>();

/** A decoded image that a canvas may read back (the photo store allows it). */
export function loadImage(url: string): Promise<HTMLImageElement> {
  let loading = images.get(url);
  if (!loading) {
    loading = new Promise<HTMLImageElement>((resolve, reject) => {
      const image = new Image();
      image.crossOrigin = 'anonymous';
      image.decoding = 'async';
      image.onload = () => resolve(image);
      image.onerror = () => reject(new Error('the photo could not be loaded'));
      image.src = url;
    });
    loading.catch(() => images.delete(url));
    images.set(url, loading);
  }
  return loading;
}

/** Draws |first − second| on `canvas` and returns the figures; throws when the pixels cannot be read. */
export async function drawDifference(
  canvas: HTMLCanvasElement,
  firstUrl: string,
  secondUrl: string,
  placement: Placement,
): Promise<Difference> {
  const [first, second] = await Promise.all([loadImage(firstUrl), loadImage(secondUrl)]);
  const size = canvasSize(first.naturalWidth, first.naturalHeight);
  const work = document.createElement('canvas');
  work.width = size.width;
  work.height = size.height;
  const context = work.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('this window cannot draw on a canvas');

  context.drawImage(first, 0, 0, size.width, size.height);
  const a = context.getImageData(0, 0, size.width, size.height);

  context.clearRect(0, 0, size.width, size.height);
  context.setTransform(...placementMatrix(placement, size));
  const rect = containRect(second.naturalWidth / second.naturalHeight, size);
  context.drawImage(second, rect.x, rect.y, rect.width, rect.height);
  context.setTransform(1, 0, 0, 1, 0, 0);
  const b = context.getImageData(0, 0, size.width, size.height);

  const difference = differencePixels(a, b);
  canvas.width = size.width;
  canvas.height = size.height;
  const target = canvas.getContext('2d');
  if (!target) throw new Error('this window cannot draw on a canvas');
  target.putImageData(new ImageData(difference.data, size.width, size.height), 0, 0);
  return difference;
}

/** The exported image's colours: a white page, the viewer's dark behind the photos. */
const PAGE = '#ffffff';
const STAGE = '#1b1f1f';
const INK = '#1b1f1f';
const MUTED = '#5a6766';
const DIVIDER = '#ffffff';

/**
 * Draws the comparison image of `plan` on a new canvas: each photo's
 * preview in its frame (the second placed by `placement`), cut to the part
 * that shows, then the slider's line and the caption band's text in `font`
 * (a CSS font family). Throws when a photo cannot be loaded.
 */
export async function drawComparison(
  plan: ComparisonPlan,
  firstUrl: string,
  secondUrl: string,
  placement: Placement,
  font: string,
): Promise<HTMLCanvasElement> {
  const [first, second] = await Promise.all([loadImage(firstUrl), loadImage(secondUrl)]);
  const canvas = document.createElement('canvas');
  canvas.width = plan.width;
  canvas.height = plan.height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this window cannot draw on a canvas');
  context.fillStyle = PAGE;
  context.fillRect(0, 0, plan.width, plan.height);
  context.imageSmoothingQuality = 'high';

  for (const { which, frame, visible } of plan.frames) {
    if (visible.width <= 0 || visible.height <= 0) continue;
    const image = which === 'first' ? first : second;
    const size = { width: frame.width, height: frame.height };
    context.save();
    context.beginPath();
    context.rect(visible.x, visible.y, visible.width, visible.height);
    context.clip();
    context.fillStyle = STAGE;
    context.fillRect(visible.x, visible.y, visible.width, visible.height);
    context.translate(frame.x, frame.y);
    if (which === 'second') context.transform(...placementMatrix(placement, size));
    const rect = containRect(image.naturalWidth / image.naturalHeight, size);
    context.drawImage(image, rect.x, rect.y, rect.width, rect.height);
    context.restore();
  }

  if (plan.divider) {
    context.fillStyle = DIVIDER;
    context.fillRect(plan.divider.x, plan.divider.y, plan.divider.width, plan.divider.height);
  }

  context.textBaseline = 'top';
  for (const text of plan.texts) {
    context.font = `${text.bold ? '600 ' : ''}${text.size}px ${font}`;
    context.fillStyle = text.muted ? MUTED : INK;
    context.textAlign = text.align;
    context.fillText(fitText(text.text, text.maxWidth, (t) => context.measureText(t).width), text.x, text.y);
  }
  return canvas;
}

/** The canvas as a JPEG file's bytes (quality 0.92). */
export function jpegBytes(canvas: HTMLCanvasElement): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    canvas.toBlob(
      (blob) => {
        if (!blob) {
          reject(new Error('the image could not be encoded as JPEG'));
          return;
        }
        blob.arrayBuffer().then((buffer) => resolve(new Uint8Array(buffer)), reject);
      },
      'image/jpeg',
      0.92,
    );
  });
}
