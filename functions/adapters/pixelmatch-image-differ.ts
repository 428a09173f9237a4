// ImageDiffer with pixelmatch and pngjs: anti-aliased pixels ignored, masked regions blanked in both pictures.
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import type { MaskRect } from '../core/baseline-settings';
import type { ImageDiff, ImageDiffer } from '../core/ports';

/** Pictures larger than this (pixels) are refused: a full-page capture of an endless page is not a baseline. */
const MAX_PIXELS = 4096 * 4096;

export class PixelmatchImageDiffer implements ImageDiffer {
  diff(
    before: Uint8Array,
    after: Uint8Array,
    options: { readonly masks: readonly MaskRect[]; readonly threshold: number },
  ): ImageDiff {
    // Byte-identical captures (the usual case for an unchanged page) need no decoding.
    if (Buffer.from(before.buffer, before.byteOffset, before.byteLength).equals(after)) {
      const { width, height } = readSize(after);
      return { differentPixels: 0, totalPixels: width * height, sizeChanged: false, overlayPng: null };
    }
    const a = decode(before, 'baseline');
    const b = decode(after, 'current');
    const width = Math.min(a.width, b.width);
    const height = Math.min(a.height, b.height);
    const sizeChanged = a.width !== b.width || a.height !== b.height;
    const left = crop(a, width, height);
    const right = crop(b, width, height);
    for (const mask of options.masks) {
      blank(left, width, height, mask);
      blank(right, width, height, mask);
    }
    const overlay = new PNG({ width, height });
    const common = pixelmatch(left, right, overlay.data, width, height, {
      threshold: options.threshold,
      includeAA: false,
      alpha: 0.2,
      diffColor: [220, 30, 30],
    });
    // What one picture has and the other has not counts as different.
    const total = Math.max(a.width, b.width) * Math.max(a.height, b.height);
    const differentPixels = common + (total - width * height);
    return {
      differentPixels,
      totalPixels: total,
      sizeChanged,
      overlayPng: differentPixels > 0 ? PNG.sync.write(overlay) : null,
    };
  }
}

function decode(png: Uint8Array, which: string): PNG {
  const { width, height } = readSize(png, which);
  if (width * height > MAX_PIXELS) throw new Error(`the ${which} picture is too large (${width}x${height})`);
  return PNG.sync.read(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
}

/** Width and height from the IHDR chunk, without decoding. */
function readSize(png: Uint8Array, which = 'current'): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.byteLength < 24 || signature.some((byte, i) => png[i] !== byte)) {
    throw new Error(`the ${which} picture is not a PNG`);
  }
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function crop(image: PNG, width: number, height: number): Uint8Array {
  if (image.width === width && image.height === height) return image.data;
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const from = y * image.width * 4;
    out.set(image.data.subarray(from, from + width * 4), y * width * 4);
  }
  return out;
}

/** Paints a region the same in both pictures, so it never differs. */
function blank(data: Uint8Array, width: number, height: number, mask: MaskRect): void {
  const x1 = Math.min(width, mask.x + mask.width);
  const y1 = Math.min(height, mask.y + mask.height);
  for (let y = Math.min(mask.y, height); y < y1; y++) {
    for (let x = Math.min(mask.x, width); x < x1; x++) {
      const i = (y * width + x) * 4;
      data[i] = 128;
      data[i + 1] = 128;
      data[i + 2] = 128;
      data[i + 3] = 255;
    }
  }
}
