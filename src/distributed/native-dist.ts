/**
 * The addon's distributed functions (native/distributed.cc): PyTorch's c10d, TCPStore or FileStore
 * and ProcessGroupGloo, from Node-API. Tensors travel as the engine's handles.
 */
import { native, type Handle } from '../engine/native.js';

export interface StoreSpec {
  kind: 'tcp' | 'file';
  host: string;
  port: number;
  path: string;
  rank: number;
  worldSize: number;
  timeoutMs: number;
  /** This process hosts the TCPStore (rank 0, unless torchrun's agent hosts it). */
  isServer: boolean;
  /** torchrun's "/worker/attempt_<n>" prefix, or "". */
  prefix: string;
}

export interface ReducerStats {
  buckets: number;
  params: number;
  steps: number;
  /** Bucket all-reduces started, and of those, started during backward (overlapping it). */
  launched: number;
  launchedInBackward: number;
  /** Time spent waiting for all-reduces to finish after backward, and copying gradients in and out. */
  waitMs: number;
  copyMs: number;
  bucketBytes: number[];
}

export interface DistNative {
  distAvailable(): boolean;
  distInit(spec: StoreSpec): void;
  distDestroy(): void;
  distIsInitialized(): boolean;
  distAllReduce(ts: Handle[], op: string): void;
  distBroadcast(ts: Handle[], src: number): void;
  distAllGather(t: Handle): Handle[];
  distBarrier(): void;
  distReducerCreate(params: Handle[], bucketCapBytes: number, firstBucketBytes: number): number;
  distReducerPrepare(id: number): void;
  distReducerFinalize(id: number): void;
  distReducerStats(id: number): ReducerStats;
  distReducerDestroy(id: number): void;
}

export const dist = native as unknown as DistNative;
