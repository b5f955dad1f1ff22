// The dynamic batcher on its own: a full batch runs at once, a partial one after the wait, what
// arrives during a batch forms the next, errors reach every item of their batch, a full queue and a
// drained batcher refuse new items.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DynamicBatcher, QueueFullError } from '../src/serve/index.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a full batch runs at once; a partial one after maxWaitMs; outputs go back in order', async () => {
  const calls: number[][] = [];
  const b = new DynamicBatcher<number, number>(async (xs) => (calls.push(xs), xs.map((x) => x * 10)), { maxBatch: 4, maxWaitMs: 10_000 });
  const full = await Promise.all([1, 2, 3, 4].map((x) => b.submit(x)));
  assert.deepEqual(full, [10, 20, 30, 40]);
  assert.deepEqual(calls, [[1, 2, 3, 4]]);
  const quick = new DynamicBatcher<number, number>(async (xs) => (calls.push(xs), xs.map((x) => -x)), { maxBatch: 8, maxWaitMs: 30 });
  const t0 = Date.now();
  assert.deepEqual(await Promise.all([quick.submit(5), quick.submit(6)]), [-5, -6]);
  assert.ok(Date.now() - t0 >= 25, 'the partial batch waited for others');
  assert.deepEqual(calls[1], [5, 6]);
  assert.deepEqual(quick.stats, { batches: 1, items: 2, largest: 2 });
});

test('items that arrive while a batch runs form the next batch; an error reaches each item of its batch only', async () => {
  const calls: number[][] = [];
  const b = new DynamicBatcher<number, number>(async (xs) => {
    calls.push(xs);
    await tick(40);
    if (xs.includes(13)) throw new Error('unlucky batch');
    return xs;
  }, { maxBatch: 2, maxWaitMs: 0 });
  const first = b.submit(1);
  await tick(5);
  const later = [b.submit(2), b.submit(13), b.submit(4)].map((p) => p.then((v) => `ok ${v}`, (e: Error) => e.message));
  assert.equal(await first, 1);
  assert.deepEqual(await Promise.all(later), ['unlucky batch', 'unlucky batch', 'ok 4']);
  assert.deepEqual(calls, [[1], [2, 13], [4]]);
});

test('a full queue refuses with QueueFullError; drain runs what waits, then refuses', async () => {
  const b = new DynamicBatcher<number, number>(async (xs) => (await tick(20), xs), { maxBatch: 1, maxWaitMs: 0, maxQueue: 2 });
  const running = b.submit(1);
  await tick(2);
  const queued = [b.submit(2), b.submit(3)];
  await assert.rejects(b.submit(4), (e: unknown) => e instanceof QueueFullError && /2 requests are already waiting/.test(e.message));
  await b.drain();
  assert.deepEqual(await Promise.all([running, ...queued]), [1, 2, 3]);
  await assert.rejects(b.submit(5), /shutting down/);
  assert.throws(() => new DynamicBatcher(async (x) => x, { maxBatch: 0, maxWaitMs: 1 }), /maxBatch must be an integer ≥ 1/);
});
