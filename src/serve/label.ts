/** A prediction in the shape of Gradio's Label component: the top label and the top-k confidences, highest first. */
import type { Prediction } from '../learner/index.js';

export interface LabelOutput {
  label: string;
  confidences: { label: string; confidence: number }[];
}

export function toLabel(p: Prediction, vocab: readonly string[], topk: number): LabelOutput {
  const order = p.probs.map((c, i) => ({ label: vocab[i] ?? String(i), confidence: c })).sort((a, b) => b.confidence - a.confidence);
  return { label: p.label, confidences: order.slice(0, Math.max(1, topk)) };
}
