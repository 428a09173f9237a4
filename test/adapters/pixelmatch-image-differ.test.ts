import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { PixelmatchImageDiffer } from '../../functions/adapters/pixelmatch-image-differ';

/** A white picture with a black box at (x, y, w, h). */
function picture(width: number, height: number, box?: [number, number, number, number]): Uint8Array {
  const png = new PNG({ width, height });
  png.data.fill(255);
  if (box) {
    const [bx, by, bw, bh] = box;
    for (let y = by; y < by + bh; y++) {
      for (let x = bx; x < bx + bw; x++) {
        const i = (y * width + x) * 4;
        png.data[i] = 0;
        png.data[i + 1] = 0;
        png.data[i + 2] = 0;
      }
    }
  }
  return PNG.sync.write(png);
}

const differ = new PixelmatchImageDiffer();
const options = { masks: [], threshold: 0.1 };

describe('PixelmatchImageDiffer', () => {
  it('finds no difference between equal pictures, without an overlay', () => {
    expect(differ.diff(picture(100, 50, [10, 10, 5, 5]), picture(100, 50, [10, 10, 5, 5]), options)).toEqual({
      differentPixels: 0,
      totalPixels: 5_000,
      sizeChanged: false,
      overlayPng: null,
    });
  });

  it('counts the pixels that differ and draws them in an overlay PNG', () => {
    const diff = differ.diff(picture(100, 50), picture(100, 50, [0, 0, 10, 10]), options);
    expect(diff.differentPixels).toBe(100);
    expect(diff.sizeChanged).toBe(false);
    const overlay = PNG.sync.read(Buffer.from(diff.overlayPng!));
    expect([overlay.width, overlay.height]).toEqual([100, 50]);
    // A differing pixel is red in the overlay, an equal one is faded, not red.
    expect([...overlay.data.subarray(0, 3)]).toEqual([220, 30, 30]);
    const far = (49 * 100 + 99) * 4;
    expect(overlay.data[far]).toBe(overlay.data[far + 1]);
  });

  it('leaves masked regions out (a clock, an ad)', () => {
    const diff = differ.diff(picture(100, 50), picture(100, 50, [0, 0, 10, 10]), {
      masks: [{ x: 0, y: 0, width: 20, height: 20 }],
      threshold: 0.1,
    });
    expect(diff.differentPixels).toBe(0);
  });

  it('counts what one picture has and the other has not when the size changed', () => {
    const diff = differ.diff(picture(100, 50), picture(100, 60), options);
    expect(diff).toMatchObject({ sizeChanged: true, differentPixels: 1_000, totalPixels: 6_000 });
  });

  it('refuses a picture that is not a PNG, naming which one', () => {
    expect(() => differ.diff(new Uint8Array([1, 2, 3]), picture(10, 10), options)).toThrow(
      'the baseline picture is not a PNG',
    );
  });
});
