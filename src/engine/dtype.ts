/** Element types, named as in TypeScript-facing APIs, with libtorch's `c10::ScalarType` codes. */
export type DType =
  | 'uint8'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float16'
  | 'float32'
  | 'float64'
  | 'bool'
  | 'bfloat16';

/** c10::ScalarType numbering (c10/core/ScalarType.h). */
const CODES: Record<DType, number> = {
  uint8: 0,
  int8: 1,
  int16: 2,
  int32: 3,
  int64: 4,
  float16: 5,
  float32: 6,
  float64: 7,
  bool: 11,
  bfloat16: 15,
};

const BY_CODE = new Map<number, DType>(Object.entries(CODES).map(([k, v]) => [v, k as DType]));

/** PyTorch's names, as printed: `torch.float64`. */
const TORCH_NAMES: Record<DType, string> = {
  uint8: 'torch.uint8',
  int8: 'torch.int8',
  int16: 'torch.int16',
  int32: 'torch.int32',
  int64: 'torch.int64',
  float16: 'torch.float16',
  float32: 'torch.float32',
  float64: 'torch.float64',
  bool: 'torch.bool',
  bfloat16: 'torch.bfloat16',
};

/** Aliases a PyTorch user may type. */
const ALIASES: Record<string, DType> = {
  float: 'float32',
  double: 'float64',
  half: 'float16',
  long: 'int64',
  int: 'int32',
  short: 'int16',
  byte: 'uint8',
  char: 'int8',
};

export const DTYPES: readonly DType[] = Object.keys(CODES) as DType[];

export function isDType(x: unknown): x is DType {
  return typeof x === 'string' && x in CODES;
}

/** Accepts owlet names (`float32`), PyTorch's (`torch.float32`) and aliases (`float`, `long`). */
export function parseDType(x: string): DType {
  const name = x.startsWith('torch.') ? x.slice(6) : x;
  if (isDType(name)) return name;
  const alias = ALIASES[name];
  if (alias) return alias;
  throw new TypeError(`unknown dtype '${x}': use one of ${DTYPES.join(', ')}`);
}

export function dtypeCode(d: DType): number {
  const code = CODES[d];
  if (code === undefined) throw new TypeError(`unknown dtype '${String(d)}': use one of ${DTYPES.join(', ')}`);
  return code;
}

export function dtypeFromCode(code: number): DType {
  const d = BY_CODE.get(code);
  if (!d) throw new TypeError(`libtorch scalar type ${code} has no owlet dtype`);
  return d;
}

export function torchName(d: DType): string {
  return TORCH_NAMES[d];
}

export function isFloating(d: DType): boolean {
  return d === 'float16' || d === 'float32' || d === 'float64' || d === 'bfloat16';
}

export function elementSize(d: DType): number {
  switch (d) {
    case 'uint8':
    case 'int8':
    case 'bool':
      return 1;
    case 'int16':
    case 'float16':
    case 'bfloat16':
      return 2;
    case 'int32':
    case 'float32':
      return 4;
    case 'int64':
    case 'float64':
      return 8;
  }
}
