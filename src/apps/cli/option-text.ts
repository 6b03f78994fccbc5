// Command-line option text → checked values. The text is read strictly (numberFromText: "10", "1e-6";
// not "", "ten", "0x10") and checked by the library's validators (src/core/options.ts), so the CLI,
// the library and the web app accept the same values with the same messages; a bad value is a
// UsageError (exit code 2): "--threads must be an integer ≥ 1, got "four"".
import { InvalidArgumentError, UsageError, type AcceptedRange, checkInteger, checkNumber, numberFromText, parseNumberText } from '../../core/index.ts';

/** Run a validator; its InvalidArgumentError becomes a UsageError with the same message. */
export function asUsage<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new UsageError(error.message);
    throw error;
  }
}

/** The number, or the text itself when it is not one (the validator then rejects it showing the text). */
function numberOrText(text: string): number | string {
  return numberFromText(text) ?? text;
}

/** An integer option in [min, max]: "--starts must be an integer ≥ 1, got "0.5"". */
export function integerOption(text: string, name: string, min = -Infinity, max = Infinity): number {
  return asUsage(() => checkInteger(numberOrText(text), name, min, max));
}

/** A number option inside `interval` (default: any finite number). */
export function numberOption(text: string, name: string, interval: AcceptedRange = {}): number {
  return asUsage(() => checkNumber(numberOrText(text), name, interval));
}

/** A finite number with no range of its own (the library checks it): "--lr 'fast' is not a number". */
export function parseNumberOption(text: string, name: string): number {
  return asUsage(() => parseNumberText(text, name));
}
