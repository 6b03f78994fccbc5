// SVD by one-sided Jacobi: orthogonality, reconstruction, agreement with ml-matrix, the batched and
// values-only paths, rank-deficient and badly scaled matrices.
import { SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { MatrixBatch } from '../../src/linalg/batch.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { singularValues, spectrumBatch, svd, svdBatch } from '../../src/linalg/svd.ts';
import { EPSILON, orthonormalityError, randomMatrix, rankDeficientMatrix, reconstruct, relativeDifference, toPeer } from './helpers.ts';

/** Reconstruction and orthogonality must hold to a small multiple of ε (the issue asks ~1e-14 relative). */
const RECONSTRUCTION_TOLERANCE = 1e-14;
const ORTHOGONALITY_TOLERANCE = 64 * EPSILON;
/** Singular values agree with ml-matrix's Golub–Kahan to this share of σ_max. */
const PEER_TOLERANCE = 1e-13;

const SHAPES: [number, number][] = [[1, 1], [1, 5], [5, 1], [4, 7], [7, 4], [6, 6], [30, 12], [12, 30], [50, 50]];

function peerValues(matrix: Matrix): number[] {
  return new SingularValueDecomposition(toPeer(matrix), { autoTranspose: true }).diagonal;
}

describe('svd on seeded random matrices', () => {
  SHAPES.forEach(([rows, cols], index) => {
    it(`${rows}×${cols}: orthonormal U and V, A = U·diag(S)·Vᵀ, S descending and equal to ml-matrix's`, () => {
      const a = randomMatrix(rows, cols, 100 + index);
      const { U, S, V, converged } = svd(a);
      const k = Math.min(rows, cols);
      expect([U.rows, U.cols, V.rows, V.cols, S.length]).toEqual([rows, k, cols, k, k]);
      expect(converged).toBe(true);
      expect(orthonormalityError(U)).toBeLessThan(ORTHOGONALITY_TOLERANCE);
      expect(orthonormalityError(V)).toBeLessThan(ORTHOGONALITY_TOLERANCE);
      expect(relativeDifference(reconstruct(U, S, V), a)).toBeLessThan(RECONSTRUCTION_TOLERANCE);
      for (let p = 1; p < k; p++) expect(S[p]).toBeLessThanOrEqual(S[p - 1]);
      const peer = peerValues(a);
      for (let p = 0; p < k; p++) expect(Math.abs(S[p] - peer[p])).toBeLessThan(PEER_TOLERANCE * S[0]);
      // The values-only path (triangular preconditioning) gives the same values.
      const valuesOnly = singularValues(a);
      for (let p = 0; p < k; p++) expect(Math.abs(valuesOnly[p] - S[p])).toBeLessThan(PEER_TOLERANCE * S[0]);
    });
  });
});

describe('svd on rank-deficient and special matrices', () => {
  it('rank-2 8×6 and 6×8: trailing singular values vanish, U and V stay orthonormal (completed basis)', () => {
    for (const [rows, cols] of [[8, 6], [6, 8]]) {
      const a = rankDeficientMatrix(rows, cols, 2, 7);
      const { U, S, V } = svd(a);
      expect(S[1]).toBeGreaterThan(1e-3 * S[0]);
      for (let p = 2; p < S.length; p++) expect(S[p]).toBeLessThan(16 * EPSILON * S[0]);
      expect(orthonormalityError(U)).toBeLessThan(ORTHOGONALITY_TOLERANCE);
      expect(orthonormalityError(V)).toBeLessThan(ORTHOGONALITY_TOLERANCE);
      expect(relativeDifference(reconstruct(U, S, V), a)).toBeLessThan(RECONSTRUCTION_TOLERANCE);
    }
  });

  it('zero matrix: S = 0 and U, V still orthonormal', () => {
    const { U, S, V } = svd(new Matrix(3, 5));
    expect(Array.from(S)).toEqual([0, 0, 0]);
    expect(orthonormalityError(U)).toBeLessThan(ORTHOGONALITY_TOLERANCE);
    expect(orthonormalityError(V)).toBeLessThan(ORTHOGONALITY_TOLERANCE);
  });

  it('diagonal with known values in shuffled order comes back sorted', () => {
    const a = Matrix.fromArray([[0, 3, 0], [0, 0, -0.5], [2, 0, 0]]);
    expect(Array.from(svd(a).S)).toEqual([3, 2, 0.5]);
  });

  it('graded matrix: small singular values to high relative accuracy (Jacobi property)', () => {
    // A = D·B with D = diag(1, 1e-5, 1e-10): σ of A scale like D, and Jacobi keeps their relative accuracy.
    const b = randomMatrix(3, 3, 11);
    const grades = [1, 1e-5, 1e-10];
    const a = new Matrix(3, 3, b.data.map((value, index) => value * grades[Math.floor(index / 3)]));
    const S = svd(a).S;
    // det(A) = ∏σ up to sign; det by cofactors is accurate here (products of graded rows).
    const d = a.data;
    const det = d[0] * (d[4] * d[8] - d[5] * d[7]) - d[1] * (d[3] * d[8] - d[5] * d[6]) + d[2] * (d[3] * d[7] - d[4] * d[6]);
    expect(Math.abs(S[0] * S[1] * S[2] - Math.abs(det)) / Math.abs(det)).toBeLessThan(1e-12);
  });

  it('entries near overflow and underflow are rescaled exactly', () => {
    const a = randomMatrix(4, 7, 3);
    const reference = svd(a).S;
    for (const scale of [2 ** 1000, 2 ** -1000]) {
      const scaled = new Matrix(4, 7, a.data.map((value) => value * scale));
      for (const values of [svd(scaled).S, singularValues(scaled)]) {
        for (let p = 0; p < 4; p++) expect(Math.abs(values[p] / scale - reference[p])).toBeLessThan(1e-13 * reference[0]);
      }
    }
  });

  it('subnormal entries give finite singular values within a few subnormal steps', () => {
    const smallestSubnormal = 2 ** -1074;
    const scale = 2 ** -1062;
    const scaled = new Matrix(4, 7, randomMatrix(4, 7, 3).data.map((value) => value * scale));
    // Reference: the stored (subnormal) input scaled up exactly by powers of two.
    const reference = svd(new Matrix(4, 7, scaled.data.map((value) => value * 2 ** 531 * 2 ** 531))).S;
    for (const values of [svd(scaled).S, singularValues(scaled)]) {
      for (let p = 0; p < 4; p++) expect(Math.abs(values[p] - reference[p] * scale)).toBeLessThanOrEqual(4 * smallestSubnormal);
    }
  });
});

describe('batched SVD and spectrum', () => {
  const count = 200;
  const batch = new MatrixBatch(count, 4, 7, randomMatrix(count * 4, 7, 21).data);
  // Make every 10th matrix rank 2 so rank and cond see both cases.
  for (let k = 0; k < count; k += 10) batch.data.set(rankDeficientMatrix(4, 7, 2, 1000 + k).data, k * 28);

  it('svdBatch equals svd per matrix (values and vectors)', () => {
    const result = svdBatch(batch);
    for (let k = 0; k < count; k += 17) {
      const single = svd(batch.matrix(k));
      expect(Array.from(result.singularValues.subarray(k * 4, k * 4 + 4))).toEqual(Array.from(single.S));
      expect(Array.from(result.U!.view(k).data)).toEqual(Array.from(single.U.data));
      expect(Array.from(result.V!.view(k).data)).toEqual(Array.from(single.V.data));
    }
  });

  it('spectrumBatch rank and cond agree with ml-matrix (same max(m,n)·ε rule)', () => {
    const result = spectrumBatch(batch);
    for (let k = 0; k < count; k++) {
      const peer = new SingularValueDecomposition(toPeer(batch.matrix(k)), { autoTranspose: true });
      expect(result.rank[k]).toBe(peer.rank);
      if (peer.rank === 4) expect(Math.abs(result.cond[k] - peer.condition) / peer.condition).toBeLessThan(1e-10);
      else expect(result.cond[k]).toBe(Infinity);
    }
    expect(result.rank.filter((value) => value === 2).length).toBe(count / 10);
  });

  it('a non-finite entry in a batch is a NonFiniteError naming the matrix and entry', () => {
    const broken = new MatrixBatch(3, 2, 2, Float64Array.from([1, 0, 0, 1, 1, 2, 3, 4, 5, NaN, 7, 8]));
    expect(() => spectrumBatch(broken)).toThrow(/batch\[2\] has a non-finite entry \(NaN\) at row 0, column 1/);
    expect(() => svdBatch(broken)).toThrow(/batch\[2\]/);
    expect(() => svdBatch(broken, { vectors: false })).toThrow(/batch\[2\]/);
  });

  it('an empty batch and a bad rtol are typed errors', () => {
    expect(() => spectrumBatch(new MatrixBatch(0, 4, 7))).toThrow(/batch is empty \(0 matrices of 4×7\)/);
    expect(() => spectrumBatch(batch, { rtol: -1 })).toThrow(/rtol must be a finite number in \[0, 1\)/);
  });
});
