import { readFile, writeFile } from 'node:fs/promises';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

export interface ScreenshotComparison {
  /** The canvas compared on: the larger of the two in each dimension. */
  width: number;
  height: number;
  changedPixels: number;
  /** changedPixels over the canvas's pixels, 0..1. */
  changedRatio: number;
  /** The two screenshots differ in size (full-page shots: the page grew or shrank). */
  sizeChanged: boolean;
}

/** pixelmatch's per-pixel colour distance: above it a pixel counts as changed (its default). */
const THRESHOLD = 0.1;
/** Where only one of the screenshots has pixels, the diff shows pixelmatch's own diff colour. */
const MISSING = [255, 0, 0, 255] as const;

/**
 * Compares a base page's screenshot with the change's and writes the diff image (changed pixels
 * red over a faded copy of the base). Screenshots of different sizes are compared where they
 * overlap; the area only one of them covers counts as changed, whatever it shows.
 */
export async function compareScreenshots(
  basePng: string,
  changePng: string,
  diffPng: string,
): Promise<ScreenshotComparison> {
  const [base, change] = await Promise.all([readPng(basePng), readPng(changePng)]);
  const width = Math.max(base.width, change.width);
  const height = Math.max(base.height, change.height);
  const overlap = { width: Math.min(base.width, change.width), height: Math.min(base.height, change.height) };
  const overlapDiff = new PNG(overlap);
  const overlapChanged = pixelmatch(
    crop(base, overlap),
    crop(change, overlap),
    overlapDiff.data,
    overlap.width,
    overlap.height,
    { threshold: THRESHOLD },
  );
  const diff = new PNG({ width, height });
  for (let i = 0; i < diff.data.length; i += 4) diff.data.set(MISSING, i);
  PNG.bitblt(overlapDiff, diff, 0, 0, overlap.width, overlap.height, 0, 0);
  // Unfiltered: a diff is mostly flat faded colour, which deflate packs within a few percent of
  // pngjs's adaptive filtering at a fraction of its time (seconds on a tall full-page shot).
  await writeFile(diffPng, PNG.sync.write(diff, { filterType: 0 }));
  const changedPixels = overlapChanged + width * height - overlap.width * overlap.height;
  return {
    width,
    height,
    changedPixels,
    changedRatio: changedPixels / (width * height),
    sizeChanged: base.width !== change.width || base.height !== change.height,
  };
}

async function readPng(file: string): Promise<PNG> {
  return PNG.sync.read(await readFile(file));
}

/** The top-left `size` of an image's RGBA pixels. */
function crop(image: PNG, size: { width: number; height: number }): Buffer {
  if (image.width === size.width && image.height === size.height) return image.data;
  const out = new PNG(size);
  PNG.bitblt(image, out, 0, 0, size.width, size.height, 0, 0);
  return out.data;
}
