// The `lowrank` lab: truncated-SVD approximation of a matrix (a generated image-like matrix or one
// the user gives). Eckart–Young: the best rank-r approximation in the Frobenius norm is the SVD
// truncated after r terms, and its error is ‖A − A_r‖_F = sqrt(Σ_{k>r} σ_k²). The lab measures the
// error of linalg's lowRank for every rank directly from the approximation matrix, compares it with
// that tail sum, and picks the smallest rank meeting a requested relative error.
import { InvalidArgumentError, checkInteger, checkNonNegative, checkNumber } from '../../core/index.ts';
import { lowRank, rankForRelativeError, svd, Matrix, norm2, Random } from '../../linalg/index.ts';

export interface LowRankOptions {
  /** The matrix to approximate; default: a generated image-like matrix. */
  matrix?: Matrix;
  /** Size of the generated matrix (default 96×64). */
  rows?: number;
  cols?: number;
  /** Gaussian noise added to the generated image, relative to its largest entry (default 0.02). */
  noise?: number;
  /** Requested relative Frobenius error ‖A − A_r‖_F / ‖A‖_F (default 0.05), in (0, 1]. */
  relativeError?: number;
  /** Extra rank to show as an image (default: the rank chosen for relativeError). */
  rank?: number;
  seed?: number;
}

export interface LowRankRow {
  rank: number;
  /** ‖A − A_r‖_F measured on lowRank's approximation matrix. */
  measuredError: number;
  /** sqrt(Σ_{k>r} σ_k²) from the singular values (Eckart–Young). */
  tailError: number;
  /** The error lowRank reports itself. */
  reportedError: number;
  relativeError: number;
  /** |measured − tail| / ‖A‖_F. */
  discrepancy: number;
}

export interface LowRankResult {
  lab: 'lowrank';
  source: 'generated' | 'given';
  rows: number;
  cols: number;
  frobeniusNorm: number;
  singularValues: number[];
  table: LowRankRow[];
  /** Largest |measured − tail| / ‖A‖_F over all ranks. */
  maxDiscrepancy: number;
  requestedRelativeError: number;
  /** Smallest rank whose relative error ≤ requestedRelativeError. */
  chosenRank: number;
  chosenRelativeError: number;
  /** Storage of the rank-r factors (r(m + n + 1) numbers) relative to m·n. */
  compressionRatio: number;
  /** Rank shown as an image, its approximation (row-major), and the original, for the page. */
  shownRank: number;
  original: Matrix;
  approximation: Matrix;
  status: 'ok' | 'theory-violated';
  message: string;
}

const LAB = 'lab lowrank';
/** Largest generated matrix side (keeps the lab well under its time budget). */
export const MAX_GENERATED_SIDE = 400;
/** Agreement of measured and tail errors, relative to ‖A‖_F, counted as the Eckart–Young equality (round-off level). */
export const ECKART_YOUNG_TOLERANCE = 1e-10;

/**
 * An image-like test matrix: a smooth shaded background, a bright disk, a dark bar and a ring —
 * piecewise-smooth structure whose singular values fall quickly, plus optional noise.
 */
export function generatedImage(rows: number, cols: number, noise: number, random: Random): Matrix {
  const image = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const u = (j + 0.5) / cols, v = (i + 0.5) / rows;
      let value = 0.3 + 0.25 * u + 0.15 * Math.sin(3 * Math.PI * v) * Math.cos(2 * Math.PI * u);
      const disk = Math.hypot(u - 0.35, v - 0.4);
      if (disk < 0.18) value += 0.5;
      if (Math.abs(disk - 0.3) < 0.02) value -= 0.25;
      if (u > 0.62 && u < 0.72 && v > 0.15 && v < 0.85) value -= 0.35;
      image.data[i * cols + j] = value;
    }
  }
  if (noise > 0) {
    let largest = 0;
    for (const value of image.data) largest = Math.max(largest, Math.abs(value));
    for (let k = 0; k < image.data.length; k++) image.data[k] += random.normal(0, noise * largest);
  }
  return image;
}

export function runLowRank(options: LowRankOptions = {}): LowRankResult {
  const requested = checkNumber(options.relativeError ?? 0.05, `${LAB}: relativeError`, { min: 0, minOpen: true, max: 1 });
  let matrix: Matrix;
  let source: LowRankResult['source'];
  if (options.matrix) {
    matrix = Matrix.from(options.matrix, 'matrix');
    source = 'given';
  } else {
    const rows = checkInteger(options.rows ?? 96, `${LAB}: rows`, 2, MAX_GENERATED_SIDE);
    const cols = checkInteger(options.cols ?? 64, `${LAB}: cols`, 2, MAX_GENERATED_SIDE);
    const noise = checkNonNegative(options.noise ?? 0.02, `${LAB}: noise`);
    matrix = generatedImage(rows, cols, noise, new Random(options.seed ?? 0));
    source = 'generated';
  }
  const { rows, cols } = matrix;
  const fullRank = Math.min(rows, cols);
  if (options.rank !== undefined) checkInteger(options.rank, `${LAB}: rank`, 0, fullRank);

  const singularValues = svd(matrix, { vectors: false }).S;
  const frobeniusNorm = norm2(matrix.data);
  if (!(frobeniusNorm > 0)) throw new InvalidArgumentError(`${LAB}: the ${rows}×${cols} matrix is all zeros; nothing to approximate`);
  // Tail sums from the smallest singular value up, so small terms are added first.
  const tailSquares = new Float64Array(fullRank + 1);
  for (let k = fullRank - 1; k >= 0; k--) tailSquares[k] = tailSquares[k + 1] + singularValues[k] ** 2;

  const table: LowRankRow[] = [];
  const residual = new Float64Array(rows * cols);
  let maxDiscrepancy = 0;
  for (let rank = 0; rank <= fullRank; rank++) {
    const result = lowRank(matrix, rank);
    for (let k = 0; k < residual.length; k++) residual[k] = matrix.data[k] - result.approximation.data[k];
    const measuredError = norm2(residual);
    const tailError = Math.sqrt(tailSquares[rank]);
    const discrepancy = Math.abs(measuredError - tailError) / frobeniusNorm;
    maxDiscrepancy = Math.max(maxDiscrepancy, discrepancy);
    table.push({ rank, measuredError, tailError, reportedError: result.error, relativeError: measuredError / frobeniusNorm, discrepancy });
  }
  const chosenRank = rankForRelativeError(singularValues, requested);
  const chosenRelativeError = table[chosenRank].relativeError;
  const shownRank = options.rank ?? chosenRank;
  const approximation = lowRank(matrix, shownRank).approximation;
  const compressionRatio = (chosenRank * (rows + cols + 1)) / (rows * cols);

  const chosenIsMinimal = chosenRelativeError <= requested * (1 + ECKART_YOUNG_TOLERANCE) &&
    (chosenRank === 0 || table[chosenRank - 1].relativeError > requested * (1 - ECKART_YOUNG_TOLERANCE));
  const ok = maxDiscrepancy <= ECKART_YOUNG_TOLERANCE && chosenIsMinimal;
  const message =
    `${rows}×${cols} ${source} matrix, σ₁ = ${singularValues[0].toPrecision(4)}: ‖A − A_r‖_F equals sqrt(Σ_{k>r} σ_k²) for every rank 0..${fullRank} ` +
    `within ${maxDiscrepancy.toExponential(1)}·‖A‖_F (Eckart–Young). Rank ${chosenRank} is the smallest with relative error ≤ ${requested} ` +
    `(${chosenRelativeError.toPrecision(3)}), storing ${(100 * compressionRatio).toPrecision(3)}% of the numbers.` +
    (ok ? '' : ' Theory check failed: see the table.');
  return {
    lab: 'lowrank', source, rows, cols, frobeniusNorm, singularValues: Array.from(singularValues), table, maxDiscrepancy,
    requestedRelativeError: requested, chosenRank, chosenRelativeError, compressionRatio, shownRank,
    original: matrix, approximation, status: ok ? 'ok' : 'theory-violated', message,
  };
}
