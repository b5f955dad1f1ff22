/** Printing a module as PyTorch's `repr(module)` does (the body of `Module.toString`). */
import type { AnyModule } from './module-types.js';

/** PyTorch's `_addindent`: indents every line but the first. */
function addIndent(s: string, spaces: number): string {
  const lines = s.split('\n');
  if (lines.length === 1) return s;
  const pad = ' '.repeat(spaces);
  return [lines[0], ...lines.slice(1).map((l) => pad + l)].join('\n');
}

/** `Name(extra)`, or the extra lines and each child's own repr below, indented (PyTorch's `Module.__repr__`). */
export function moduleRepr(name: string, extra: string, children: [string, AnyModule | null][]): string {
  const extraLines = extra === '' ? [] : extra.split('\n');
  const childLines = children.map(([key, m]) => `(${key}): ${addIndent(m === null ? 'None' : m.toString(), 2)}`);
  const lines = [...extraLines, ...childLines];
  let s = `${name}(`;
  if (lines.length > 0) {
    if (extraLines.length === 1 && childLines.length === 0) s += extraLines[0];
    else s += `\n  ${lines.join('\n  ')}\n`;
  }
  return `${s})`;
}
