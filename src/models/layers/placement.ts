/** Where a layer's parameters are made: shared by every layer that takes `device` and `dtype`. */
import type { DType } from '../../engine/dtype.js';

/** Device and dtype of the parameters a layer makes. */
export interface Placement {
  device?: string;
  dtype?: DType;
}
