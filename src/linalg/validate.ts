// Argument checks shared by the solvers: the rtol cutoff, square shapes, counts. Each throws a typed
// error whose message names the argument and what is accepted. Single-option validators (integer in a
// range, positive number, probability, choice, …) live in ./options.ts.
import { InvalidArgumentError, ShapeError, shapeText, checkInteger } from '../core/index.ts';
import type { Matrix } from './matrix.ts';
import { defaultRtol } from './tolerance.ts';

/** The rtol option, or the NumPy-like default max(rows, cols)·ε. Must be finite and in [0, 1). */
export function resolveRtol(rtol: number | undefined, rows: number, cols: number, name = 'rtol'): number {
  if (rtol === undefined) return defaultRtol(rows, cols);
  if (typeof rtol !== 'number' || !Number.isFinite(rtol) || rtol < 0 || rtol >= 1) {
    throw new InvalidArgumentError(`${name} must be a finite number in [0, 1) (a cutoff relative to the largest singular value), got ${rtol}`);
  }
  return rtol;
}

/** Throw ShapeError unless `matrix` is square. */
export function assertSquare(matrix: Matrix, name: string, operation: string): void {
  if (matrix.rows !== matrix.cols) {
    throw new ShapeError(`${operation} needs a square matrix, but ${name} is ${shapeText(matrix.rows, matrix.cols)}`);
  }
}

/** A non-negative integer option (e.g. a rank or a component count). */
export function assertCount(value: number, name: string, min: number, max: number): void {
  checkInteger(value, name, min, max);
}
