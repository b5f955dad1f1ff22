/**
 * The child process's entry point (`child-process.ts` forks it): runs the job given as JSON in its
 * first argument and sends `{ok: true, result}` or `{ok: false, error}` to the parent, then exits.
 */
import { setNumThreads } from '../../engine/index.js';
import { measureModel, type MeasureOptions } from './measure-model.js';
import { trainOne, type TrainOneOptions } from './train-one.js';

export type ChildJob =
  | { kind: 'measure'; threads: number; options: MeasureOptions }
  | { kind: 'train'; threads: number; options: TrainOneOptions };

async function runJob(job: ChildJob): Promise<unknown> {
  setNumThreads(job.threads);
  if (job.kind === 'measure') return measureModel(job.options);
  if (job.kind === 'train') return trainOne(job.options);
  throw new Error(`unknown job kind '${(job as { kind: string }).kind}'`);
}

async function main(): Promise<void> {
  let reply: { ok: true; result: unknown } | { ok: false; error: string };
  try {
    reply = { ok: true, result: await runJob(JSON.parse(process.argv[2] ?? '') as ChildJob) };
  } catch (e) {
    reply = { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  process.send?.(reply, () => process.exit(0));
  if (!process.send) process.exit(reply.ok ? 0 : 1);
}

if (process.send !== undefined) void main();
