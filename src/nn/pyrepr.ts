/**
 * Python's `repr` of the plain values that modules print in `extraRepr()`: floats (`1e-05`, `0.1`,
 * `1.0`), booleans (`True`), tuples (`(3, 3)`, `(96,)`), `None` and quoted strings (`'none'`).
 */

/**
 * Python's `repr(float)`: the shortest digits that read back to the same double, in fixed notation
 * with at least one decimal (`0.1`, `100.0`) when the exponent is in [-4, 16), else in scientific
 * notation with a signed two-digit exponent (`1e-05`, `1.5e+16`).
 */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // toExponential() with no argument gives the shortest round-tripping digits.
  const [mant, expStr] = Math.abs(x).toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  const digits = mant.replace('.', '');
  if (exp < -4 || exp >= 16) {
    const m = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}.${frac === '' ? '0' : frac}`;
}

/** Python's `repr(bool)`. */
export function pyBool(b: boolean): string {
  return b ? 'True' : 'False';
}

/** Python's `repr(str)` for the simple strings modules print: single-quoted. */
export function pyStr(s: string): string {
  return s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** An integer, or `None` for null. */
export function pyInt(x: number | null): string {
  return x === null ? 'None' : String(x);
}

/** Python's tuple repr of integers (null as `None`): `(3, 3)`, `(96,)`, `()`. */
export function pyTuple(xs: readonly (number | null)[]): string {
  if (xs.length === 1) return `(${pyInt(xs[0]!)},)`;
  return `(${xs.map(pyInt).join(', ')})`;
}

/** An int or a tuple of ints, as the user gave it (PyTorch prints pooling sizes that way). */
export function pyIntOrTuple(x: number | null | readonly (number | null)[]): string {
  return Array.isArray(x) ? pyTuple(x as readonly (number | null)[]) : pyInt(x as number | null);
}

/** A float, or `None` for null. */
export function pyOptFloat(x: number | null): string {
  return x === null ? 'None' : pyFloat(x);
}
