// The unrolled values-only kernel for min(m, n) ≤ 4 (used by singularValues, svd without vectors,
// svdBatch without vectors and spectrumBatch). Its answers are checked against independent
// references: the SVD with vectors (general one-sided Jacobi on the full-length vectors, no
// triangular reduction, no unrolling), ml-matrix's Golub–Kahan SVD, and, for graded matrices whose
// tiny singular values ml-matrix cannot resolve, the product of the singular values = √det(AAᵀ).
import { determinant, Matrix as PeerMatrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { MatrixBatch } from '../../src/linalg/batch.ts';
import { NonFiniteError } from '../../src/core/errors.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { jacobiSingularValues, jacobiWorkSize, singularValues, spectrumBatch, svd, svdBatch } from '../../src/linalg/svd.ts';
import { defaultRtol, numericalRank } from '../../src/linalg/tolerance.ts';
import { EPSILON, randomMatrix, rankDeficientMatrix, toPeer } from './helpers.ts';

/** Two accurate Jacobi paths agree value by value to this relative precision (issue: ~1e-14). */
const PATH_TOLERANCE = 1e-14;
/** ml-matrix (bidiagonalisation) is accurate relative to σ_max only. */
const PEER_TOLERANCE = 1e-14;
/** ∏σ against √det(AAᵀ) for graded matrices (det of a well-conditioned Gram matrix loses a few ε). */
const PRODUCT_TOLERANCE = 1e-13;
/** Singular values of an exactly rank-deficient product count as zero below this share of σ_max. */
const ZERO_SHARE = 16 * EPSILON;

/** Shapes with k = min(m, n) ≤ 4 (small kernel), wide, tall and square, including padding cases. */
const SMALL_SHAPES: [number, number][] = [[1, 1], [1, 9], [9, 1], [2, 2], [2, 5], [5, 2], [3, 3], [3, 8], [8, 3], [4, 4], [4, 7], [7, 4], [4, 40], [40, 4]];

function vectorPathValues(a: Matrix): Float64Array {
  return svd(a, { vectors: true }).S;
}

function peerValues(a: Matrix): number[] {
  return new SingularValueDecomposition(toPeer(a), { autoTranspose: true, computeLeftSingularVectors: false, computeRightSingularVectors: false }).diagonal;
}

/** D·B (wide or square: row grades) or B·D (tall: column grades) with grades 1, g, g², … */
function gradedMatrix(rows: number, cols: number, ratio: number, seed: number): Matrix {
  const b = randomMatrix(rows, cols, seed);
  const wide = rows <= cols;
  return new Matrix(rows, cols, b.data.map((value, index) => value * ratio ** (wide ? Math.floor(index / cols) : index % cols)));
}

/** √det(AAᵀ) (wide) or √det(AᵀA) (tall) by ml-matrix, = ∏σ. Accurate for A = D·B with B well conditioned. */
function productOfSingularValues(a: Matrix): number {
  const peer = toPeer(a);
  const gram = a.rows <= a.cols ? peer.mmul(peer.transpose()) : peer.transpose().mmul(peer);
  return Math.sqrt(Math.abs(determinant(gram)));
}

function expectValuewiseClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let p = 0; p < expected.length; p++) {
    expect(Math.abs(actual[p] - expected[p])).toBeLessThanOrEqual(tolerance * Math.abs(expected[p]));
  }
}

describe('small values kernel on random matrices', () => {
  SMALL_SHAPES.forEach(([rows, cols], index) => {
    it(`${rows}×${cols}: equals the vector path value by value and ml-matrix relative to σ_max`, () => {
      for (let trial = 0; trial < 5; trial++) {
        const a = randomMatrix(rows, cols, 500 + 10 * index + trial);
        const values = singularValues(a);
        expectValuewiseClose(values, vectorPathValues(a), PATH_TOLERANCE);
        const peer = peerValues(a);
        for (let p = 0; p < values.length; p++) expect(Math.abs(values[p] - peer[p])).toBeLessThanOrEqual(PEER_TOLERANCE * values[0]);
        for (let p = 1; p < values.length; p++) expect(values[p]).toBeLessThanOrEqual(values[p - 1]);
        expect(svd(a, { vectors: false }).converged).toBe(true);
      }
    });
  });

  it('1×n and n×1: the single singular value is the Euclidean norm', () => {
    const row = Matrix.fromArray([[3, 4, 12]]);
    expect(Array.from(singularValues(row))).toEqual([13]);
    expect(Array.from(singularValues(row.transpose()))).toEqual([13]);
  });

  it('a 2×2 with known singular values (3 and 1 from [[2, 1], [1, 2]])', () => {
    expectValuewiseClose(singularValues([[2, 1], [1, 2]]), [3, 1], 4 * EPSILON);
  });
});

/** size×size orthogonal matrix: Q of the QR decomposition of a seeded random matrix (ml-matrix). */
function randomOrthogonal(size: number, seed: number): PeerMatrix {
  return new QrDecomposition(toPeer(randomMatrix(size, size, seed))).orthogonalMatrix;
}

/** rows×cols matrix P·diag(σ)·Qᵀ with random orthogonal P, Q: its singular values are σ up to ~ε·σ_max. */
function matrixWithSingularValues(rows: number, cols: number, sigma: readonly number[], seed: number): Matrix {
  const p = randomOrthogonal(rows, seed), q = randomOrthogonal(cols, seed + 1);
  const middle = PeerMatrix.zeros(rows, cols);
  sigma.forEach((value, index) => middle.set(index, index, value));
  return Matrix.fromArray(p.mmul(middle).mmul(q.transpose()).to2DArray());
}

describe('small values kernel on clustered singular values (where a loose stopping test would show)', () => {
  const clusters: number[][] = [[1 + 4e-9, 1 + 2e-9, 1, 0.25], [1, 1, 1, 1], [2, 1 + 1e-7, 1, 1e-3], [3, 3 * (1 - 1e-10), 3 * (1 - 2e-10)]];
  clusters.forEach((sigma, index) => {
    for (const [rows, cols] of [[sigma.length, 7], [7, sigma.length]]) {
      it(`${rows}×${cols} with σ = ${sigma.join(', ')}: every value to a few ε`, () => {
        for (let trial = 0; trial < 4; trial++) {
          const values = singularValues(matrixWithSingularValues(rows, cols, sigma, 700 + 10 * index + trial));
          // The construction itself perturbs σ by ~ε·σ_max; the Jacobi stopping rule adds ~√k·ε.
          expectValuewiseClose(values, sigma, 16 * EPSILON * sigma[0] / sigma[sigma.length - 1]);
        }
      });
    }
  });
});

describe('small values kernel on rank-deficient matrices', () => {
  for (const [rows, cols, rank] of [[4, 7, 2], [4, 7, 3], [7, 4, 1], [3, 3, 2], [4, 4, 2], [2, 6, 1]] as const) {
    it(`${rows}×${cols} of rank ${rank}: trailing values vanish, leading ones agree with both references`, () => {
      const a = rankDeficientMatrix(rows, cols, rank, 40 + rows + cols + rank);
      const values = singularValues(a);
      const reference = vectorPathValues(a);
      const peer = peerValues(a);
      for (let p = 0; p < rank; p++) {
        expect(Math.abs(values[p] - reference[p])).toBeLessThanOrEqual(PATH_TOLERANCE * values[0]);
        expect(Math.abs(values[p] - peer[p])).toBeLessThanOrEqual(PEER_TOLERANCE * values[0]);
      }
      for (let p = rank; p < values.length; p++) expect(values[p]).toBeLessThan(ZERO_SHARE * values[0]);
      expect(numericalRank(values, defaultRtol(rows, cols))).toBe(rank);
    });
  }

  it('exactly dependent rows next to a tiny independent rest: the rest survives the triangular reduction', () => {
    // After the first reflection the dependent row's rest is exactly 0 while its downdated norm is
    // rounding noise that can win the pivot choice; the tiny rest of the other rows must not be dropped.
    const cases = [
      [[3, 0, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0, 0], [1, 1e-9, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0]],
      [[1, 1, 0, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0, 0], [0.1, 0.1, 1e-9, 0, 0, 0, 0], [0.3, 0.3, 0, 1e-12, 0, 0, 0]],
      [[5, 0, 0, 0, 0, 0, 0], [1, 1.3, 0, 0, 0, 0, 0], [0.5, 2.6, 0, 0, 0, 0, 0], [0.2, 1, 1e-9, 0, 0, 0, 0]], // same at the third step
      [[1, 1, 0, 0, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0, 0, 0], [0.1, 0.1, 1e-9, 0, 0, 0, 0, 0], [0.3, 0.3, 0, 1e-12, 0, 0, 0, 0], [5, 5, 0, 0, 0, 0, 0, 0]],
    ];
    for (const rowsOfA of cases) {
      for (const a of [Matrix.fromArray(rowsOfA), Matrix.fromArray(rowsOfA).transpose()]) {
        const values = singularValues(a);
        const reference = vectorPathValues(a);
        const rank = numericalRank(reference, defaultRtol(a.rows, a.cols));
        expect(rank).toBeGreaterThanOrEqual(2);
        expect(numericalRank(values, defaultRtol(a.rows, a.cols))).toBe(rank);
        for (let p = 0; p < rank; p++) expect(Math.abs(values[p] - reference[p])).toBeLessThanOrEqual(1e-13 * reference[p]);
      }
    }
  });

  it('zero matrix and a matrix with one non-zero entry', () => {
    expect(Array.from(singularValues(new Matrix(4, 7)))).toEqual([0, 0, 0, 0]);
    const single = new Matrix(7, 4);
    single.data[13] = -2.5;
    expect(Array.from(singularValues(single))).toEqual([2.5, 0, 0, 0]);
  });
});

describe('small values kernel on graded matrices (σ down to 1e-12·σ_max)', () => {
  for (const [rows, cols] of [[4, 7], [7, 4], [3, 3], [4, 4], [2, 5]] as const) {
    it(`${rows}×${cols} graded by 1e-4 per row/column: every value to high relative accuracy`, () => {
      for (let trial = 0; trial < 3; trial++) {
        const a = gradedMatrix(rows, cols, 1e-4, 900 + 7 * rows + cols + trial);
        const values = singularValues(a);
        const k = values.length;
        // Tiny values really are tiny (so the test is about relative, not absolute, accuracy).
        expect(values[k - 1]).toBeLessThan(1e-4 ** (k - 1) * 100 * values[0]);
        // Value by value against the other accurate path ...
        expectValuewiseClose(values, vectorPathValues(a), 1e-13);
        // ... and the product against an independent determinant: a relative error of δ in σ_min
        // shows up as δ here, while an absolute error of ε·σ_max (bidiagonalisation) would be 1e-4.
        const product = values.reduce((total, value) => total * value, 1);
        const expected = productOfSingularValues(a);
        expect(Math.abs(product - expected)).toBeLessThan(PRODUCT_TOLERANCE * expected);
      }
    });
  }

  it('known singular values 1, 1e-4, 1e-8, 1e-12 hidden by signed permutations come back exactly', () => {
    const a = new Matrix(4, 7);
    const placements: [number, number, number][] = [[2, 5, -1e-8], [0, 1, 1e-12], [3, 0, 1], [1, 6, -1e-4]];
    for (const [i, j, value] of placements) a.data[i * 7 + j] = value;
    expect(Array.from(singularValues(a))).toEqual([1, 1e-4, 1e-8, 1e-12]);
    expect(Array.from(singularValues(a.transpose()))).toEqual([1, 1e-4, 1e-8, 1e-12]);
  });
});

describe('small values kernel at extreme scales (exact power-of-two rescaling)', () => {
  const a = randomMatrix(4, 7, 77);
  const reference = singularValues(a);
  // 2^±300 used to be wrong by 37 %: entries below the old 2^500 rescaling bound but large enough
  // for α·β in the stopping test to overflow (or underflow).
  for (const exponent of [-1000, -600, -300, -201, -199, 199, 201, 300, 600, 1000]) {
    it(`entries scaled by 2^${exponent} give the same singular values scaled by 2^${exponent}`, () => {
      const scale = 2 ** exponent;
      const scaled = new Matrix(4, 7, a.data.map((value) => value * scale));
      for (const values of [singularValues(scaled), singularValues(scaled.transpose()), svd(scaled).S]) {
        for (let p = 0; p < 4; p++) expect(Math.abs(values[p] / scale - reference[p])).toBeLessThanOrEqual(PATH_TOLERANCE * reference[p]);
      }
    });
  }
});

describe('batched spectrum through the small kernel', () => {
  /** A mixed 7×4 and 4×7 batch: random, rank 1–3, graded, scaled, zero. */
  function mixedBatch(rows: number, cols: number): MatrixBatch {
    const kinds = 12;
    const batch = new MatrixBatch(6 * kinds, rows, cols);
    const random = new Random(31);
    for (let index = 0; index < batch.count; index++) {
      const seed = 3000 + index;
      let matrix: Matrix;
      switch (index % kinds) {
        case 0: matrix = rankDeficientMatrix(rows, cols, 1, seed); break;
        case 1: matrix = rankDeficientMatrix(rows, cols, 2, seed); break;
        case 2: matrix = rankDeficientMatrix(rows, cols, 3, seed); break;
        case 3: matrix = gradedMatrix(rows, cols, 1e-4, seed); break;
        case 4: matrix = randomMatrix(rows, cols, seed, 2 ** 300); break;
        case 5: matrix = randomMatrix(rows, cols, seed, 2 ** -300); break;
        case 6: matrix = new Matrix(rows, cols); break;
        default: matrix = randomMatrix(rows, cols, seed, 10 ** (4 * random.uniform() - 2));
      }
      batch.data.set(matrix.data, index * rows * cols);
    }
    return batch;
  }

  for (const [rows, cols] of [[4, 7], [7, 4]] as const) {
    it(`${rows}×${cols}: values, rank and cond equal the per-matrix vector path; rank and cond equal ml-matrix's`, () => {
      const batch = mixedBatch(rows, cols);
      const result = spectrumBatch(batch);
      const valuesOnly = svdBatch(batch, { vectors: false });
      const rtol = defaultRtol(rows, cols);
      expect(result.k).toBe(4);
      for (let index = 0; index < batch.count; index++) {
        const matrix = batch.matrix(index);
        const values = result.singularValues.subarray(index * 4, index * 4 + 4);
        expect(Array.from(valuesOnly.singularValues.subarray(index * 4, index * 4 + 4))).toEqual(Array.from(values));
        const reference = vectorPathValues(matrix);
        const rank = numericalRank(reference, rtol);
        expect(result.rank[index]).toBe(rank);
        for (let p = 0; p < rank; p++) expect(Math.abs(values[p] - reference[p])).toBeLessThanOrEqual(PATH_TOLERANCE * values[0]);
        if (rank === 4) expect(Math.abs(result.cond[index] - reference[0] / reference[3])).toBeLessThanOrEqual(PATH_TOLERANCE * result.cond[index]);
        else expect(result.cond[index]).toBe(Infinity);
        const peer = new SingularValueDecomposition(new PeerMatrix(matrix.toArray()), { autoTranspose: true });
        // Graded matrices have σ_min ≈ 1e-12·σ_max: ml-matrix's cond is only accurate to ~ε·cond there.
        if (index % 12 !== 3) {
          expect(result.rank[index]).toBe(peer.rank);
          if (rank === 4) expect(Math.abs(result.cond[index] - peer.condition)).toBeLessThan(1e-12 * peer.condition);
        }
      }
      // The batch really contains every kind of rank.
      for (const rank of [0, 1, 2, 3, 4]) expect(result.rank.includes(rank)).toBe(true);
    });
  }

  it('a non-finite entry in a tall batch is reported with its matrix, row and column', () => {
    const batch = new MatrixBatch(3, 7, 4, randomMatrix(21, 4, 5).data);
    batch.data[2 * 28 + 4 * 5 + 3] = -Infinity;
    expect(() => spectrumBatch(batch)).toThrow(NonFiniteError);
    expect(() => spectrumBatch(batch)).toThrow(/batch\[2\] has a non-finite entry \(-Infinity\) at row 5, column 3/);
    batch.data[2 * 28 + 4 * 5 + 3] = NaN;
    expect(() => svdBatch(batch, { vectors: false })).toThrow(/batch\[2\] has a non-finite entry \(NaN\) at row 5, column 3/);
  });

  it('the low-level kernel with a dirty jacobiWorkSize workspace writes only its k outputs and reports a non-finite entry', () => {
    for (const [rows, cols] of [[3, 8], [8, 3], [1, 4], [4, 7], [3, 3], [2, 2], [1, 1]] as const) {
      const k = Math.min(rows, cols);
      const a = randomMatrix(rows, cols, 61);
      const out = new Float64Array(k + 2).fill(-1);
      const work = new Float64Array(jacobiWorkSize(rows, cols)).fill(12345); // left over from other work
      expect(jacobiSingularValues(a.data, 0, rows, cols, work, out, 1)).toBeGreaterThan(0);
      expect(out[0]).toBe(-1);
      expect(out[k + 1]).toBe(-1);
      expectValuewiseClose(out.subarray(1, k + 1), vectorPathValues(a), PATH_TOLERANCE);
      a.data[a.data.length - 1] = NaN;
      expect(jacobiSingularValues(a.data, 0, rows, cols, work, out, 1)).toBe(-1);
    }
  });
});
