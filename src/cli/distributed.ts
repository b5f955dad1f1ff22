/**
 * `owlet train --nproc N`: data-parallel training on this machine (and with --nnodes, across machines).
 * Without RANK in the environment, the command starts N copies of itself with torchrun's variables
 * (distributed/launch.ts) and waits for them; with RANK set — by that launcher or by PyTorch's
 * `torchrun --no-python --nproc_per_node=N npx owlet train …` — the process joins the group (env://)
 * and trains as one rank. Rank 0 prints the tables and writes the export; the others are silent.
 */
import type { Command } from 'commander';
import { broadcast, destroyProcessGroup, getRank, getWorldSize, initProcessGroup, launchLocal } from '../distributed/index.js';
import { tensor } from '../engine/index.js';
import { UserError } from './errors.js';
import { parseInteger } from './options.js';

export interface DistributedCliOptions {
  nproc?: number;
  nnodes?: number;
  nodeRank?: number;
  masterAddr?: string;
  masterPort?: number;
}

const FLAGS = ['--nproc', '--nnodes', '--node-rank', '--master-addr', '--master-port'];

export function addDistributedOptions(cmd: Command): Command {
  return cmd
    .option('--nproc <n>', 'data-parallel: start n training processes on this machine (torchrun\'s --nproc_per_node); --bs is per process', parseInteger('--nproc', 1))
    .option('--nnodes <n>', 'data-parallel across n machines: run the same command on each, with its --node-rank and node 0\'s --master-addr', parseInteger('--nnodes', 1))
    .option('--node-rank <i>', 'this machine\'s index among --nnodes (0 hosts the rendezvous)', parseInteger('--node-rank', 0))
    .option('--master-addr <host>', 'the address of node 0, which hosts the rendezvous (default 127.0.0.1)')
    .option('--master-port <port>', 'its port (default: a free one on one machine; give one across machines)', parseInteger('--master-port', 1));
}

/** The arguments without the launcher's own flags (what each rank runs). */
export function rankArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (FLAGS.includes(a)) i++;
    else if (!FLAGS.some((f) => a.startsWith(`${f}=`))) out.push(a);
  }
  return out;
}

/**
 * Starts the ranks when asked to (--nproc/--nnodes, and this process is not a rank already); returns
 * the exit code, or null when this process should train itself.
 */
export async function launchIfAsked(opts: DistributedCliOptions): Promise<number | null> {
  if (opts.nproc === undefined && opts.nnodes === undefined) return null;
  if (process.env['RANK'] !== undefined) return null; // a rank already (started by this launcher or torchrun): its flags are ignored
  const script = process.argv[1];
  if (script === undefined) throw new UserError('--nproc: cannot tell which script to start');
  try {
    const res = await launchLocal({
      nproc: opts.nproc ?? 1, nnodes: opts.nnodes ?? 1, nodeRank: opts.nodeRank ?? 0, command: process.execPath,
      args: [...process.execArgv, script, ...rankArgs(process.argv.slice(2))],
      ...(opts.masterAddr !== undefined ? { masterAddr: opts.masterAddr } : {}),
      ...(opts.masterPort !== undefined ? { masterPort: opts.masterPort } : {}),
    });
    return res.code;
  } catch (e) {
    if (e instanceof RangeError) throw new UserError(e.message);
    throw e;
  }
}

/** When this process is a rank (WORLD_SIZE in the environment), joins the group; returns its place, or null. */
export function joinGroupFromEnv(): { rank: number; worldSize: number } | null {
  if (process.env['WORLD_SIZE'] === undefined) return null;
  const timeout = Number(process.env['OWLET_DIST_TIMEOUT'] ?? 1800);
  initProcessGroup({ timeout });
  return { rank: getRank(), worldSize: getWorldSize() };
}

/** Rank 0's numbers on every rank (a plan measured on each machine must be the same everywhere). */
export function fromRankZero(values: number[]): number[] {
  const t = tensor(values, { dtype: 'float64' });
  broadcast(t, 0);
  return t.toFlatArray() as number[];
}

export function leaveGroup(): void {
  destroyProcessGroup();
}
