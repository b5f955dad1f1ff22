/**
 * fastai's ClassificationInterpretation: what the model gets wrong on the validation set — the
 * confusion matrix (text and PNG), the items with the highest losses (and a PNG of them), and the
 * most confused pairs of classes.
 *
 *     const interp = await ClassificationInterpretation.fromLearner(learn);
 *     console.log(interp.confusionMatrixText());
 *     interp.mostConfused(2);  // [['shirt', 't-shirt', 31], ...]
 */
import type { Tensor } from '../engine/index.js';
import type { DataLoader } from '../data/types.js';
import type { Learner } from './learner.js';
import { imageTensorToPng, plotConfusionMatrix, plotImageGrid } from './plots.js';

export class ClassificationInterpretation {
  readonly vocab: readonly string[];
  /** Per item: the activations (probabilities), the targets, the decoded class and the loss. */
  readonly probs: number[][];
  readonly targs: number[];
  readonly decoded: number[];
  readonly losses: number[];

  constructor(
    readonly learn: Learner,
    readonly dl: DataLoader,
    preds: Tensor,
    targs: Tensor,
    decoded: Tensor,
    losses: Tensor,
  ) {
    this.vocab = learn.dls.vocab;
    this.probs = preds.toArray() as number[][];
    this.targs = targs.reshape(-1).toFlatArray() as number[];
    this.decoded = decoded.reshape(-1).toFlatArray() as number[];
    this.losses = losses.reshape(-1).toFlatArray() as number[];
  }

  /** Runs the model over `dl` (default the validation set) and keeps predictions, targets and per-item losses. */
  static async fromLearner(learn: Learner, options: { dl?: DataLoader } = {}): Promise<ClassificationInterpretation> {
    const dl = options.dl ?? learn.dls.valid;
    const r = await learn.getPreds(dl, { withLoss: true, withDecoded: true });
    return new ClassificationInterpretation(learn, dl, r.preds, r.targs, r.decoded!, r.losses!);
  }

  /** Counts, rows the actual class and columns the predicted one. */
  confusionMatrix(): number[][] {
    const n = Math.max(this.vocab.length, ...this.targs.map((t) => t + 1), ...this.decoded.map((d) => d + 1));
    const cm = Array.from({ length: n }, () => Array<number>(n).fill(0));
    this.targs.forEach((t, i) => {
      cm[t]![this.decoded[i]!]! += 1;
    });
    return cm;
  }

  /** The confusion matrix as aligned text, with the class names. */
  confusionMatrixText(): string {
    const cm = this.confusionMatrix();
    const names = cm.map((_, i) => this.vocab[i] ?? String(i));
    const corner = 'actual \\ predicted';
    const first = Math.max(corner.length, ...names.map((s) => s.length));
    const w = Math.max(...names.map((s) => s.length), ...cm.flat().map((v) => String(v).length), 4);
    const pad = (s: string) => s.padStart(w);
    const header = `${corner.padEnd(first)}  ${names.map(pad).join(' ')}`;
    const rows = cm.map((row, i) => `${names[i]!.padEnd(first)}  ${row.map((v) => pad(String(v))).join(' ')}`);
    return [header, ...rows].join('\n');
  }

  /** Writes the confusion matrix as a PNG heat map; returns the path. */
  async plotConfusionMatrix(file: string, options: { normalize?: boolean; title?: string } = {}): Promise<string> {
    return plotConfusionMatrix(this.confusionMatrix(), this.vocab, file, options);
  }

  /** The `k` largest (or smallest) losses and their items' indices in the set (default all, largest first). */
  topLosses(k?: number, largest = true): { losses: number[]; indices: number[] } {
    const idx = this.losses.map((_, i) => i).sort((a, b) => (largest ? this.losses[b]! - this.losses[a]! : this.losses[a]! - this.losses[b]!) || a - b);
    const top = idx.slice(0, k ?? idx.length);
    return { losses: top.map((i) => this.losses[i]!), indices: top };
  }

  /** Pairs (actual, predicted, count) confused at least `minVal` times, most first (fastai's most_confused). */
  mostConfused(minVal = 1): [string, string, number][] {
    const cm = this.confusionMatrix();
    const res: [string, string, number][] = [];
    cm.forEach((row, i) =>
      row.forEach((v, j) => {
        if (i !== j && v >= minVal) res.push([this.vocab[i] ?? String(i), this.vocab[j] ?? String(j), v]);
      }),
    );
    return res.sort((a, b) => b[2] - a[2]);
  }

  /**
   * The `k` items with the highest losses as a PNG grid, each captioned as fastai's
   * `prediction/actual / loss / probability`. Reads the images again from the loader (it must keep
   * its order: a validation loader does).
   */
  async plotTopLosses(k: number, file: string, options: { largest?: boolean; size?: number } = {}): Promise<string> {
    if (this.dl.shuffle) throw new Error('plotTopLosses: the loader shuffles, so items cannot be found again by index; use the validation loader');
    const { indices, losses } = this.topLosses(k, options.largest ?? true);
    const wanted = new Map(indices.map((i, r) => [i, r]));
    const images = new Map<number, Tensor>();
    let at = 0;
    for await (const b of this.dl) {
      const n = b.x.size(0);
      for (let j = 0; j < n; j++) if (wanted.has(at + j)) images.set(at + j, b.x.select(0, j).cpu());
      at += n;
      if (images.size === wanted.size) break;
    }
    const pipeline = this.learn.dls.pipeline;
    const items = [];
    for (let r = 0; r < indices.length; r++) {
      const i = indices[r]!;
      const img = images.get(i);
      if (img === undefined) continue;
      const pred = this.decoded[i]!;
      const caption = `${this.vocab[pred] ?? pred}/${this.vocab[this.targs[i]!] ?? this.targs[i]}\n${losses[r]!.toFixed(2)} / ${Math.max(...this.probs[i]!).toFixed(2)}`;
      items.push({ png: await imageTensorToPng(img, { mean: pipeline?.mean, std: pipeline?.std, size: options.size ?? 128 }), caption });
    }
    return plotImageGrid(items, file, { title: 'Prediction/Actual/Loss/Probability', size: options.size ?? 128 });
  }
}
