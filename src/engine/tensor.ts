/**
 * owlet's Tensor: a libtorch tensor seen from TypeScript, with PyTorch's API in TypeScript's naming.
 *
 * The class is assembled here, without an import circle: tensor-core.ts holds the class and what
 * needs no operator; the generated operator wrappers (ops.generated.ts) depend on that core only;
 * and the operator methods, written in the tensor-*.ts method sets on top of those wrappers, are
 * declared on Tensor's type and copied onto its prototype below, the way TypeScript's handbook
 * applies mixins. Importing this module (or index.ts) therefore always gives the whole class.
 */
import { ArithmeticMethods } from './tensor-arithmetic.js';
import { ComparisonMethods } from './tensor-comparison.js';
import { ConversionMethods } from './tensor-conversion.js';
import { Tensor } from './tensor-core.js';
import { InPlaceMethods } from './tensor-in-place.js';
import { ElementwiseMethods } from './tensor-elementwise.js';
import { ReductionMethods } from './tensor-reductions.js';
import { ShapeMethods } from './tensor-shapes.js';

declare module './tensor-core.js' {
  // Declaration merging: the class's instances have every method of these sets.
  interface Tensor
    extends ConversionMethods, ArithmeticMethods, ElementwiseMethods, ComparisonMethods, ReductionMethods, ShapeMethods, InPlaceMethods {}
}

const METHOD_SETS = [ConversionMethods, ArithmeticMethods, ElementwiseMethods, ComparisonMethods, ReductionMethods, ShapeMethods, InPlaceMethods];

// Copied as a class body defines them (non-enumerable; getters stay getters), so a Tensor looks the
// same to `for…in`, `inspect` and `Object.keys` as when the methods were written in its class.
for (const set of METHOD_SETS) {
  for (const name of Object.getOwnPropertyNames(set.prototype)) {
    if (name === 'constructor') continue;
    if (Object.prototype.hasOwnProperty.call(Tensor.prototype, name)) throw new Error(`Tensor.${name} is defined twice`);
    Object.defineProperty(Tensor.prototype, name, Object.getOwnPropertyDescriptor(set.prototype, name)!);
  }
}

export { Tensor, type TensorLike, type GradFn, type NestedArray } from './tensor-core.js';
export { type ValuesIndices } from './tensor-reductions.js';
export { memoryFormatCode, type MemoryFormat } from './memory-format.js';
