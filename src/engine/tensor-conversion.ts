/** Tensor methods that convert: dtype, device and memory format, copies and detached views. */
import type { DType } from './dtype.js';
import { isDType, parseDType } from './dtype.js';
import { memoryFormatCode, type MemoryFormat } from './memory-format.js';
import * as ops from './ops.generated.js';
import type { Tensor } from './tensor-core.js';

/**
 * Tensor's conversions. A set of methods that tensor.ts copies onto Tensor.prototype; never
 * instantiated, hence the `this: Tensor` parameters.
 */
export class ConversionMethods {
  /** `to('float64')`, `to('cuda')`, `to({dtype, device, memoryFormat})`. */
  to(this: Tensor, target: DType | string | { dtype?: DType; device?: string; memoryFormat?: MemoryFormat; copy?: boolean }): Tensor {
    if (typeof target === 'string') {
      if (isDType(target) || target.startsWith('torch.')) return ops.to_dtype(this, parseDType(target));
      return ops.to_device(this, target, this.dtype);
    }
    const dtype = target.dtype ?? this.dtype;
    const mf = target.memoryFormat === undefined ? undefined : memoryFormatCode(target.memoryFormat);
    if (target.device !== undefined) return ops.to_device(this, target.device, dtype, false, target.copy ?? false, mf);
    return ops.to_dtype(this, dtype, false, target.copy ?? false, mf);
  }

  float(this: Tensor): Tensor { return this.to('float32'); }
  double(this: Tensor): Tensor { return this.to('float64'); }
  half(this: Tensor): Tensor { return this.to('float16'); }
  bfloat16(this: Tensor): Tensor { return this.to('bfloat16'); }
  long(this: Tensor): Tensor { return this.to('int64'); }
  int(this: Tensor): Tensor { return this.to('int32'); }
  bool(this: Tensor): Tensor { return this.to('bool'); }
  cpu(this: Tensor): Tensor { return this.to('cpu'); }
  cuda(this: Tensor, device = 0): Tensor { return this.to(`cuda:${device}`); }
  type(this: Tensor, dtype: DType): Tensor { return this.to(dtype); }

  contiguous(this: Tensor, memoryFormat: MemoryFormat = 'contiguous'): Tensor { return ops.contiguous(this, memoryFormatCode(memoryFormat)); }
  clone(this: Tensor, memoryFormat: MemoryFormat = 'preserve'): Tensor { return ops.clone(this, memoryFormatCode(memoryFormat)); }

  /** A tensor sharing the data, cut from the graph. */
  detach(this: Tensor): Tensor {
    return ops.detach(this);
  }
}
