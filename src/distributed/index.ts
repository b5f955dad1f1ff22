/**
 * `owlet/distributed`: PyTorch's c10d from owlet — process groups over TCPStore or FileStore with
 * Gloo, the collectives, DDP's bucketed gradient reducer, and a local launcher that starts ranks as
 * torchrun does. The Learner's data-parallel training (learner/distributed.ts) builds on it.
 */
export {
  initProcessGroup, destroyProcessGroup, isInitialized, isAvailable, getRank, getWorldSize, getBackend, getLocalRank, getLocalWorldSize,
  resolveInit, type InitOptions, type Backend,
} from './init.js';
export { allReduce, broadcast, allGather, barrier, type ReduceOp } from './collectives.js';
export { GradReducer, type GradReducerOptions } from './reducer.js';
export { DistributedError } from './errors.js';
export type { ReducerStats } from './native-dist.js';
export { launchLocal, freePort, type LaunchOptions } from './launch.js';
