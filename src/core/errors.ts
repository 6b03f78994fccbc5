// Typed errors for bad input. Every message names the argument and, where relevant, the shapes,
// so a user can see what was wrong without reading a stack trace.

/** Base class of every error inversa raises on purpose (as opposed to a bug). */
export class InversaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Dimensions that do not fit together (or ragged / empty arrays). */
export class ShapeError extends InversaError {}

/** NaN or ±Infinity where a finite number is required. */
export class NonFiniteError extends InversaError {}

/** A matrix that has no inverse (or left/right inverse) of the kind asked for. */
export class SingularMatrixError extends InversaError {}

/** An option outside its valid range. */
export class InvalidArgumentError extends InversaError {}

/**
 * Wrong use of the command line (a bad option value or combination): the CLI exits with code 2.
 * Thrown by the CLI's own parsing; library checks throw InvalidArgumentError and friends.
 */
export class UsageError extends InversaError {}

/** Format a shape as "3×4". */
export function shapeText(rows: number, cols: number): string {
  return `${rows}×${cols}`;
}

/** Throw NonFiniteError naming the first non-finite entry of `values` (viewed as rows×cols). */
export function assertFinite(values: ArrayLike<number>, name: string, cols = values.length): void {
  for (let k = 0; k < values.length; k++) {
    const value = values[k];
    if (!Number.isFinite(value)) {
      const where = cols > 0 && cols < values.length ? `row ${Math.floor(k / cols)}, column ${k % cols}` : `index ${k}`;
      throw new NonFiniteError(`${name} has a non-finite entry (${value}) at ${where}`);
    }
  }
}
