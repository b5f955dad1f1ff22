/**
 * `initProcessGroup`, as `torch.distributed.init_process_group`: joins this process to a group of
 * `worldSize` ranks through a store — `env://` (torchrun's variables MASTER_ADDR, MASTER_PORT, RANK,
 * WORLD_SIZE), `tcp://host:port` or `file://path` — and Gloo's all-to-all connections. The group is
 * PyTorch's own (c10d), so PyTorch processes can be ranks of it too.
 */
import { DistributedError, distCall } from './errors.js';
import { dist, type StoreSpec } from './native-dist.js';

export type Backend = 'gloo' | 'nccl';

export interface InitOptions {
  /** 'gloo' (CPU tensors); 'nccl' needs a CUDA build with NCCL, which owlet's addon does not bind. */
  backend?: Backend;
  /** 'env://' (default), 'tcp://host:port' or 'file:///path/to/file'. */
  initMethod?: string;
  /** Default: RANK from the environment. */
  rank?: number;
  /** Default: WORLD_SIZE from the environment. */
  worldSize?: number;
  /** Seconds a rendezvous or collective may wait before it fails (PyTorch's default: 1800). */
  timeout?: number;
}

interface GroupState {
  rank: number;
  worldSize: number;
  backend: Backend;
  initMethod: string;
}

let state: GroupState | null = null;

function envInt(name: string, env: NodeJS.ProcessEnv): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new DistributedError(`${name}=${v} in the environment is not a whole number >= 0`);
  return n;
}

function required(value: number | undefined, what: string, env: string, initMethod: string): number {
  if (value === undefined)
    throw new DistributedError(`initProcessGroup: no ${what}: pass {${what}} or set ${env} (torchrun sets it), as ${initMethod} needs it`);
  return value;
}

/** What the store and group need, from the options and the environment. */
export function resolveInit(options: InitOptions = {}, env: NodeJS.ProcessEnv = process.env): StoreSpec & { backend: Backend; initMethod: string } {
  const backend = options.backend ?? 'gloo';
  if (backend === 'nccl')
    throw new DistributedError("initProcessGroup: backend 'nccl' needs CUDA and NCCL, and this owlet build speaks Gloo only (CPU tensors): use backend 'gloo'");
  if (backend !== 'gloo') throw new DistributedError(`initProcessGroup: unknown backend '${String(backend)}': use 'gloo'`);
  const initMethod = options.initMethod ?? 'env://';
  const timeout = options.timeout ?? 1800;
  if (!(timeout > 0)) throw new DistributedError(`initProcessGroup: timeout must be a positive number of seconds, got ${timeout}`);
  const rank = required(options.rank ?? envInt('RANK', env), 'rank', 'RANK', initMethod);
  const worldSize = required(options.worldSize ?? envInt('WORLD_SIZE', env), 'worldSize', 'WORLD_SIZE', initMethod);
  if (!Number.isInteger(worldSize) || worldSize < 1) throw new DistributedError(`initProcessGroup: worldSize must be a whole number >= 1, got ${worldSize}`);
  if (!Number.isInteger(rank) || rank < 0 || rank >= worldSize)
    throw new DistributedError(`initProcessGroup: rank must be a whole number from 0 to ${worldSize - 1} (worldSize ${worldSize}), got ${rank}`);
  const base = { rank, worldSize, timeoutMs: timeout * 1000, backend, initMethod, host: '', port: 0, path: '', isServer: false, prefix: '' };
  const agentStore = env['TORCHELASTIC_USE_AGENT_STORE'] === 'True';
  if (initMethod === 'env://') {
    const host = env['MASTER_ADDR'];
    const port = envInt('MASTER_PORT', env);
    if (host === undefined || host === '' || port === undefined)
      throw new DistributedError("initProcessGroup: 'env://' reads MASTER_ADDR and MASTER_PORT, and they are not set: start the ranks with torchrun or `owlet train --nproc N`, or set them (e.g. MASTER_ADDR=127.0.0.1 MASTER_PORT=29500)");
    return tcpSpec(base, host, port, agentStore, env);
  }
  const tcp = /^tcp:\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(initMethod);
  if (tcp !== null) return tcpSpec(base, tcp[1]!.replace(/^\[|\]$/g, ''), Number(tcp[2]), agentStore, env);
  if (initMethod.startsWith('file://')) {
    const path = initMethod.slice('file://'.length);
    if (path === '') throw new DistributedError("initProcessGroup: 'file://' needs a path, e.g. file:///tmp/owlet-rendezvous (the same file for every rank, on a shared filesystem across machines)");
    return { ...base, kind: 'file', path };
  }
  throw new DistributedError(`initProcessGroup: initMethod '${initMethod}' is not one of 'env://', 'tcp://host:port', 'file:///path'`);
}

function tcpSpec(base: Omit<StoreSpec, 'kind'> & { backend: Backend; initMethod: string }, host: string, port: number, agentStore: boolean, env: NodeJS.ProcessEnv) {
  if (!(port > 0 && port < 65536)) throw new DistributedError(`initProcessGroup: port must be from 1 to 65535, got ${port}`);
  // Under torchrun the agent hosts the store and every rank is a client, with the agent's prefix (torch's rendezvous does the same).
  const prefix = agentStore ? `/worker/attempt_${env['TORCHELASTIC_RESTART_COUNT'] ?? '0'}` : '';
  return { ...base, kind: 'tcp' as const, host, port, isServer: !agentStore && base.rank === 0, prefix };
}

/** Joins this process to the group (blocks until every rank has joined, or the timeout). */
export function initProcessGroup(options: InitOptions = {}): void {
  if (state !== null) throw new DistributedError('initProcessGroup: this process is already in a group: call destroyProcessGroup() first');
  const spec = resolveInit(options);
  distCall(() => dist.distInit(spec)); // without Gloo in the build, says what to install
  state = { rank: spec.rank, worldSize: spec.worldSize, backend: spec.backend, initMethod: spec.initMethod };
}

/** Leaves the group (its connections and, on the rank that hosts it, the store). */
export function destroyProcessGroup(): void {
  if (state === null) return;
  dist.distDestroy();
  state = null;
}

export function isInitialized(): boolean {
  return state !== null;
}

/** Whether this addon was built with Gloo (distributed support). */
export function isAvailable(): boolean {
  return dist.distAvailable();
}

function current(what: string): GroupState {
  if (state === null) throw new DistributedError(`${what}: no process group: call initProcessGroup() first`);
  return state;
}

/** This process's rank in the group (0 … worldSize-1). */
export function getRank(): number {
  return current('getRank').rank;
}

export function getWorldSize(): number {
  return current('getWorldSize').worldSize;
}

export function getBackend(): Backend {
  return current('getBackend').backend;
}

/** LOCAL_RANK from the environment (torchrun's rank on this machine), else the rank. */
export function getLocalRank(env: NodeJS.ProcessEnv = process.env): number {
  return envInt('LOCAL_RANK', env) ?? (state?.rank ?? 0);
}

/** LOCAL_WORLD_SIZE from the environment (ranks on this machine), else the world size. */
export function getLocalWorldSize(env: NodeJS.ProcessEnv = process.env): number {
  return envInt('LOCAL_WORLD_SIZE', env) ?? (state?.worldSize ?? 1);
}
