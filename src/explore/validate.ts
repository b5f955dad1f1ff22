/**
 * Checking request bodies: every field the API reads goes through one of these, which throw a
 * BadRequest naming the field, what it must be, and what came.
 */

export class BadRequest extends Error {
  readonly status = 400;
}

function shown(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

/** The body must be a JSON object. */
export function object(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequest(`the body must be a JSON object, got ${shown(body)}`);
  return body as Record<string, unknown>;
}

export interface Range {
  min: number;
  max: number;
  /** min itself is not allowed (a learning rate of 0, say). */
  minExclusive?: boolean;
  integer?: boolean;
}

function describe(r: Range): string {
  const kind = r.integer ? 'an integer' : 'a number';
  return r.minExclusive ? `${kind} greater than ${r.min} and at most ${r.max}` : `${kind} from ${r.min} to ${r.max}`;
}

function inRange(v: number, r: Range): boolean {
  if (!Number.isFinite(v)) return false;
  if (r.integer && !Number.isInteger(v)) return false;
  return (r.minExclusive ? v > r.min : v >= r.min) && v <= r.max;
}

/** A number field (a JSON number, not a string). Missing fields take `fallback` when one is given. */
export function number(o: Record<string, unknown>, key: string, r: Range, fallback?: number): number {
  const v = o[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (v === undefined) throw new BadRequest(`"${key}" is missing: it must be ${describe(r)}`);
  if (typeof v !== 'number' || !inRange(v, r)) throw new BadRequest(`"${key}" must be ${describe(r)}, got ${shown(v)}`);
  return v;
}

/** An array of numbers, each in range, of a length in [minLength, maxLength]. */
export function numbers(o: Record<string, unknown>, key: string, r: Range, length: { min: number; max: number }): number[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new BadRequest(`"${key}" must be an array of numbers, got ${v === undefined ? 'nothing' : shown(v)}`);
  if (v.length < length.min || v.length > length.max)
    throw new BadRequest(`"${key}" must hold from ${length.min} to ${length.max} numbers, got ${v.length}`);
  v.forEach((e, i) => {
    if (typeof e !== 'number' || !inRange(e, r)) throw new BadRequest(`"${key}[${i}]" must be ${describe(r)}, got ${shown(e)}`);
  });
  return v as number[];
}

/** Only the named fields may be present (a misspelt field is an error, not silently ignored). */
export function only(o: Record<string, unknown>, keys: readonly string[]): void {
  const extra = Object.keys(o).filter((k) => !keys.includes(k));
  if (extra.length > 0) throw new BadRequest(`unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${k}"`).join(', ')}: the fields are ${keys.map((k) => `"${k}"`).join(', ')}`);
}

/** Arrays that must be the same length. */
export function sameLength(o: Record<string, unknown>, keys: readonly string[]): void {
  const lengths = keys.map((k) => (o[k] as unknown[]).length);
  if (lengths.some((n) => n !== lengths[0]))
    throw new BadRequest(`${keys.map((k) => `"${k}"`).join(', ')} must have the same length, got ${lengths.join(', ')}`);
}
