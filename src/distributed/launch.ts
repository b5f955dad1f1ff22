/**
 * Starting the ranks of one machine, as torchrun does: `nproc` copies of a command, each with
 * torchrun's variables (MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE,
 * GROUP_RANK). Across machines, each machine runs it with the same `nnodes`, `masterAddr` and
 * `masterPort` and its own `nodeRank`. When a rank fails, the others are stopped (SIGTERM, then
 * SIGKILL after `graceSeconds`), and the failure is returned, naming the rank.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface LaunchOptions {
  /** Processes on this machine. */
  nproc: number;
  command: string;
  args: readonly string[];
  /** Machines (default 1), and this one's index (default 0). */
  nnodes?: number;
  nodeRank?: number;
  /** Where rank 0 hosts the store (default 127.0.0.1, and a free port when one machine). */
  masterAddr?: string;
  masterPort?: number;
  /** Extra variables for every rank. */
  env?: NodeJS.ProcessEnv;
  graceSeconds?: number;
  /** Where the launcher's own messages go (default: stderr). */
  log?: (line: string) => void;
}

export interface LaunchResult {
  /** 0 when every rank exited with 0; otherwise the first failing rank's code (1 for a signal). */
  code: number;
  /** The first rank that failed, and how. */
  failed: { rank: number; code: number | null; signal: string | null } | null;
}

/** A TCP port free on this machine now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function launchLocal(o: LaunchOptions): Promise<LaunchResult> {
  const nnodes = o.nnodes ?? 1;
  const nodeRank = o.nodeRank ?? 0;
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  if (!Number.isInteger(o.nproc) || o.nproc < 1) throw new RangeError(`--nproc must be a whole number >= 1, got ${o.nproc}`);
  if (!Number.isInteger(nnodes) || nnodes < 1) throw new RangeError(`--nnodes must be a whole number >= 1, got ${nnodes}`);
  if (!Number.isInteger(nodeRank) || nodeRank < 0 || nodeRank >= nnodes) throw new RangeError(`--node-rank must be from 0 to ${nnodes - 1}, got ${nodeRank}`);
  if (nnodes > 1 && (o.masterAddr === undefined || o.masterPort === undefined))
    throw new RangeError('across machines, give every machine the same --master-addr (the address of node 0) and --master-port');
  const masterAddr = o.masterAddr ?? '127.0.0.1';
  const masterPort = o.masterPort ?? (await freePort());
  const worldSize = nnodes * o.nproc;
  const children: ChildProcess[] = [];
  return new Promise<LaunchResult>((resolve) => {
    let left = o.nproc;
    let failed: LaunchResult['failed'] = null;
    let killTimer: NodeJS.Timeout | null = null;
    const stopOthers = () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
      killTimer = setTimeout(() => {
        for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      }, (o.graceSeconds ?? 10) * 1000);
      killTimer.unref();
    };
    // SIGTERM/SIGHUP to the launcher stop the ranks too; Ctrl-C reaches them from the terminal
    // itself (one process group), and the launcher waits for them to save their checkpoint.
    const forward = (sig: NodeJS.Signals) => () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill(sig);
    };
    const handlers: [NodeJS.Signals, () => void][] = [['SIGTERM', forward('SIGTERM')], ['SIGHUP', forward('SIGHUP')], ['SIGINT', () => undefined]];
    for (const [sig, h] of handlers) process.on(sig, h);
    for (let local = 0; local < o.nproc; local++) {
      const rank = nodeRank * o.nproc + local;
      const env: NodeJS.ProcessEnv = {
        ...process.env, ...o.env,
        MASTER_ADDR: masterAddr, MASTER_PORT: String(masterPort), RANK: String(rank), WORLD_SIZE: String(worldSize),
        LOCAL_RANK: String(local), LOCAL_WORLD_SIZE: String(o.nproc), GROUP_RANK: String(nodeRank),
      };
      const child = spawn(o.command, [...o.args], { env, stdio: 'inherit' });
      children.push(child);
      child.on('error', (e) => log(`owlet: rank ${rank} could not start ${o.command}: ${e.message}`));
      child.on('exit', (code, signal) => {
        left--;
        if ((code !== 0 || signal !== null) && failed === null) {
          failed = { rank, code, signal };
          log(`owlet: rank ${rank} ${signal !== null ? `was killed by ${signal}` : `exited with code ${code}`}; stopping the other ranks`);
          stopOthers();
        }
        if (left === 0) {
          if (killTimer !== null) clearTimeout(killTimer);
          for (const [sig, h] of handlers) process.off(sig, h);
          resolve({ code: failed === null ? 0 : (failed.code ?? 1) || 1, failed });
        }
      });
    }
  });
}
