// owlet/distributed and data-parallel training, on loopback: a PyTorch process and an owlet process in
// one c10d group; 2 ranks against 1 process with the same global batch (parameters to 1e-6, the same
// epoch table); a rank that dies or hangs makes the others stop in time, naming it; a run killed in
// its second epoch resumes from the epoch checkpoint. Each case starts 1-2 processes (≈5-10 s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor } from '../src/index.js';
import {
  allGather, allReduce, broadcast, barrier, destroyProcessGroup, freePort, initProcessGroup, isAvailable, launchLocal, resolveInit, DistributedError,
} from '../src/distributed/index.js';
import { DistributedSampler } from '../src/data/sampler.js';
import { pythonWithTorch, repoRoot } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'owlet-dist-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const worker = join(repoRoot, 'dist', 'test', 'distributed-worker.js');
const skip = isAvailable() ? false : 'this addon was built without Gloo (libgloo-dev)';

interface Result { params: number[]; lines: string[]; stats: { buckets: number; steps: number; launchedInBackward: number } | null }
const read = (out: string): Result => JSON.parse(readFileSync(`${out}.json`, 'utf8')) as Result;
const maxDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
const table = (lines: string[]) => lines.map((l) => l.replace(/\d\d:\d\d\s*$/, ''));

function runWorkers(scenario: string, out: string, env: NodeJS.ProcessEnv = {}) {
  return launchLocal({ nproc: 2, command: process.execPath, args: [worker, scenario, out], env, log: () => undefined });
}

test('resolveInit reads torchrun\'s variables and says what is missing', () => {
  const env = { MASTER_ADDR: 'node0', MASTER_PORT: '29400', RANK: '3', WORLD_SIZE: '4' };
  assert.deepEqual(
    (({ kind, host, port, rank, worldSize, isServer, prefix }) => ({ kind, host, port, rank, worldSize, isServer, prefix }))(resolveInit({}, env)),
    { kind: 'tcp', host: 'node0', port: 29400, rank: 3, worldSize: 4, isServer: false, prefix: '' },
  );
  assert.equal(resolveInit({}, { ...env, RANK: '0' }).isServer, true);
  const agent = resolveInit({}, { ...env, RANK: '0', TORCHELASTIC_USE_AGENT_STORE: 'True', TORCHELASTIC_RESTART_COUNT: '2' });
  assert.equal(agent.isServer, false);
  assert.equal(agent.prefix, '/worker/attempt_2');
  assert.equal(resolveInit({ initMethod: 'tcp://[::1]:1234', rank: 0, worldSize: 1 }, {}).host, '::1');
  assert.equal(resolveInit({ initMethod: 'file:///tmp/x', rank: 0, worldSize: 1 }, {}).path, '/tmp/x');
  assert.throws(() => resolveInit({}, {}), /pass \{rank\} or set RANK/);
  assert.throws(() => resolveInit({ rank: 0, worldSize: 2 }, {}), /MASTER_ADDR and MASTER_PORT/);
  assert.throws(() => resolveInit({ backend: 'nccl' }, env), /needs CUDA and NCCL.*use backend 'gloo'/);
  assert.throws(() => resolveInit({ rank: 2, worldSize: 2 }, {}), /rank must be a whole number from 0 to 1/);
  assert.throws(() => resolveInit({ initMethod: 'http://x', rank: 0, worldSize: 1 }, {}), /is not one of/);
  assert.throws(() => allReduce(tensor([1])), DistributedError);
});

test('DistributedSampler: the same shuffle on every rank, padded, rank::worldSize', () => {
  const shares = [0, 1, 2].map((rank) => new DistributedSampler(10, { rank, worldSize: 3, seed: 5 }).indices());
  const whole = new DistributedSampler(10, { seed: 5 }).indices();
  assert.deepEqual(shares.map((s) => s.length), [4, 4, 4]);
  const padded = [...whole, ...whole.slice(0, 2)];
  shares.forEach((s, r) => assert.deepEqual(s, padded.filter((_, i) => i % 3 === r)));
  const next = new DistributedSampler(10, { seed: 5 });
  next.setEpoch(1);
  assert.notDeepEqual(next.indices(), whole);
  assert.deepEqual(new DistributedSampler(10, { rank: 2, worldSize: 3, dropLast: true, shuffle: false }).indices(), [2, 5, 8]);
});

for (const owletRank of [1, 0]) {
  test(`a PyTorch process and an owlet process (rank ${owletRank}) in one group: the same all-reduce, broadcast, gather`, { skip: skip || (pythonWithTorch() === null ? 'no /usr/bin/python3 with torch' : false), timeout: 90_000 }, async () => {
    const port = await freePort();
    const py = spawn(pythonWithTorch()!, [join(repoRoot, 'test', 'fixtures', 'torch_rank.py'), String(port), String(1 - owletRank), '2']);
    let stdout = '';
    let stderr = '';
    py.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    py.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => py.on('exit', resolve));
    try {
      initProcessGroup({ initMethod: `tcp://127.0.0.1:${port}`, rank: owletRank, worldSize: 2, timeout: 30 });
      const t = allReduce(tensor([1, 2, 3], { dtype: 'float32' }).mul(owletRank + 1));
      const b = broadcast(owletRank === 0 ? tensor([7, 8], { dtype: 'float32' }) : tensor([0, 0], { dtype: 'float32' }), 0);
      const gathered = allGather(tensor([owletRank * 10])).map((x) => x.item());
      barrier();
      assert.deepEqual(t.toFlatArray(), [3, 6, 9]);
      assert.deepEqual(b.toFlatArray(), [7, 8]);
      assert.deepEqual(gathered, [0, 10]);
    } finally {
      destroyProcessGroup();
    }
    assert.equal(await exited, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), { sum: [3, 6, 9], bcast: [7, 8], gathered: [0, 10] });
  });
}

test('2 ranks on loopback against 1 process with the same global batch: parameters after 20 steps to 1e-6, the same table', { skip, timeout: 120_000 }, async () => {
  const single = join(tmp, 'single');
  const ddp = join(tmp, 'ddp');
  const { runNode } = await import('./helpers.js');
  const r = runNode([worker, 'single', single]);
  assert.equal(r.status, 0, r.stderr);
  const launched = await runWorkers('ddp', ddp);
  assert.equal(launched.code, 0, JSON.stringify(launched));
  const a = read(single);
  const b = read(ddp);
  assert.equal(a.params.length, b.params.length);
  assert.ok(maxDiff(a.params, b.params) < 1e-6, `max difference ${maxDiff(a.params, b.params)}`);
  assert.deepEqual(table(b.lines), table(a.lines));
  assert.equal(b.stats?.steps, 20);
  assert.equal(b.stats?.launchedInBackward, 20, 'the bucket is all-reduced from the backward hooks');
});

test('a rank that dies: the other stops at once, naming it', { skip, timeout: 90_000 }, async () => {
  const out = join(tmp, 'die');
  const port = await freePort();
  const t0 = Date.now();
  const procs = [0, 1].map((rank) => spawn(process.execPath, [worker, 'die', out], {
    env: { ...process.env, MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port), RANK: String(rank), WORLD_SIZE: '2', OWLET_TEST_TIMEOUT: '60' },
    stdio: 'ignore',
  }));
  const codes = await Promise.all(procs.map((p) => new Promise<number | null>((resolve) => p.on('exit', resolve))));
  assert.deepEqual(codes, [1, 3]);
  assert.ok(Date.now() - t0 < 30_000, `took ${Date.now() - t0} ms with a 60 s timeout`);
  assert.match(readFileSync(`${out}.rank0.err`, 'utf8'), /rank 1 stopped responding.*died or was stopped/);
});

test('a rank that hangs: the other fails after the timeout, naming it, and the launcher stops the hung one', { skip, timeout: 90_000 }, async () => {
  const out = join(tmp, 'hang');
  const t0 = Date.now();
  const launched = await runWorkers('hang', out, { OWLET_TEST_TIMEOUT: '5' });
  assert.equal(launched.failed?.rank, 0);
  assert.ok(Date.now() - t0 < 40_000, `took ${Date.now() - t0} ms with a 5 s timeout`);
  assert.match(readFileSync(`${out}.rank0.err`, 'utf8'), /rank 1 is running but has not reached collective #\d+/);
});

test('a run killed in its second epoch resumes from the epoch checkpoint and ends where an unbroken run ends', { skip, timeout: 120_000 }, async () => {
  const out = join(tmp, 'resume');
  const killed = await runWorkers('killed', out);
  assert.notEqual(killed.code, 0);
  assert.ok(existsSync(`${out}-ck.safetensors`), 'rank 0 saved a checkpoint after epoch 0');
  const resumed = await runWorkers('resume', out);
  assert.equal(resumed.code, 0, JSON.stringify(resumed));
  const ref = join(tmp, 'ddp');
  if (!existsSync(`${ref}.json`)) assert.equal((await runWorkers('ddp', ref)).code, 0);
  assert.ok(maxDiff(read(out).params, read(ref).params) < 1e-6);
  assert.equal(read(out).lines.length, 2, 'the resumed fit ran only epoch 1 (header and one row)');
});
