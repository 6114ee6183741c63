/** The longest edge a photo keeps: enough to read a notice board, small enough for 3G. */
export const maxPhotoEdge = 2048;

/**
 * The size a photo is drawn at: the original when its long edge is within `maxEdge` (never
 * upscaled), else scaled so the long edge is exactly `maxEdge`, the short edge rounded and at
 * least 1 px, keeping the aspect ratio.
 *
 * @throws RangeError for sizes that are not positive integers.
 */
export function fitWithin(
  width: number,
  height: number,
  maxEdge = maxPhotoEdge,
): { width: number; height: number } {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`not an image size: ${width} x ${height}`);
  }
  const longEdge = Math.max(width, height);
  if (longEdge <= maxEdge) return { width, height };
  const scale = maxEdge / longEdge;
  return width >= height
    ? { width: maxEdge, height: Math.max(1, Math.round(height * scale)) }
    : { width: Math.max(1, Math.round(width * scale)), height: maxEdge };
}
