/**
 * Real JPEG photos for the tests, encoded by Chromium's own JPEG encoder (canvas.toBlob): a
 * camera-sized picture with a gradient, noise and a label, so each one is a different file with a
 * realistic size, and big enough (long edge above 2,048 px) that the app has to downscale it.
 */
import type { Browser } from 'playwright-core';
import { z } from 'zod';

export interface PhotoFile {
  name: string;
  mimeType: 'image/jpeg';
  buffer: Buffer;
}

const encoded = z.string().regex(/^[A-Za-z0-9+/]+=*$/);

/**
 * `count` distinct JPEG files of `width` x `height`, drawn in a blank page of `browser` (not the
 * phone under test, so they leave nothing in its storage).
 */
export async function makeJpegs(
  browser: Browser,
  count: number,
  size: { width: number; height: number } = { width: 2400, height: 1800 },
): Promise<PhotoFile[]> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const photos: PhotoFile[] = [];
    for (let index = 0; index < count; index += 1) {
      const base64 = encoded.parse(
        await page.evaluate(`(${drawJpeg})(${JSON.stringify({ ...size, index })})`),
      );
      photos.push({
        name: `anh-${index + 1}.jpg`,
        mimeType: 'image/jpeg',
        buffer: Buffer.from(base64, 'base64'),
      });
    }
    return photos;
  } finally {
    await context.close();
  }
}

/** True for a JPEG file: SOI marker first, EOI marker last. */
export function isJpeg(bytes: Uint8Array): boolean {
  return (
    bytes.length > 4 &&
    bytes[0] === 0xff &&
    bytes[1] === 0xd8 &&
    bytes[bytes.length - 2] === 0xff &&
    bytes[bytes.length - 1] === 0xd9
  );
}

const drawJpeg = `async function ({ width, height, index }) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d');
  const gradient = g.createLinearGradient(0, 0, width, height);
  gradient.addColorStop(0, 'hsl(' + (index * 97) % 360 + ', 60%, 55%)');
  gradient.addColorStop(1, 'hsl(' + (index * 97 + 140) % 360 + ', 60%, 35%)');
  g.fillStyle = gradient;
  g.fillRect(0, 0, width, height);
  let seed = 1 + index;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let i = 0; i < 4000; i += 1) {
    g.fillStyle = 'rgba(255,255,255,' + random() * 0.3 + ')';
    g.fillRect(random() * width, random() * height, 4 + random() * 40, 4 + random() * 40);
  }
  g.fillStyle = '#fff';
  g.font = 'bold 160px sans-serif';
  g.fillText('Bộ phận Một cửa #' + (index + 1), 80, height / 2);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}`;
