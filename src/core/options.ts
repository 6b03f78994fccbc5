// Option validators shared by the library, the CLI and the web app: one home for "an integer ≥ 1",
// "a finite number > 0", "a number in [0, 1]", "one of a, b, c", "n finite numbers". Each returns the
// value when it is valid and otherwise throws InvalidArgumentError (ShapeError / NonFiniteError for
// arrays) whose one-line message names the option, what is accepted and what was given:
//   "--epochs must be an integer ≥ 1, got 0", "alpha must be a number in [0, 1], got 1.5".
// `name` is the option as the caller knows it ("--threads", "lorenz: dt", "smoothness"); `note` is an
// optional parenthesised hint placed before ", got …". The CLI parses text with parseNumberText and
// checks the number with the same functions (src/apps/cli/option-text.ts turns the error into exit code 2).
import { InvalidArgumentError, NonFiniteError, ShapeError } from './errors.ts';

/** An interval of accepted numbers; a missing end is unbounded, `…Open` excludes that end. */
export interface AcceptedRange {
  min?: number;
  max?: number;
  minOpen?: boolean;
  maxOpen?: boolean;
}

/** How a rejected value is shown after "got": strings quoted, everything else as String() does. */
function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : Array.isArray(value) ? JSON.stringify(value) : String(value);
}

function reject(name: string, accepted: string, value: unknown, note?: string): never {
  throw new InvalidArgumentError(`${name} must be ${accepted}${note ? ` (${note})` : ''}, got ${shown(value)}`);
}

/** "in [0, 1)", "> 0", "≥ 1", or '' (no bound) — the accepted range in words. */
function rangeText(interval: AcceptedRange): string {
  const { min, max, minOpen = false, maxOpen = false } = interval;
  const hasMin = min !== undefined && min > -Infinity, hasMax = max !== undefined && max < Infinity;
  if (hasMin && hasMax) return ` in ${minOpen ? '(' : '['}${min}, ${max}${maxOpen ? ')' : ']'}`;
  if (hasMin) return ` ${minOpen ? '>' : '≥'} ${min}`;
  if (hasMax) return ` ${maxOpen ? '<' : '≤'} ${max}`;
  return '';
}

function inInterval(value: number, { min, max, minOpen = false, maxOpen = false }: AcceptedRange): boolean {
  if (min !== undefined && (minOpen ? !(value > min) : !(value >= min))) return false;
  if (max !== undefined && (maxOpen ? !(value < max) : !(value <= max))) return false;
  return true;
}

/**
 * A finite number inside `interval` (default: any finite number). The message reads "a finite number
 * > 0" for a one-sided range and "a number in [a, b]" for a bounded one (finiteness is implied).
 */
export function checkNumber(value: unknown, name: string, interval: AcceptedRange = {}, note?: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !inInterval(value, interval)) {
    const range = rangeText(interval);
    const bounded = interval.min !== undefined && interval.max !== undefined && Number.isFinite(interval.min) && Number.isFinite(interval.max);
    reject(name, `${bounded ? 'a number' : 'a finite number'}${range}`, value, note);
  }
  return value;
}

/** A finite number > 0 (a step size, a scale, a tolerance that cannot be zero). */
export function checkPositive(value: unknown, name: string, note?: string): number {
  return checkNumber(value, name, { min: 0, minOpen: true }, note);
}

/** A finite number ≥ 0 (a damping, a noise level, a weight). */
export function checkNonNegative(value: unknown, name: string, note?: string): number {
  return checkNumber(value, name, { min: 0 }, note);
}

/** A number in [0, 1] (a probability, a fraction, a mixing weight). */
export function checkProbability(value: unknown, name: string, note?: string): number {
  return checkNumber(value, name, { min: 0, max: 1 }, note);
}

/** An integer in [min, max] (default: any safe integer). "an integer ≥ 1", "an integer in [2, 400]". */
export function checkInteger(value: unknown, name: string, min = -Infinity, max = Infinity, note?: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    reject(name, `an integer${rangeText({ min, max })}`, value, note);
  }
  return value;
}

/** Every entry an integer ≥ min (layer widths, T values): "--T values must be integers ≥ 1, got 0". */
export function checkIntegerList(values: readonly unknown[], name: string, min = -Infinity, note?: string): number[] {
  for (const value of values) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) reject(name, `integers${rangeText({ min })}`, value, note);
  }
  return values as number[];
}

/** One of a fixed set of names: `name must be one of a, b, c, got "x"`. */
export function checkChoice<T extends string>(value: unknown, name: string, choices: readonly T[], note?: string): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) reject(name, `one of ${choices.join(', ')}`, value, note);
  return value as T;
}

/**
 * An array of finite numbers, of exactly `length` entries when given. A wrong length is a ShapeError,
 * a NaN/±Infinity entry a NonFiniteError naming its index.
 */
export function checkFiniteArray<T extends ArrayLike<number>>(values: T, name: string, length?: number): T {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new InvalidArgumentError(`${name} must be an array of finite numbers, got ${shown(values)}`);
  }
  if (length !== undefined && values.length !== length) {
    throw new ShapeError(`${name} must have ${length} ${length === 1 ? 'entry' : 'entries'}, got ${values.length}`);
  }
  for (let k = 0; k < values.length; k++) {
    const value = values[k];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new NonFiniteError(`${name} must be finite numbers; entry ${k} is ${shown(value)}`);
  }
  return values;
}

/** A complete decimal number: optional sign, digits with an optional fraction, optional exponent. */
const DECIMAL_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The finite number a command-line or form field's text spells, or undefined. Strict: surrounding
 * blanks are allowed, but empty text, words, "1,5", "0x10", "NaN" and "1e999" are not numbers
 * (Number() would read them as 0, NaN, 16 or Infinity).
 */
export function numberFromText(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DECIMAL_NUMBER.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/** numberFromText, or an InvalidArgumentError "`name` 'text' is not a number". */
export function parseNumberText(text: string, name: string): number {
  const value = numberFromText(text);
  if (value === undefined) throw new InvalidArgumentError(`${name} '${text}' is not a number`);
  return value;
}
