/**
 * Running one job in a child process of its own (`owlet compare` measures each model so, and
 * `owlet train --arch a,b` trains each so): its peak memory is then its own, a crash or a hang ends
 * that job only, and a time limit can stop it. The child is `child.ts`, given the job as JSON; it
 * answers over Node's IPC channel.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildJob } from './child.js';

export type ChildOutcome<T> =
  | { ok: true; result: T; seconds: number }
  | { ok: false; error: string; seconds: number; timedOut: boolean };

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

/**
 * Runs `job` in a child process. `timeoutSeconds`: the child is killed after it and the outcome says
 * so. `quiet`: the child's output is kept (its last lines explain a crash) instead of shown.
 */
export function runChild<T>(job: ChildJob, options: { timeoutSeconds?: number; quiet?: boolean } = {}): Promise<ChildOutcome<T>> {
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  return new Promise((resolvePromise) => {
    const child = fork(CHILD, [JSON.stringify(job)], {
      stdio: options.quiet ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [],
    });
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-2000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let answer: { ok: true; result: T } | { ok: false; error: string } | undefined;
    let timedOut = false;
    const timer = options.timeoutSeconds !== undefined
      ? setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, options.timeoutSeconds * 1000)
      : undefined;
    child.on('message', (m) => {
      answer = m as typeof answer;
    });
    child.on('error', (e) => {
      answer ??= { ok: false, error: `could not start the child process: ${e.message}` };
    });
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (timedOut) {
        resolvePromise({ ok: false, error: `timed out after ${options.timeoutSeconds} s`, seconds: seconds(), timedOut: true });
      } else if (answer?.ok === true) {
        resolvePromise({ ok: true, result: answer.result, seconds: seconds() });
      } else {
        const last = tail.trim().split('\n').filter((l) => l.trim() !== '').slice(-3).join(' / ');
        const why = answer?.ok === false ? answer.error : `the process ended (${signal !== null ? `signal ${signal}` : `exit code ${code}`}) without a result${last ? `: ${last}` : ''}`;
        resolvePromise({ ok: false, error: why, seconds: seconds(), timedOut: false });
      }
    });
  });
}
