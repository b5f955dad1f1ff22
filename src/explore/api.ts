/**
 * The explore page's JSON API. Each handler takes the parsed body, validates every field, and
 * answers a plain object; a BadRequest becomes a 400 with its message.
 *
 *   GET  /api/data           the lesson's noisy points and the true a, b, c
 *   POST /api/quad/loss      {a, b, c}                          → {loss}
 *   POST /api/quad/step      {a, b, c, lr, steps}               → {a, b, c, losses, loss, diverged}
 *   POST /api/relus/init     {n, seed}                          → {m, b, w}
 *   POST /api/relus/step     {m, b, w, x, y, lr, steps}         → {m, b, w, losses, loss, diverged}
 */
import { noisyData, type Points } from './lesson.js';
import { quadLoss, quadSteps, reluInit, reluSteps } from './train.js';
import { number, numbers, object, only, sameLength, type Range } from './validate.js';

export const LIMITS = {
  param: { min: -1000, max: 1000 } as Range,
  lr: { min: 0, max: 100, minExclusive: true } as Range,
  quadSteps: { min: 1, max: 1000, integer: true } as Range,
  reluSteps: { min: 1, max: 500, integer: true } as Range,
  relus: { min: 1, max: 100, integer: true } as Range,
  seed: { min: 0, max: 2 ** 31 - 1, integer: true } as Range,
  coordinate: { min: -1000, max: 1000 } as Range,
  points: { min: 2, max: 400 },
};

export type Handler = (body: unknown) => unknown;

function quadParams(o: Record<string, unknown>) {
  return { a: number(o, 'a', LIMITS.param), b: number(o, 'b', LIMITS.param), c: number(o, 'c', LIMITS.param) };
}

function points(o: Record<string, unknown>): Points {
  const x = numbers(o, 'x', LIMITS.coordinate, LIMITS.points);
  const y = numbers(o, 'y', LIMITS.coordinate, LIMITS.points);
  sameLength(o, ['x', 'y']);
  return { x, y };
}

export const getRoutes: Record<string, () => unknown> = {
  '/api/data': () => ({ ...noisyData(), truth: { a: 3, b: 2, c: 1 }, limits: LIMITS }),
};

export const postRoutes: Record<string, Handler> = {
  '/api/quad/loss': (body) => {
    const o = object(body);
    only(o, ['a', 'b', 'c']);
    return { loss: quadLoss(quadParams(o), noisyData()) };
  },

  '/api/quad/step': (body) => {
    const o = object(body);
    only(o, ['a', 'b', 'c', 'lr', 'steps']);
    const p = quadParams(o);
    const lr = number(o, 'lr', LIMITS.lr);
    const steps = number(o, 'steps', LIMITS.quadSteps, 1);
    const r = quadSteps(p, noisyData(), lr, steps);
    return { ...r.params, losses: r.losses, loss: r.loss, diverged: r.diverged };
  },

  '/api/relus/init': (body) => {
    const o = object(body);
    only(o, ['n', 'seed']);
    return reluInit(number(o, 'n', LIMITS.relus), number(o, 'seed', LIMITS.seed, 42));
  },

  '/api/relus/step': (body) => {
    const o = object(body);
    only(o, ['m', 'b', 'w', 'x', 'y', 'lr', 'steps']);
    const len = { min: LIMITS.relus.min, max: LIMITS.relus.max };
    const p = { m: numbers(o, 'm', LIMITS.param, len), b: numbers(o, 'b', LIMITS.param, len), w: numbers(o, 'w', LIMITS.param, len) };
    sameLength(o, ['m', 'b', 'w']);
    const data = points(o);
    const lr = number(o, 'lr', LIMITS.lr);
    const steps = number(o, 'steps', LIMITS.reluSteps, 1);
    const r = reluSteps(p, data, lr, steps);
    return { ...r.params, losses: r.losses, loss: r.loss, diverged: r.diverged };
  },
};
