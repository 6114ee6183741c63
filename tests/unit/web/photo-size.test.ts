import { describe, expect, it } from 'vitest';
import { fitWithin, maxPhotoEdge } from '../../../web/src/photos/size.ts';

describe('photo downscale size', () => {
  it('a 12 MP landscape shot becomes 2048 on its long edge, keeping 4:3', () => {
    expect(fitWithin(4032, 3024)).toEqual({ width: 2048, height: 1536 });
  });

  it('a portrait shot is limited by its height', () => {
    expect(fitWithin(3024, 4032)).toEqual({ width: 1536, height: 2048 });
  });

  it('never upscales a photo already within the limit', () => {
    expect(fitWithin(1600, 1200)).toEqual({ width: 1600, height: 1200 });
    expect(fitWithin(maxPhotoEdge, 10)).toEqual({ width: maxPhotoEdge, height: 10 });
  });

  it('rounds the short edge and keeps at least one pixel', () => {
    expect(fitWithin(4000, 3001)).toEqual({ width: 2048, height: 1537 });
    expect(fitWithin(100_000, 10)).toEqual({ width: 2048, height: 1 });
    expect(fitWithin(5000, 5000, 320)).toEqual({ width: 320, height: 320 });
  });

  it('refuses sizes that are not positive integers', () => {
    expect(() => fitWithin(0, 10)).toThrow(RangeError);
    expect(() => fitWithin(10.5, 10)).toThrow(RangeError);
  });
});
