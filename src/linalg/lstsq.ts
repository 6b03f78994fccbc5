// Linear least squares A·x ≈ b through the SVD (like NumPy's lstsq): one routine for tall systems
// (least squares), square ones (exact), wide ones (minimum norm) and rank-deficient ones (minimum-norm
// least squares). Also the left and right inverses, which exist only for full column / row rank.
import { ShapeError, shapeText, SingularMatrixError } from '../core/index.ts';
import { Matrix, multiplyVector, norm2, toVector, type MatrixLike, type VectorLike } from './matrix.ts';
import { pseudoInverseFromSvd, svdRank, type RtolOptions } from './pinv.ts';
import { svd } from './svd.ts';

/** What kind of system A·x = b was solved. */
export type LstsqKind = 'least-squares' | 'exact' | 'minimum-norm' | 'rank-deficient';

export interface LstsqResult {
  /** The minimum-norm least-squares solution A⁺·b (length n). */
  x: Float64Array;
  /** b − A·x (length m). */
  residual: Float64Array;
  /** ‖b − A·x‖₂. */
  residualNorm: number;
  /** Numerical rank of A under the cutoff used. */
  rank: number;
  /** Singular values of A, descending. */
  singularValues: Float64Array;
  /** 'exact' (square, full rank), 'least-squares' (tall, full column rank), 'minimum-norm' (wide, full row rank), 'rank-deficient'. */
  kind: LstsqKind;
  /** One sentence a person can read: what was solved and how well. */
  message: string;
}

function classify(rows: number, cols: number, r: number): LstsqKind {
  if (r < Math.min(rows, cols)) return 'rank-deficient';
  if (rows === cols) return 'exact';
  return rows > cols ? 'least-squares' : 'minimum-norm';
}

function describe(kind: LstsqKind, rows: number, cols: number, r: number, residualNorm: number): string {
  const shape = `A is ${shapeText(rows, cols)} with rank ${r}`;
  const residual = `residual ‖b − A·x‖ = ${residualNorm.toExponential(3)}`;
  switch (kind) {
    case 'exact':
      return `${shape}: square and nonsingular, x is the unique solution (${residual})`;
    case 'least-squares':
      return `${shape}: more equations than unknowns, x minimises ‖b − A·x‖ and is unique (${residual})`;
    case 'minimum-norm':
      return `${shape}: fewer equations than unknowns, x solves A·x = b exactly with the smallest ‖x‖ of infinitely many solutions (${residual})`;
    case 'rank-deficient':
      return `${shape} < ${Math.min(rows, cols)}: rank-deficient, x is the smallest-norm minimiser of ‖b − A·x‖; ${cols - r} input direction(s) are not determined by b (${residual})`;
  }
}

/** Minimum-norm least-squares solution of A·x ≈ b, with its residual, rank and a plain-language message. */
export function lstsq(a: MatrixLike, b: VectorLike, options: RtolOptions = {}): LstsqResult {
  const matrix = Matrix.from(a, 'A');
  const { rows, cols } = matrix;
  if (b === null || b === undefined || typeof (b as ArrayLike<number>).length !== 'number') {
    throw new ShapeError(`lstsq: b must be a vector of ${rows} numbers (one per row of A, ${shapeText(rows, cols)})`);
  }
  if (b.length !== rows) {
    throw new ShapeError(`lstsq: b has length ${b.length} but A is ${shapeText(rows, cols)}; b needs ${rows} entries (one per row of A)`);
  }
  const rhs = toVector(b, 'b', rows);
  const result = svd(matrix);
  const r = svdRank(result, rows, cols, options.rtol);
  const x = multiplyVector(pseudoInverseFromSvd(result, r), rhs);
  const fitted = multiplyVector(matrix, x);
  const residual = rhs.map((value, i) => value - fitted[i]);
  const residualNorm = norm2(residual);
  const kind = classify(rows, cols, r);
  return { x, residual, residualNorm, rank: r, singularValues: result.S, kind, message: describe(kind, rows, cols, r, residualNorm) };
}

/**
 * Left inverse B = (AᵀA)⁻¹Aᵀ with B·A = I (n×m). Exists only for full column rank (m ≥ n, rank n);
 * otherwise SingularMatrixError saying why. Computed as A⁺ from the SVD (same matrix, better accuracy
 * than inverting the Gram matrix).
 */
export function leftInverse(a: MatrixLike, options: RtolOptions = {}): Matrix {
  return oneSidedInverse(a, 'left', options);
}

/** Right inverse C = Aᵀ(AAᵀ)⁻¹ with A·C = I (n×m). Exists only for full row rank (m ≤ n, rank m). */
export function rightInverse(a: MatrixLike, options: RtolOptions = {}): Matrix {
  return oneSidedInverse(a, 'right', options);
}

function oneSidedInverse(a: MatrixLike, side: 'left' | 'right', options: RtolOptions): Matrix {
  const matrix = Matrix.from(a, 'A');
  const { rows, cols } = matrix;
  const needed = side === 'left' ? cols : rows;
  const what = side === 'left' ? 'full column rank (independent columns, rows ≥ columns)' : 'full row rank (independent rows, rows ≤ columns)';
  const product = side === 'left' ? 'B·A = I' : 'A·C = I';
  if ((side === 'left' && rows < cols) || (side === 'right' && rows > cols)) {
    throw new SingularMatrixError(
      `${side}Inverse: A (${shapeText(rows, cols)}) has no ${side} inverse: ${product} needs ${what}, and a ${rows < cols ? 'wide' : 'tall'} matrix cannot have it. ` +
        `Use ${side === 'left' ? 'rightInverse' : 'leftInverse'} or pinv.`,
    );
  }
  const result = svd(matrix);
  const r = svdRank(result, rows, cols, options.rtol);
  if (r < needed) {
    throw new SingularMatrixError(
      `${side}Inverse: A (${shapeText(rows, cols)}) has numerical rank ${r} < ${needed}, so no ${side} inverse (${product}) exists: it needs ${what}. ` +
        `Use pinv for the least-squares / minimum-norm pseudo-inverse.`,
    );
  }
  return pseudoInverseFromSvd(result, r);
}
