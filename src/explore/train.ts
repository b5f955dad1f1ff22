/**
 * Gradient descent with owlet's autograd, a few steps per request: the quadratic's a, b, c, or the
 * m, b, w of a sum of ReLUs. A run that blows up (a loss or parameter that is not finite, or past
 * the limits below) stops at once and says it diverged.
 */
import { manualSeed, noGrad, randn, tensor, tidy, type Tensor } from '../engine/index.js';
import { mse, quad, relus, type Points, pointTensors } from './lesson.js';

/** Past these, a run has diverged. */
export const LOSS_LIMIT = 1e6;
export const PARAM_LIMIT = 1e3;

export interface StepResult<P> {
  /** The parameters after the steps (those of the last finite step when the run diverged). */
  params: P;
  /** The loss before each step taken, as the lesson prints it; null where it was not finite. */
  losses: (number | null)[];
  /** The loss at the returned parameters; null when not finite. */
  loss: number | null;
  diverged: boolean;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
const healthy = (values: number[], limit: number): boolean => values.every((v) => Number.isFinite(v) && Math.abs(v) <= limit);

/**
 * Steps on the given parameters (float32 leaves): loss = lossOf(params); backward; p -= grad·lr.
 * The same ops as the lesson's loop, so the losses are the ones it prints.
 */
function descend(start: number[][], lossOf: (ps: Tensor[]) => Tensor, lr: number, steps: number): StepResult<number[][]> {
  return tidy(() => {
    const params = start.map((p) => tensor(Float32Array.from(p)).requiresGrad_());
    const values = (): number[][] => params.map((p) => p.detach().toFlatArray() as number[]);
    const losses: (number | null)[] = [];
    let last = start;
    let diverged = false;
    for (let i = 0; i < steps; i++) {
      const loss = lossOf(params);
      const l = loss.item();
      losses.push(finite(l));
      if (!Number.isFinite(l) || l > LOSS_LIMIT) {
        diverged = true;
        break;
      }
      loss.backward();
      noGrad(() => {
        for (const p of params) {
          p.sub_(p.grad!.mul(lr));
          p.grad!.zero_();
        }
      });
      const now = values();
      if (!now.every((v) => healthy(v, PARAM_LIMIT))) {
        diverged = true;
        break;
      }
      last = now;
    }
    const loss = noGrad(() => lossOf(last.map((p) => tensor(Float32Array.from(p)))).item());
    if (!Number.isFinite(loss) || loss > LOSS_LIMIT) diverged = true;
    return { params: last, losses, loss: finite(loss), diverged };
  });
}

export interface Quadratic {
  a: number;
  b: number;
  c: number;
}

/** Steps of gradient descent on a, b, c of a·x² + b·x + c against the points. */
export function quadSteps(p: Quadratic, data: Points, lr: number, steps: number): StepResult<Quadratic> {
  return tidy(() => {
    const { x, y } = pointTensors(data);
    const r = descend([[p.a, p.b, p.c]], ([abc]) => mse(quad(abc!.index(0), abc!.index(1), abc!.index(2), x), y), lr, steps);
    const [a, b, c] = r.params[0]!;
    return { ...r, params: { a: a!, b: b!, c: c! } };
  });
}

/** The loss (MSE) of a quadratic against the points. */
export function quadLoss(p: Quadratic, data: Points): number | null {
  return tidy(() => {
    const { x, y } = pointTensors(data);
    return finite(mse(quad(p.a, p.b, p.c, x), y).item());
  });
}

export interface Relus {
  m: number[];
  b: number[];
  w: number[];
}

/** n ReLUs' starting parameters, as `torch.manual_seed(seed); m, b, w = randn(n), randn(n), randn(n)`. */
export function reluInit(n: number, seed: number): Relus {
  return tidy(() => {
    manualSeed(seed);
    const [m, b, w] = [randn([n]), randn([n]), randn([n])].map((t) => t.toFlatArray() as number[]);
    return { m: m!, b: b!, w: w! };
  });
}

/** Steps of gradient descent on the m, b, w of Σ w·max(0, m·x + b) against the points. */
export function reluSteps(p: Relus, data: Points, lr: number, steps: number): StepResult<Relus> {
  return tidy(() => {
    const { x, y } = pointTensors(data);
    const r = descend([p.m, p.b, p.w], ([m, b, w]) => mse(relus(m!, b!, w!, x), y), lr, steps);
    const [m, b, w] = r.params;
    return { ...r, params: { m: m!, b: b!, w: w! } };
  });
}
