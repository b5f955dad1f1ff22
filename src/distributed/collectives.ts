/**
 * Collectives on the group, as torch.distributed's (in place, synchronous): `allReduce`, `broadcast`,
 * `allGather`, `barrier`. Tensors are CPU tensors (Gloo). A rank that died or hangs makes them fail
 * within the group's timeout with a DistributedError that names it.
 */
import { Tensor } from '../engine/index.js';
import { distCall } from './errors.js';
import { getRank } from './init.js';
import { dist } from './native-dist.js';

/** torch.distributed.ReduceOp, lower-case; 'avg' sums and divides by the world size (Gloo has no AVG). */
export type ReduceOp = 'sum' | 'avg' | 'max' | 'min' | 'product';

function list(t: Tensor | readonly Tensor[]): readonly Tensor[] {
  return t instanceof Tensor ? [t] : t;
}

/** Reduces each tensor over the ranks, in place; returns what it was given. */
export function allReduce<T extends Tensor | readonly Tensor[]>(t: T, op: ReduceOp = 'sum'): T {
  getRank();
  distCall(() => dist.distAllReduce(list(t).map((x) => x.handle), op));
  return t;
}

/** Copies rank `src`'s tensors into every rank's, in place (coalesced into one message a dtype). */
export function broadcast<T extends Tensor | readonly Tensor[]>(t: T, src = 0): T {
  getRank();
  distCall(() => dist.distBroadcast(list(t).map((x) => x.handle), src));
  return t;
}

/** Every rank's tensor (all of one shape), in rank order. */
export function allGather(t: Tensor): Tensor[] {
  getRank();
  return distCall(() => dist.distAllGather(t.handle)).map((h) => new Tensor(h));
}

/** Waits until every rank has reached it. */
export function barrier(): void {
  getRank();
  distCall(() => dist.distBarrier());
}
