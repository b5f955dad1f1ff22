/** owlet's engine: tensors and autograd on libtorch. */
export { Tensor, type TensorLike, type ValuesIndices, type GradFn, type MemoryFormat, type NestedArray } from './tensor.js';
export {
  tensor, scalarTensor, zeros, ones, empty, full, arange, linspace, eye, rand, randn, randint, randperm,
  zerosLike, onesLike, emptyLike, fullLike, randLike, randnLike, cat, stack, where,
  type TensorOptions, type TensorData,
} from './creation.js';
export { type DType, DTYPES, parseDType, isFloating, torchName } from './dtype.js';
export { noGrad, enableGrad, setGradEnabled, isGradEnabled, autocast, isAutocastEnabled } from './autograd.js';
export { nativeMultiHeadAttention } from './fused-ops.js';
export { manualSeed, setNumThreads, getNumThreads, blasNumThreads, cudaIsAvailable, libtorchVersion, memoryStats } from './runtime.js';
export { packageRoot, owletVersion, owletCacheDir } from './package-root.js';
export { machineProfile, describeMachine, cpuProfileFrom, type MachineProfile, type CpuProfile, type IsaLevel } from './machine.js';
export { tidy, keep, tidyOwned } from './memory.js';
export { slice, type Slice, type IndexSpec } from './indexing.js';
export { setPrintOptions, getPrintOptions, pyFixed, pyExp, type PrintOptions } from './format.js';
export { RandomState, numpyRandom } from './numpy-random.js';
export * as ops from './ops.generated.js';
