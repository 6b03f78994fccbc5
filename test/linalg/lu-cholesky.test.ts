// LU with partial pivoting and Cholesky against their defining identities and ml-matrix.
import { LuDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { cholesky, choleskyInPlace, choleskySolveInPlace } from '../../src/linalg/cholesky.ts';
import { determinant, inverse, lu } from '../../src/linalg/lu.ts';
import { Matrix, multiply } from '../../src/linalg/matrix.ts';
import { randomMatrix, relativeDifference, toPeer } from './helpers.ts';

describe('lu', () => {
  it('P·A = L·U with |L_ij| ≤ 1 (partial pivoting)', () => {
    const a = randomMatrix(6, 6, 1);
    const { lu: packed, pivots } = lu(a);
    const n = 6;
    const lower = Matrix.identity(n), upper = new Matrix(n, n), permuted = new Matrix(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      if (j < i) lower.set(i, j, packed.get(i, j));
      else upper.set(i, j, packed.get(i, j));
      permuted.set(i, j, a.get(pivots[i], j));
    }
    expect(relativeDifference(multiply(lower, upper), permuted)).toBeLessThan(1e-15 * 10);
    expect(lower.data.every((value) => Math.abs(value) <= 1)).toBe(true);
  });

  it('determinant and inverse agree with ml-matrix; A·A⁻¹ = I', () => {
    const a = randomMatrix(7, 7, 2);
    expect(determinant(a)).toBeCloseTo(new LuDecomposition(toPeer(a)).determinant, 12);
    expect(relativeDifference(multiply(a, inverse(a)), Matrix.identity(7))).toBeLessThan(1e-14);
  });

  it('singular matrices are flagged, not inverted', () => {
    expect(lu([[1, 2], [2, 4]]).singularColumn).toBe(1);
    expect(Math.abs(determinant([[1, 2], [2, 4]]))).toBe(0);
  });
});

describe('cholesky', () => {
  it('L·Lᵀ = A for an SPD matrix, and the in-place solve solves A·x = b', () => {
    const b = randomMatrix(5, 5, 3);
    const a = multiply(b, b.transpose());
    for (let i = 0; i < 5; i++) a.data[i * 5 + i] += 1;
    const factor = cholesky(a);
    expect(relativeDifference(multiply(factor, factor.transpose()), a)).toBeLessThan(1e-15 * 10);
    const work = a.data.slice();
    expect(choleskyInPlace(work, 5)).toBe(-1);
    const rhs = Float64Array.from([1, 2, 3, 4, 5]);
    choleskySolveInPlace(work, 5, rhs);
    const back = multiply(a, new Matrix(5, 1, rhs));
    back.data.forEach((value, i) => expect(value).toBeCloseTo(i + 1, 12));
  });
});
