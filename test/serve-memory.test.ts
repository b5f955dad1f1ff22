/**
 * owlet serve's memory with dynamic batching: predicting batches of every size from 1 to 16, in a
 * shuffled order, again and again, must add no block to the CPU caching allocator
 * (native/cpu_cache.h) once each size has been seen (memoryStats().liveHandles cannot tell: it counts
 * handles until the collector finalizes them, disposed or not). Before predictBatch freed each batch's
 * activations at once (tidy), they waited for the garbage collector, many batches' worth were alive
 * together, and the cache (so the server's RSS) grew with every request (issue 10: 729 → 852 MB
 * over 10,000 requests).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cat, manualSeed, randn, setNumThreads } from '../src/engine/index.js';
import { native } from '../src/engine/native.js';
import { Resize } from '../src/data/index.js';
import { ImageDataLoaders } from '../src/vision/data.js';
import { visionLearner } from '../src/vision/learner.js';
import { colourImage, COLOURS } from './serve-helpers.js';

test('batches of varying sizes do not grow the CPU cache', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'owlet-serve-memory-'));
  try {
    for (const [name, rgb] of Object.entries(COLOURS)) {
      mkdirSync(join(dir, name), { recursive: true });
      for (let i = 0; i < 4; i++) writeFileSync(join(dir, name, `${i}.png`), await colourImage(rgb, { seed: i + 1 }));
    }
    manualSeed(0);
    setNumThreads(1);
    const dls = ImageDataLoaders.fromFolder(dir, { validPct: 0.25, seed: 0, itemTfms: Resize(32), bs: 2, numWorkers: 0 });
    const learn = await visionLearner(dls, 'small_cnn', { pretrained: false, logger: null });
    // as the server's predictor does: one prepared image a request, a batch made by cat, then disposed
    const runBatch = async (n: number) => {
      const images = Array.from({ length: n }, () => randn([1, 3, 32, 32]));
      const x = n === 1 ? images[0]! : cat(images, 0);
      const preds = await learn.predictBatch(x, { bs: n });
      assert.equal(preds.length, n);
      if (n > 1) x.dispose();
      for (const t of images) t.dispose();
    };
    const sizes = Array.from({ length: 16 }, (_, i) => i + 1);
    for (const n of sizes) await runBatch(n); // each size once: the cache gets its blocks
    const cached = native.cpuCache().cachedBytes;
    let s = 7;
    for (let round = 0; round < 6; round++) {
      const order = [...sizes].sort(() => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5);
      for (const n of order) await runBatch(n);
    }
    assert.equal(native.cpuCache().cachedBytes, cached, 'the CPU cache grew after every batch size had been seen');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
