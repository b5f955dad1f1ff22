#!/usr/bin/env node
// Generates src/engine/ops.generated.ts: one typed TypeScript function for each libtorch operator
// schema registered with the dispatcher (read from the built addon), the way tch-rs generates its
// wrappers from PyTorch's declarations. Committed with its output; run with `npm run gen`.
//
// The rules:
//   - aten:: operators only, minus the exclusion list below (private `_` ops, out= variants,
//     backends and types that cannot be reached from JavaScript);
//   - one naming rule for overloads: `name` for the default overload, `name_overload` otherwise
//     (aten::add.Tensor -> add_Tensor, aten::sum.dim_IntList -> sum_dim_IntList);
//   - arguments keep their schema names and order; those with defaults become optional.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const native = createRequire(import.meta.url)(join(root, 'build', 'Release', 'owlet.node'));

// --- exclusions -------------------------------------------------------------------------------
const EXCLUDED_NAME_PARTS = [
  'mkldnn', 'cudnn', 'miopen', 'fbgemm', 'quantize', 'quantized', 'sparse', '_mps', 'vulkan', 'nested',
  'backward', 'qscheme', 'q_per_channel', 'q_scale', 'q_zero_point', 'int_repr', 'to_padded_tensor',
  'coalesce', 'crow_', 'col_indices', 'ccol_', 'row_indices', 'fake_quant', 'is_vulkan', 'record_stream',
  'set_data', 'retains_grad', 'output_nr', 'align_', 'refine_names', 'rename', 'unflatten_dense',
];
const EXCLUDED_NAMES = new Set([
  'aten::backward', 'aten::grad', 'aten::item', 'aten::is_leaf', 'aten::retain_grad', 'aten::_version',
  'aten::detach_', 'aten::indices', 'aten::values', 'aten::data', 'aten::requires_grad_', 'aten::lift', 'aten::lift_fresh', 'aten::lift_fresh_copy', 'aten::size', 'aten::stride',
]);
// Argument types owlet passes from JavaScript (see native/owlet.cc, Kind).
const PASSABLE = /^(Tensor(\([a-z]!?\))?\??|Tensor(\([a-z]!?\))?\[\]|Tensor\?\[\]|int\??|SymInt\??|float\??|bool\??|Scalar\??|str\??|ScalarType\??|Layout\??|MemoryFormat\??|Device\??|Generator\?|(int|SymInt)\[\d*\]\??|float\[\d*\]\??|bool\[\d*\]\??)$/;
const RESERVED = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else',
  'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof',
  'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void',
  'while', 'with', 'yield', 'let', 'static', 'implements', 'interface', 'package', 'private', 'protected',
  'public', 'await', 'arguments', 'eval',
]);

// --- schema parsing ---------------------------------------------------------------------------
function splitTop(s) {
  const parts = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(' || ch === '[') depth++;
    if (ch === ')' || ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

function parseSchema(schema) {
  const m = /^([\w:]+)(?:\.(\w+))?\((.*)\) -> (.*)$/.exec(schema);
  if (!m) return null;
  const [, name, overload = '', argText, retText] = m;
  const args = [];
  let kwOnly = false;
  for (const part of splitTop(argText)) {
    if (part === '*') {
      kwOnly = true;
      continue;
    }
    const am = /^(.*?) (\w+)(?:=(.*))?$/.exec(part);
    if (!am) return null;
    // Alias annotations (`Tensor(a!)`, `Tensor(a -> *)`) matter only for in-place returns.
    args.push({ type: am[1].replace(/\([a-z][^)]*\)/, ''), name: am[2], def: am[3], kwOnly, writes: am[1].includes('!') });
  }
  let rets = retText.trim();
  if (rets.startsWith('(') && rets.endsWith(')')) rets = rets.slice(1, -1);
  const returnParts = rets === '' ? [] : splitTop(rets).map((r) => r.split(' ')[0]);
  const returns = returnParts.map((r) => r.replace(/\([a-z][^)]*\)/, ''));
  const returnsWrite = returnParts.map((r) => r.includes('!'));
  return { schema, name, overload, args, returns, returnsWrite };
}

function excluded(op) {
  const short = op.name.slice('aten::'.length);
  if (!op.name.startsWith('aten::')) return 'not aten';
  if (short.startsWith('_')) return 'private';
  if (EXCLUDED_NAMES.has(op.name)) return 'hand-written';
  if (EXCLUDED_NAME_PARTS.some((p) => short.includes(p))) return 'backend or excluded family';
  if (op.overload.includes('out') || op.overload.includes('Dimname') || op.overload.startsWith('names'))
    return 'out= or named overload';
  if (op.args.some((a) => a.kwOnly && a.writes)) return 'out= arguments';
  if (op.args.some((a) => !PASSABLE.test(a.type))) return 'argument type';
  if (op.returns.some((r) => !/^(Tensor(\([a-z]!?\))?|Tensor\[\]|int|float|bool|Scalar|ScalarType|str|SymInt)$/.test(r)))
    return 'return type';
  return null;
}

// --- TypeScript emission ----------------------------------------------------------------------
function tsArgType(type) {
  const opt = type.endsWith('?') && !type.endsWith('[]?');
  const base = type.replace(/\?$/, '').replace(/\([a-z]!?\)/, '');
  let t;
  if (base === 'Tensor') t = 'Tensor | number';
  else if (base === 'Tensor[]') t = 'readonly Tensor[]';
  else if (base === 'Tensor?[]') t = 'readonly (Tensor | null)[]';
  else if (/^(int|SymInt)\[\d*\]$/.test(base)) t = 'readonly number[] | number';
  else if (/^float\[\d*\]$/.test(base)) t = 'readonly number[]';
  else if (/^bool\[\d*\]$/.test(base)) t = 'readonly boolean[]';
  else if (base === 'int' || base === 'SymInt' || base === 'float' || base === 'Layout' || base === 'MemoryFormat') t = 'number';
  else if (base === 'bool') t = 'boolean';
  else if (base === 'Scalar') t = 'number | boolean';
  else if (base === 'str' || base === 'Device') t = 'string';
  else if (base === 'ScalarType') t = 'DType';
  else if (base === 'Generator') return 'null';
  else throw new Error(`no TS type for ${type}`);
  if (type.endsWith('[]?') || type.endsWith(']?')) return `${t} | null`;
  return opt ? `${t} | null` : t;
}

function convert(arg, v) {
  const base = arg.type.replace(/\?$/, '').replace(/\([a-z]!?\)/, '');
  if (base === 'Tensor') return `rt.h(${v})`;
  if (base === 'Tensor[]') return `rt.hs(${v})`;
  if (base === 'Tensor?[]') return `rt.hos(${v})`;
  if (base === 'ScalarType') return `rt.dt(${v})`;
  return v;
}

function tsReturn(r) {
  const base = r.replace(/\([a-z]!?\)/, '');
  if (base === 'Tensor') return 'Tensor';
  if (base === 'Tensor[]') return 'Tensor[]';
  if (base === 'bool') return 'boolean';
  if (base === 'str') return 'string';
  if (base === 'ScalarType') return 'DType';
  return 'number';
}

function fnName(op) {
  const short = op.name.slice('aten::'.length);
  const n = op.overload ? `${short}_${op.overload}` : short;
  return RESERVED.has(n) ? `${n}_` : n;
}

function argName(a) {
  return RESERVED.has(a.name) ? `${a.name}_` : a.name;
}

function emit(op) {
  const name = fnName(op);
  const handleVar = `$${name}`;
  // An argument is optional when it has a default, or is nullable and nothing after it is required.
  const params = [];
  let optionalFromHere = true;
  const flags = op.args.map(() => false);
  for (let i = op.args.length - 1; i >= 0; i--) {
    const a = op.args[i];
    const canOmit = a.def !== undefined || a.type.endsWith('?');
    optionalFromHere = optionalFromHere && canOmit;
    flags[i] = optionalFromHere;
  }
  op.args.forEach((a, i) => params.push(`${argName(a)}${flags[i] ? '?' : ''}: ${tsArgType(a.type)}`));
  const callArgs = op.args.map((a, i) => {
    const v = argName(a);
    const c = convert(a, v);
    if (c === v) return v;
    const nullable = flags[i] || a.type.endsWith('?');
    return nullable ? `${v} == null ? ${v} : ${c}` : c;
  });
  const call = `native.call(${handleVar} ??= rt.op('${op.name}', '${op.overload}')${callArgs.length ? ', ' : ''}${callArgs.join(', ')})`;
  const selfReturn =
    op.returns.length === 1 && op.args.length > 0 && op.returnsWrite[0] && op.args[0].writes;
  let ret;
  let body;
  if (op.returns.length === 0) {
    ret = 'void';
    body = `  ${call};`;
  } else if (selfReturn) {
    ret = 'Tensor';
    body = `  ${call};\n  return ${argName(op.args[0])} as Tensor;`;
  } else if (op.returns.length === 1) {
    ret = tsReturn(op.returns[0]);
    const conv = ret === 'Tensor' ? 'rt.t' : ret === 'Tensor[]' ? 'rt.ts' : ret === 'DType' ? 'dtypeFromCode' : '';
    body = conv ? `  return ${conv}(${call} as never);` : `  return ${call} as ${ret};`;
  } else {
    const types = op.returns.map(tsReturn);
    ret = `[${types.join(', ')}]`;
    const parts = types.map((ty, i) => (ty === 'Tensor' ? `rt.t(r[${i}] as never)` : ty === 'Tensor[]' ? `rt.ts(r[${i}] as never)` : `r[${i}] as ${ty}`));
    body = `  const r = ${call} as unknown[];\n  return [${parts.join(', ')}];`;
  }
  return `let ${handleVar}: number | undefined;\n/** \`${op.schema}\` */\nexport function ${name}(${params.join(', ')}): ${ret} {\n${body}\n}\n`;
}

const all = native.schemas().map(parseSchema).filter(Boolean);
const kept = [];
const reasons = {};
for (const op of all) {
  const why = excluded(op);
  if (why) reasons[why] = (reasons[why] ?? 0) + 1;
  else kept.push(op);
}
kept.sort((a, b) => fnName(a).localeCompare(fnName(b)));
const seen = new Set();
const unique = kept.filter((op) => !seen.has(fnName(op)) && seen.add(fnName(op)));

const header = `// DO NOT EDIT: generated by scripts/gen-ops.mjs from libtorch ${native.version()}'s operator schemas.
// ${unique.length} operators; one function each, named \`name\` or \`name_overload\`.
/* eslint-disable */
import type { DType } from './dtype.js';
import { dtypeFromCode } from './dtype.js';
import { native } from './native.js';
import type { Tensor } from './tensor-core.js';
import * as rt from './op-runtime.js';
`;
writeFileSync(join(root, 'src', 'engine', 'ops.generated.ts'), header + '\n' + unique.map(emit).join('\n'));
console.log(`generated ${unique.length} operators from ${all.length} schemas; excluded: ${JSON.stringify(reasons)}`);
