/** fastai's `verify_images`: which files cannot be read as images, and why. */
import { decodeImage, ImageDecodeError } from './image.js';

export async function verifyImages(files: readonly string[], options: { concurrency?: number } = {}): Promise<{ file: string; reason: string }[]> {
  const bad: { file: string; reason: string }[] = [];
  let next = 0;
  const one = async () => {
    for (;;) {
      const i = next++;
      if (i >= files.length) return;
      try {
        await decodeImage(files[i]!);
      } catch (e) {
        bad.push({ file: files[i]!, reason: e instanceof ImageDecodeError ? e.reason : (e as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, one));
  return bad.sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file));
}
