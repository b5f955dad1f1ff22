/** The time-budget planner and the recipes `owlet train` chooses from. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { encode } from 'fast-png';
import { folderRecipe } from '../src/cli/jobs/train-folder.js';
import { EPOCH_OVERHEAD, planEpochs } from '../src/cli/plan.js';
import { FOLDER_RECIPE, MAIN_JOB_RECIPES, SMALL_IMAGE_RECIPE } from '../src/cli/recipes.js';

const tmp = mkdtempSync(join(tmpdir(), 'owlet-plan-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('planEpochs: as many epochs as fit, at most the recipe\'s, and whether its minimum fits', () => {
  // 48,000 training images at 1,000 img/s (× the loader's overhead) and 12,000 validation at 4,000 img/s
  const speed = { trainIps: 1000, validIps: 4000 };
  const epoch = 48 * EPOCH_OVERHEAD + 3;
  const p = planEpochs({ nTrain: 48_000, nValid: 12_000, speed, budgetSeconds: 720, maxEpochs: 10, minEpochs: 8 });
  assert.equal(p.epochSeconds, epoch);
  assert.equal(p.epochs, Math.min(10, Math.floor(720 / epoch)));
  assert.equal(p.fits, Math.floor(720 / epoch) >= 8);
  const slow = planEpochs({ nTrain: 48_000, nValid: 12_000, speed: { trainIps: 180, validIps: 500 }, budgetSeconds: 720, maxEpochs: 10, minEpochs: 8 });
  assert.equal(slow.fits, false);
  assert.equal(slow.epochs, 2);
  const tiny = planEpochs({ nTrain: 48_000, nValid: 12_000, speed: { trainIps: 10, validIps: 10 }, budgetSeconds: 60, maxEpochs: 10 });
  assert.equal(tiny.epochs, 1, 'at least one epoch');
  assert.equal(planEpochs({ nTrain: 100, nValid: 10, speed, budgetSeconds: 720, maxEpochs: 10 }).epochs, 10, 'at most the recipe\'s');
});

test('recipes: the main job tries ResNet-20 first and has a cheaper fallback; small images train a small CNN from scratch', () => {
  assert.equal(MAIN_JOB_RECIPES[0]!.arch, 'resnet20');
  assert.ok(MAIN_JOB_RECIPES.length >= 2 && MAIN_JOB_RECIPES.at(-1)!.minEpochs === 1);
  assert.equal(SMALL_IMAGE_RECIPE.pretrained, false);
  assert.equal(SMALL_IMAGE_RECIPE.lr, 'find');
  assert.equal(FOLDER_RECIPE.pretrained, true);
});

function pngFolder(name: string, side: number): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 4; i++) writeFileSync(join(dir, `${i % 2 ? 'a' : 'b'}_${i}.png`), encode({ width: side, height: side, data: new Uint8Array(side * side), channels: 1 }));
  return dir;
}

test('folderRecipe: images of at most 64 px get the small-image recipe at their size (rounded up to 4); larger ones, or a named model, fastai\'s', () => {
  const lines: string[] = [];
  const small = folderRecipe({ data: pngFolder('small', 20) }, (l) => lines.push(l));
  assert.equal(small.arch, SMALL_IMAGE_RECIPE.arch);
  assert.equal(small.size, 20);
  assert.match(lines[0]!, /^small images \(up to 20 px\): small_cnn from scratch at 20 px/);
  assert.equal(folderRecipe({ data: pngFolder('odd', 30) }, () => {}).size, 32);
  assert.equal(folderRecipe({ data: pngFolder('big', 96) }, () => {}), FOLDER_RECIPE);
  assert.equal(folderRecipe({ data: pngFolder('small', 20), arch: 'resnet18' }, () => {}), FOLDER_RECIPE);
});
