// Draws the difference image on a canvas: both previews at the reference's
// size, the second placed by its alignment exactly as the viewer shows it,
// then |a − b| per pixel (difference.ts). Run once per pair and alignment;
// zoom and pan only move the canvas.
import { containRect, placementMatrix } from './geometry';
import type { Placement } from './geometry';
import { differencePixels } from './difference';
import type { Difference } from './difference';

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

/** The canvas size for a reference photo of `width` × `height`, at most `limit` pixels on the long side. */
export function canvasSize(width: number, height: number, limit = 1600): { width: number; height: number } {
  const scale = Math.min(1, limit / Math.max(width, height, 1));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
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
