// Test helpers for linalg: seeded random and rank-deficient matrices, and norms of differences.
import { Matrix as PeerMatrix } from 'ml-matrix';
import { Matrix, multiply, norm2 } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { EPSILON } from '../../src/linalg/tolerance.ts';

export { EPSILON };

/** rows×cols matrix of standard normal entries. */
export function randomMatrix(rows: number, cols: number, seed: number, scale = 1): Matrix {
  const random = new Random(seed);
  return new Matrix(rows, cols, Float64Array.from({ length: rows * cols }, () => scale * random.normal()));
}

/** rows×cols matrix of exact rank `rank` (product of random rows×rank and rank×cols factors). */
export function rankDeficientMatrix(rows: number, cols: number, rank: number, seed: number): Matrix {
  return multiply(randomMatrix(rows, rank, seed), randomMatrix(rank, cols, seed + 1));
}

/** ‖a − b‖_F / ‖b‖_F (‖a − b‖_F when b is zero). */
export function relativeDifference(a: Matrix, b: Matrix): number {
  expectSameShape(a, b);
  const difference = a.data.map((value, index) => value - b.data[index]);
  const reference = norm2(b.data);
  return norm2(difference) / (reference > 0 ? reference : 1);
}

/** ‖QᵀQ − I‖_max for a matrix with (supposedly) orthonormal columns. */
export function orthonormalityError(q: Matrix): number {
  const gram = multiply(q.transpose(), q);
  let worst = 0;
  for (let i = 0; i < gram.rows; i++) for (let j = 0; j < gram.cols; j++) worst = Math.max(worst, Math.abs(gram.get(i, j) - (i === j ? 1 : 0)));
  return worst;
}

export function expectSameShape(a: Matrix, b: Matrix): void {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new Error(`shape ${a.rows}×${a.cols} differs from ${b.rows}×${b.cols}`);
}

/** U·diag(S)·Vᵀ. */
export function reconstruct(U: Matrix, S: Float64Array, V: Matrix): Matrix {
  const scaled = U.clone();
  for (let i = 0; i < scaled.rows; i++) for (let p = 0; p < S.length; p++) scaled.data[i * S.length + p] *= S[p];
  return multiply(scaled, V.transpose());
}

export function toPeer(matrix: Matrix): PeerMatrix {
  return new PeerMatrix(matrix.toArray());
}

export function fromPeer(matrix: PeerMatrix): Matrix {
  return Matrix.fromArray(matrix.to2DArray());
}
