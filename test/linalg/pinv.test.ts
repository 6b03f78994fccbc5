// Pseudo-inverse, damped pseudo-inverse, rank, cond, null space: the four Penrose conditions on random
// and rank-deficient matrices, agreement with ml-matrix's pseudoInverse, and closed forms from theory.
import { pseudoInverse } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, SingularMatrixError } from '../../src/core/errors.ts';
import { inverse } from '../../src/linalg/lu.ts';
import { Matrix, multiply } from '../../src/linalg/matrix.ts';
import { cond, dampedPinv, nullSpace, nullSpaceProjector, pinv, rank } from '../../src/linalg/pinv.ts';
import { svd } from '../../src/linalg/svd.ts';
import { EPSILON, fromPeer, orthonormalityError, randomMatrix, rankDeficientMatrix, relativeDifference, toPeer } from './helpers.ts';

/** Penrose identities hold to a modest multiple of ε·cond(A) for these well-conditioned test matrices. */
const PENROSE_TOLERANCE = 1e-12;
const PEER_TOLERANCE = 1e-11;

function expectPenrose(a: Matrix, plus: Matrix): void {
  const aPlusA = multiply(plus, a);
  const aAPlus = multiply(a, plus);
  expect(relativeDifference(multiply(a, aPlusA), a)).toBeLessThan(PENROSE_TOLERANCE); // A·A⁺·A = A
  expect(relativeDifference(multiply(plus, aAPlus), plus)).toBeLessThan(PENROSE_TOLERANCE); // A⁺·A·A⁺ = A⁺
  expect(relativeDifference(aAPlus.transpose(), aAPlus)).toBeLessThan(PENROSE_TOLERANCE); // (A·A⁺)ᵀ = A·A⁺
  expect(relativeDifference(aPlusA.transpose(), aPlusA)).toBeLessThan(PENROSE_TOLERANCE); // (A⁺·A)ᵀ = A⁺·A
}

const CASES: { label: string; a: Matrix; rank: number }[] = [
  { label: 'square 5×5', a: randomMatrix(5, 5, 1), rank: 5 },
  { label: 'tall 9×4', a: randomMatrix(9, 4, 2), rank: 4 },
  { label: 'wide 4×7', a: randomMatrix(4, 7, 3), rank: 4 },
  { label: 'rank-2 square 6×6', a: rankDeficientMatrix(6, 6, 2, 4), rank: 2 },
  { label: 'rank-3 tall 10×5', a: rankDeficientMatrix(10, 5, 3, 5), rank: 3 },
  { label: 'rank-1 wide 3×8', a: rankDeficientMatrix(3, 8, 1, 6), rank: 1 },
];

describe('pinv', () => {
  for (const { label, a, rank: expectedRank } of CASES) {
    it(`${label}: four Penrose conditions, ml-matrix agreement, rank ${expectedRank}`, () => {
      const plus = pinv(a);
      expect([plus.rows, plus.cols]).toEqual([a.cols, a.rows]);
      expectPenrose(a, plus);
      expect(relativeDifference(plus, fromPeer(pseudoInverse(toPeer(a))))).toBeLessThan(PEER_TOLERANCE);
      expect(rank(a)).toBe(expectedRank);
    });
  }

  it('equals the exact inverse for a nonsingular square matrix', () => {
    const a = Matrix.fromArray([[-3, 2, -5], [-1, 0, 2], [3, -4, 1]]);
    expect(relativeDifference(pinv(a), inverse(a))).toBeLessThan(1e-15 * 10);
  });

  it('pinv of the zero matrix is the zero matrix (transposed shape)', () => {
    const plus = pinv(new Matrix(2, 3));
    expect([plus.rows, plus.cols]).toEqual([3, 2]);
    expect(plus.data.every((value) => value === 0)).toBe(true);
  });

  it('rtol decides which small singular values are inverted', () => {
    const a = Matrix.diagonal([1, 1e-8]);
    expect(pinv(a).get(1, 1)).toBeCloseTo(1e8, 0);
    expect(pinv(a, { rtol: 1e-6 }).get(1, 1)).toBe(0);
    expect(rank(a, { rtol: 1e-6 })).toBe(1);
    expect(() => pinv(a, { rtol: 2 })).toThrow(InvalidArgumentError);
  });
});

describe('dampedPinv', () => {
  // Theory: A_λ⁺ = V·diag(σ/(σ² + λ²))·Uᵀ.
  function dampedBySvd(a: Matrix, lambda: number): Matrix {
    const { U, S, V } = svd(a);
    const k = S.length;
    const scaledV = V.clone();
    for (let i = 0; i < V.rows; i++) for (let p = 0; p < k; p++) scaledV.data[i * k + p] *= S[p] / (S[p] * S[p] + lambda * lambda);
    return multiply(scaledV, U.transpose());
  }

  for (const [rows, cols] of [[4, 7], [7, 4], [5, 5]]) {
    it(`${rows}×${cols}: equals V·diag(σ/(σ²+λ²))·Uᵀ and (AᵀA + λ²I)⁻¹Aᵀ (the smaller Gram matrix is used)`, () => {
      const a = randomMatrix(rows, cols, rows * 10 + cols);
      for (const lambda of [0.01, 0.5, 3]) {
        const damped = dampedPinv(a, lambda);
        expect(relativeDifference(damped, dampedBySvd(a, lambda))).toBeLessThan(1e-12);
        const gram = multiply(a.transpose(), a);
        for (let i = 0; i < cols; i++) gram.data[i * cols + i] += lambda * lambda;
        // The n×n Gram route is only as accurate as cond(AᵀA + λ²I) ≤ (σ_max² + λ²)/λ² allows.
        const sigmaMax = svd(a).S[0];
        const gramTolerance = 100 * EPSILON * ((sigmaMax * sigmaMax + lambda * lambda) / (lambda * lambda));
        expect(relativeDifference(damped, multiply(inverse(gram), a.transpose()))).toBeLessThan(Math.max(1e-12, gramTolerance));
      }
    });
  }

  it('lambda = 0 on a full-rank matrix is the pseudo-inverse; on a rank-deficient one it is a SingularMatrixError', () => {
    const a = randomMatrix(3, 6, 9);
    expect(relativeDifference(dampedPinv(a, 0), pinv(a))).toBeLessThan(1e-12);
    expect(() => dampedPinv(rankDeficientMatrix(3, 6, 2, 9), 0)).toThrow(SingularMatrixError);
    expect(() => dampedPinv(rankDeficientMatrix(3, 6, 2, 9), 0)).toThrow(/A \(3×6\) with lambda = 0.*use lambda > 0 or pinv/);
  });

  it('rank-deficient A with lambda > 0 is fine and damps the null directions', () => {
    const a = rankDeficientMatrix(5, 5, 2, 12);
    expect(relativeDifference(dampedPinv(a, 0.1), dampedBySvd(a, 0.1))).toBeLessThan(1e-10);
  });

  it('rejects negative or non-finite lambda', () => {
    for (const bad of [-1, NaN, Infinity]) expect(() => dampedPinv([[1, 2]], bad)).toThrow(/lambda must be a finite number ≥ 0/);
  });
});

describe('rank, cond, null space', () => {
  it('cond is σ_max/σ_min and Infinity when rank-deficient', () => {
    expect(cond(Matrix.diagonal([4, 2, 0.5]))).toBe(8);
    expect(cond([[1, 2, 3], [2, 4, 6]])).toBe(Infinity);
    expect(cond(new Matrix(2, 2))).toBe(Infinity);
    expect(rank(new Matrix(2, 2))).toBe(0);
  });

  it('rank of [[1,2,3],[4,5,6],[7,8,9]] is 2 (ml-matrix agrees)', () => {
    expect(rank([[1, 2, 3], [4, 5, 6], [7, 8, 9]])).toBe(2);
  });

  for (const { label, a, rank: r } of CASES) {
    it(`${label}: null space has n − r = ${a.cols - r} orthonormal columns with A·N ≈ 0; projector I − V_r·V_rᵀ = N·Nᵀ`, () => {
      const basis = nullSpace(a);
      expect([basis.rows, basis.cols]).toEqual([a.cols, a.cols - r]);
      if (basis.cols === 0) return;
      expect(orthonormalityError(basis)).toBeLessThan(64 * EPSILON);
      const image = multiply(a, basis);
      const scale = svd(a).S[0];
      expect(Math.max(...image.data.map(Math.abs))).toBeLessThan(1e-13 * scale);
      const projector = nullSpaceProjector(a);
      expect(relativeDifference(projector, multiply(basis, basis.transpose()))).toBeLessThan(1e-13);
      expect(relativeDifference(multiply(projector, projector), projector)).toBeLessThan(1e-13);
      expect(relativeDifference(projector.transpose(), projector)).toBe(0);
    });
  }

  it('full column rank: empty null space and zero projector', () => {
    const a = randomMatrix(6, 3, 8);
    expect(nullSpace(a).cols).toBe(0);
    // I − V·Vᵀ with V orthonormal to rounding: entries of order n·ε (n = 3), not exactly 0.
    expect(nullSpaceProjector(a).data.every((value) => Math.abs(value) < 4 * 3 * EPSILON)).toBe(true);
  });

  it('known null space of [[1, 1, 0]]: spanned by (1,−1,0)/√2 and (0,0,1)', () => {
    const projector = nullSpaceProjector([[1, 1, 0]]);
    const expected = Matrix.fromArray([[0.5, -0.5, 0], [-0.5, 0.5, 0], [0, 0, 1]]);
    expect(relativeDifference(projector, expected)).toBeLessThan(1e-15);
  });
});
