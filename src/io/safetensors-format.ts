/**
 * What the safetensors reader and writer share: the dtype names and sizes of the format, the error
 * a bad file gives, and the shapes of what is read and written.
 */
import { endianness } from 'node:os';
import type { DType } from '../engine/dtype.js';
import type { Tensor } from '../engine/tensor.js';

/** The reference implementation's limit on the header's size. */
export const MAX_HEADER_BYTES = 100_000_000;

/** safetensors dtype names owlet can hold, with their element size. */
export const FROM_ST: Record<string, DType> = {
  F64: 'float64',
  F32: 'float32',
  F16: 'float16',
  BF16: 'bfloat16',
  I64: 'int64',
  I32: 'int32',
  I16: 'int16',
  I8: 'int8',
  U8: 'uint8',
  BOOL: 'bool',
};
export const TO_ST: Record<DType, string> = Object.fromEntries(Object.entries(FROM_ST).map(([k, v]) => [v, k])) as Record<DType, string>;
export const ITEM_SIZE: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };
/** Valid in safetensors, but libtorch 2.x (and so owlet) has no tensor type for them. */
export const FOREIGN_ST = ['U16', 'U32', 'U64', 'F8_E4M3', 'F8_E5M2', 'F8_E8M0', 'F6_E2M3', 'F6_E3M2', 'F4', 'C64'];
/** The Rust crate's `Dtype` enum order (increasing alignment); writing sorts by it, descending. */
export const RUST_RANK: Record<string, number> = { BOOL: 0, U8: 1, I8: 2, I16: 5, F16: 7, BF16: 8, I32: 9, F32: 11, F64: 12, I64: 13 };

/** A bad safetensors file (or buffer): `source` names it, `problem` says what is wrong. */
export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
  constructor(readonly source: string, readonly problem: string) {
    super(`${source}: not a readable safetensors file: ${problem}`);
  }
}

/** One tensor as the header describes it. `begin`/`end` are offsets into the data section. */
export interface SafetensorsEntry {
  name: string;
  dtype: DType;
  /** The dtype as the file names it (`F32`, `BF16`, ...). */
  fileDtype: string;
  shape: number[];
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  /** Bytes of JSON after the 8-byte length. */
  headerBytes: number;
  /** Where the data section starts in the file (8 + headerBytes). */
  dataStart: number;
  /** The tensors, in the order of their data in the file. */
  entries: SafetensorsEntry[];
  metadata: Record<string, string>;
}

export interface SafetensorsContents {
  /** The tensors, by name, in name order (as `safetensors.torch.load_file` gives them). */
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

export interface ReadOptions {
  /** Move the tensors there after reading (`'cuda'`, `'cuda:1'`); default the CPU. */
  device?: string;
  /** The name used in errors when reading a buffer (default `<buffer>`). */
  name?: string;
}

/** Tensors to write: a Map or a plain object from names to tensors. */
export type TensorDict = Map<string, Tensor> | Record<string, Tensor>;

export function checkEndianness(): void {
  if (endianness() !== 'LE') throw new Error('safetensors: owlet reads and writes safetensors only on little-endian machines');
}
