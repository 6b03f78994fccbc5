// Seeded train/validation/test split of row indices. The same seed and row count always give the
// same split (the reference project's splits were unseeded and therefore not reproducible).
import { InvalidArgumentError, ShapeError } from '../core/index.ts';
import { Matrix, Random } from '../linalg/index.ts';

export const DEFAULT_VALIDATION_FRACTION = 0.15;
export const DEFAULT_TEST_FRACTION = 0.15;
/** The training part needs at least two rows (a standard deviation of one row is zero). */
export const MIN_TRAIN_ROWS = 2;

export interface SplitOptions {
  /** Fraction of rows held out for early stopping (default 0.15). */
  validation?: number;
  /** Fraction of rows held out for the final scores (default 0.15). */
  test?: number;
  seed: number;
}

export interface DataSplit {
  /** Row indices of each part (disjoint, together all rows). */
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
  seed: number;
}

/** Shuffle 0..rows−1 with `seed` and cut it into train / validation / test parts. */
export function splitRows(rows: number, options: SplitOptions): DataSplit {
  const validationFraction = options.validation ?? DEFAULT_VALIDATION_FRACTION;
  const testFraction = options.test ?? DEFAULT_TEST_FRACTION;
  for (const [name, value] of [['validation fraction', validationFraction], ['test fraction', testFraction]] as const) {
    if (!(value > 0 && value < 1)) throw new InvalidArgumentError(`${name} must be in (0, 1), got ${value}`);
  }
  if (validationFraction + testFraction >= 1) {
    throw new InvalidArgumentError(`validation + test fractions must leave rows for training (sum < 1), got ${validationFraction} + ${testFraction}`);
  }
  const validationRows = Math.max(1, Math.round(rows * validationFraction));
  const testRows = Math.max(1, Math.round(rows * testFraction));
  const trainRows = rows - validationRows - testRows;
  if (!Number.isInteger(rows) || trainRows < MIN_TRAIN_ROWS) {
    const percent = (fraction: number) => Math.round(fraction * 100);
    throw new ShapeError(
      `too few rows for a ${percent(1 - validationFraction - testFraction)}/${percent(validationFraction)}/${percent(testFraction)} train/validation/test split: ` +
        `got ${rows}, need at least ${MIN_TRAIN_ROWS + 2} (train ≥ ${MIN_TRAIN_ROWS}, validation ≥ 1, test ≥ 1); more rows are needed for a useful model`,
    );
  }
  const order = new Random(options.seed).permutation(rows);
  return {
    train: order.slice(0, trainRows),
    validation: order.slice(trainRows, trainRows + validationRows),
    test: order.slice(trainRows + validationRows),
    seed: options.seed,
  };
}

/** The rows of `matrix` at `indices`, in that order (a copy). */
export function selectRows(matrix: Matrix, indices: Int32Array): Matrix {
  const { cols } = matrix;
  const out = new Matrix(indices.length, cols);
  for (let k = 0; k < indices.length; k++) out.data.set(matrix.data.subarray(indices[k] * cols, (indices[k] + 1) * cols), k * cols);
  return out;
}
