// Strict parsing of what a user types into a number field. The reference page read invalid text as 0;
// here anything that is not a complete finite decimal number is an error with a message to show
// inline next to the field. Pure functions, shared by every panel and unit-tested on their own.
import { InvalidArgumentError, type AcceptedRange, checkInteger, checkNumber, numberFromText } from '../../src/core/index.ts';

export type ParseResult = { ok: true; value: number } | { ok: false; error: string };

export interface NumberRules {
  /** Smallest accepted value (inclusive). */
  min?: number;
  /** Largest accepted value (inclusive). */
  max?: number;
  integer?: boolean;
  /** Reject 0 and negatives. */
  positive?: boolean;
}

/** Parse one field. Empty text, words, "1,5", "1e999" and "NaN" are errors, never 0. The number is read
 * and its range checked by the library's option validators (src/core/options.ts), as the CLI does. */
export function parseNumber(text: string, rules: NumberRules = {}): ParseResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: 'enter a number' };
  const value = numberFromText(trimmed);
  if (value === undefined) {
    if (/^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$/.test(trimmed)) return { ok: false, error: `"${shorten(trimmed)}" is too large` };
    const hint = /^[+-]?\d+,\d+$/.test(trimmed) ? ' (use a dot as the decimal separator)' : '';
    return { ok: false, error: `"${shorten(trimmed)}" is not a number${hint}` };
  }
  const interval: AcceptedRange = { min: rules.min, max: rules.max };
  if (rules.positive && !(rules.min !== undefined && rules.min > 0)) Object.assign(interval, { min: 0, minOpen: true });
  try {
    if (rules.integer) checkInteger(value, 'value', interval.minOpen ? 1 : interval.min, interval.max);
    else checkNumber(value, 'value', interval);
  } catch (error) {
    if (error instanceof InvalidArgumentError) return { ok: false, error: error.message };
    throw error;
  }
  return { ok: true, value };
}

/** Parse a comma/space separated list of numbers of a given length (e.g. a cost vector). */
export function parseNumberList(text: string, length: number): { ok: true; values: number[] } | { ok: false; error: string } {
  const parts = text.split(/[\s,;]+/).filter((part) => part !== '');
  if (parts.length !== length) return { ok: false, error: `enter ${length} numbers separated by commas, got ${parts.length}` };
  const values: number[] = [];
  for (let k = 0; k < parts.length; k++) {
    const parsed = parseNumber(parts[k]);
    if (!parsed.ok) return { ok: false, error: `entry ${k + 1}: ${parsed.error}` };
    values.push(parsed.value);
  }
  return { ok: true, values };
}

/** Format a number for a field or table: 4 significant digits, exponent for very large/small. */
export function formatNumber(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : value < 0 ? '−∞' : '—';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-3) return Number(value.toPrecision(digits)).toExponential();
  return Number(value.toPrecision(digits)).toString();
}

function shorten(text: string): string {
  return text.length > 20 ? `${text.slice(0, 20)}…` : text;
}
