/**
 * The callbacks a Learner starts with (unless `defaultCbs: false`), as fastai's
 * `defaults.callbacks`: TrainEvalCallback, Recorder, ProgressCallback and TerminateOnNaN, made
 * fresh for each learner in this order. The learner and its functions find them by name
 * (`learn.recorder`, `learn.cbsNamed('TerminateOnNaN')`), so a replacement that keeps the name
 * keeps its role. Push to or splice this list to change every new learner's set.
 */
import { TrainEvalCallback, type CallbackLike } from './callback.js';
import { ProgressCallback } from './progress.js';
import { Recorder } from './recorder.js';
import { TerminateOnNaN } from './terminate.js';

export const defaultCallbacks: (() => CallbackLike)[] = [
  () => new TrainEvalCallback(),
  () => new Recorder(),
  () => new ProgressCallback(),
  () => new TerminateOnNaN(),
];
