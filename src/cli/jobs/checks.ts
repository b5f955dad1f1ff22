/** Checks of the numbers a user passes, as UserErrors that name the option. */
import { UserError } from '../errors.js';

export function checkPositiveInt(name: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new UserError(`${name} must be a whole number of at least 1, got ${v}`);
}

export function checkNonNegativeInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new UserError(`${name} must be a whole number (0 or more), got ${v}`);
}

export function checkPositive(name: string, v: number | undefined): void {
  if (v !== undefined && !(v > 0 && Number.isFinite(v))) throw new UserError(`${name} must be a positive number, got ${v}`);
}
