// Eckart–Young: the truncated SVD error equals sqrt(Σ_{k>r} σ_k²), measured directly on A − A_r.
import { describe, expect, it } from 'vitest';
import { lowRank, rankForRelativeError } from '../../src/linalg/low-rank.ts';
import { Matrix, norm2 } from '../../src/linalg/matrix.ts';
import { rank } from '../../src/linalg/pinv.ts';
import { singularValues } from '../../src/linalg/svd.ts';
import { randomMatrix, rankDeficientMatrix, relativeDifference } from './helpers.ts';

function frobeniusDistance(a: Matrix, b: Matrix): number {
  return norm2(a.data.map((value, index) => value - b.data[index]));
}

describe('lowRank', () => {
  for (const [rows, cols] of [[9, 6], [6, 9], [7, 7]]) {
    it(`${rows}×${cols}: ‖A − A_r‖_F equals sqrt(Σ_{k>r} σ_k²) for every r, and A_r has rank r`, () => {
      const a = randomMatrix(rows, cols, rows + cols);
      const S = singularValues(a);
      for (let r = 0; r <= S.length; r++) {
        const result = lowRank(a, r);
        let tail = 0;
        for (let k = r; k < S.length; k++) tail += S[k] * S[k];
        const measured = frobeniusDistance(a, result.approximation);
        expect(Math.abs(result.error - Math.sqrt(tail))).toBeLessThan(1e-14 * S[0]);
        expect(Math.abs(measured - Math.sqrt(tail))).toBeLessThan(1e-13 * S[0]);
        expect(result.relativeError).toBeCloseTo(Math.sqrt(tail) / norm2(a.data), 14);
        expect(rank(result.approximation)).toBe(r);
      }
    });
  }

  it('a rank-2 matrix is reproduced exactly by its rank-2 approximation', () => {
    const a = rankDeficientMatrix(6, 5, 2, 3);
    const result = lowRank(a, 2);
    expect(relativeDifference(result.approximation, a)).toBeLessThan(1e-14);
    expect(result.relativeError).toBeLessThan(1e-15);
  });

  it('rejects a rank outside 0..min(m, n)', () => {
    expect(() => lowRank([[1, 2], [3, 4]], 3)).toThrow(/lowRank: rank r must be an integer in \[0, 2\], got 3/);
    expect(() => lowRank([[1, 2], [3, 4]], 1.5)).toThrow(/got 1.5/);
  });
});

describe('rankForRelativeError', () => {
  it('picks the smallest r whose tail is within the target (σ = 4, 3, 0 ... of ‖·‖ = 5)', () => {
    // ‖A‖_F = 5; dropping σ=3 leaves relative error 3/5 = 0.6.
    expect(rankForRelativeError([4, 3, 0], 0)).toBe(2);
    expect(rankForRelativeError([4, 3, 0], 0.6)).toBe(1);
    expect(rankForRelativeError([4, 3, 0], 0.59)).toBe(2);
    expect(rankForRelativeError([4, 3, 0], 1)).toBe(0);
    expect(rankForRelativeError([0, 0], 0.1)).toBe(0);
  });

  it('agrees with lowRank on a random matrix', () => {
    const a = randomMatrix(10, 8, 4);
    const S = singularValues(a);
    for (const target of [0.05, 0.2, 0.5]) {
      const r = rankForRelativeError(S, target);
      expect(lowRank(a, r).relativeError).toBeLessThanOrEqual(target);
      if (r > 0) expect(lowRank(a, r - 1).relativeError).toBeGreaterThan(target);
    }
  });

  it('works near overflow and rejects unsorted, negative or non-finite values', () => {
    expect(rankForRelativeError([4e300, 3e300], 0.6)).toBe(1);
    expect(() => rankForRelativeError([1, 2], 0.1)).toThrow(/descending; entry 1 is 2 after 1/);
    expect(() => rankForRelativeError([1, -1], 0.1)).toThrow(/entry 1 is -1/);
    expect(() => rankForRelativeError([NaN], 0.1)).toThrow(/entry 0 is NaN/);
    expect(() => rankForRelativeError([1], 2)).toThrow(/relativeError must be a number in \[0, 1\]/);
  });
});
