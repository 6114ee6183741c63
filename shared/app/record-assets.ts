/**
 * What the record's documents embed: the Tinos fonts (a serif metric-compatible with Times New
 * Roman that covers Vietnamese, as TTF files from @expo-google-fonts/tinos, never fetched at run
 * time) and the visit's photos, made into JPEGs of at most 1,600 px on the long edge by pure
 * JavaScript decoders (no native image library, so the Lambda bundle needs no platform build).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { bundledFontDir, fontFileName, recordFontFiles, recordFontPackage } from '#config/record-fonts.ts';
import type { PhotoContentType } from '#domain/visit.ts';

export const fontFiles = recordFontFiles;

export type FontStyle = keyof typeof fontFiles;

let fonts: Record<FontStyle, Buffer> | undefined;

/**
 * The four Tinos faces: from `fonts/` beside the running module when there is one (a Lambda
 * bundle of the record worker, which has no node_modules: its bundling copies them there,
 * infra/bundling.ts), else from the package itself (tests, `npm start`).
 */
export function recordFonts(): Record<FontStyle, Buffer> {
  if (fonts) return fonts;
  const here = dirname(fileURLToPath(import.meta.url));
  const load = (file: string): Buffer => {
    const bundled = join(here, bundledFontDir, fontFileName(file));
    if (existsSync(bundled)) return readFileSync(bundled);
    return readFileSync(createRequire(import.meta.url).resolve(`${recordFontPackage}/${file}`));
  };
  fonts = {
    regular: load(fontFiles.regular),
    bold: load(fontFiles.bold),
    italic: load(fontFiles.italic),
    boldItalic: load(fontFiles.boldItalic),
  };
  return fonts;
}

/** The long edge of a photo in the record (enough for print at A4 width). */
export const photoLongEdge = 1600;

/** A photo ready to embed, or why it cannot be. */
export type RecordImage =
  | { ok: true; jpeg: Buffer; width: number; height: number }
  | { ok: false; reason: string };

/** Downscales RGBA pixels by area averaging, so text on a photographed notice stays legible. */
function downscale(
  data: Uint8Array,
  width: number,
  height: number,
): { data: Uint8Array; width: number; height: number } {
  const scale = Math.min(1, photoLongEdge / Math.max(width, height));
  if (scale >= 1) return { data, width, height };
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor((y * height) / h);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * height) / h));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor((x * width) / w);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * width) / w));
      let r = 0;
      let g = 0;
      let b = 0;
      let n = 0;
      for (let sy = y0; sy < y1; sy++) {
        for (let sx = x0; sx < x1; sx++) {
          const i = (sy * width + sx) * 4;
          r += data[i] ?? 0;
          g += data[i + 1] ?? 0;
          b += data[i + 2] ?? 0;
          n++;
        }
      }
      const o = (y * w + x) * 4;
      out[o] = r / n;
      out[o + 1] = g / n;
      out[o + 2] = b / n;
      out[o + 3] = 255;
    }
  }
  return { data: out, width: w, height: h };
}

/**
 * A verified photo as a JPEG for the record. JPEG and PNG are decoded and, when larger,
 * downscaled; WebP and HEIC have no pure-JavaScript decoder here yet, so the record shows a
 * placeholder that names the type (the photo itself stays downloadable as evidence).
 */
export function recordImage(bytes: Uint8Array, contentType: PhotoContentType): RecordImage {
  try {
    let decoded: { data: Uint8Array; width: number; height: number };
    if (contentType === 'image/jpeg') {
      const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
      if (Math.max(image.width, image.height) <= photoLongEdge) {
        return { ok: true, jpeg: Buffer.from(bytes), width: image.width, height: image.height };
      }
      decoded = image;
    } else if (contentType === 'image/png') {
      const image = PNG.sync.read(Buffer.from(bytes));
      decoded = { data: image.data, width: image.width, height: image.height };
    } else {
      return { ok: false, reason: `định dạng ${contentType} chưa chuyển đổi được` };
    }
    const small = downscale(decoded.data, decoded.width, decoded.height);
    const encoded = jpeg.encode({ data: small.data, width: small.width, height: small.height }, 85);
    return { ok: true, jpeg: Buffer.from(encoded.data), width: small.width, height: small.height };
  } catch {
    return { ok: false, reason: 'không giải mã được tệp ảnh' };
  }
}
