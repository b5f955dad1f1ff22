/**
 * The examples of examples/how-nets-work/ print what their Python originals in reference/ print
 * (PyTorch + numpy): against the checked-in output (test/golden/relu_examples.json, made by
 * test/golden/make_relu_golden.py) and, where /usr/bin/python3 has torch, against a run now. Each
 * example also writes its plots as PNG and HTML.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { owletBin, pythonWithTorch, repoRoot, runNode } from './helpers.js';

interface Golden {
  examples: Record<string, { reference: string; stdout: string }>;
}

const golden = JSON.parse(readFileSync(join(repoRoot, 'test', 'golden', 'relu_examples.json'), 'utf8')) as Golden;
const plots = mkdtempSync(join(tmpdir(), 'owlet-relu-plots-'));
after(() => rmSync(plots, { recursive: true, force: true }));

const runs = new Map<string, { stdout: string; stderr: string }>();

function runExample(name: string): { stdout: string; stderr: string } {
  let r = runs.get(name);
  if (!r) {
    const p = runNode([owletBin, 'example', name], { env: { OWLET_PLOTS: plots } });
    assert.equal(p.status, 0, `${name} failed:\n${p.stderr}`);
    r = { stdout: p.stdout, stderr: p.stderr };
    runs.set(name, r);
  }
  return r;
}

/** The files an example says it wrote ("wrote a.png, a.html"). */
function written(stderr: string): string[] {
  return [...stderr.matchAll(/^wrote (.*)$/gm)].flatMap((m) => m[1]!.split(', '));
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('the how-nets-work examples print what the Python originals print', () => {
  for (const [name, { reference, stdout }] of Object.entries(golden.examples)) {
    test(`${name} (checked-in output of ${reference})`, () => {
      assert.equal(runExample(name).stdout, stdout);
    });

    test(`${name} writes its plots as PNG and HTML`, () => {
      const files = written(runExample(name).stderr);
      assert.ok(files.some((f) => f.endsWith('.png')) && files.some((f) => f.endsWith('.html')), `no plots named in:\n${runExample(name).stderr}`);
      for (const f of files) {
        assert.ok(f.startsWith(plots), `${f} is not under $OWLET_PLOTS`);
        assert.ok(existsSync(f), `${f} is missing`);
        const bytes = readFileSync(f);
        if (f.endsWith('.png')) assert.deepEqual(bytes.subarray(0, 8), PNG, `${f} is not a PNG`);
        else {
          const html = bytes.toString('utf8');
          assert.match(html, /^<!doctype html>/);
          assert.match(html, /<svg/);
          assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=/, 'the page must not load anything');
        }
      }
    });
  }
});

test('the examples match the Python originals run now', (t) => {
  const py = pythonWithTorch();
  if (!py) {
    t.skip('no /usr/bin/python3 with torch and numpy: compared with the checked-in output only');
    return;
  }
  for (const [name, { reference }] of Object.entries(golden.examples)) {
    const r: { status: number | null; stdout: string; stderr: string } = spawnSync(py, [join(repoRoot, reference)], { encoding: 'utf8', cwd: repoRoot });
    assert.equal(r.status, 0, `${reference} failed: ${r.stderr}`);
    assert.equal(runExample(name).stdout, r.stdout, `${name} differs from ${reference}`);
  }
});

test('the numbers are the lesson\'s: the noisy data gives MSE 6.7798 at a = b = c = 1.5', () => {
  assert.match(runExample('how-nets-work/fit-by-hand').stdout, /^a=1\.5, b=1\.5, c=1\.5: MSE 6\.7798$/m);
  assert.match(runExample('how-nets-work/quadratic-fit').stdout, /^Step 0; loss: 6\.7798$/m);
});
