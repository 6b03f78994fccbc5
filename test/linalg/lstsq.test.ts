// lstsq on every kind of system: the solution against theory (normal equations, pinv, exact solve),
// the kind and message, and the residual's orthogonality to the column space.
import { describe, expect, it } from 'vitest';
import { solve } from '../../src/linalg/lu.ts';
import { lstsq } from '../../src/linalg/lstsq.ts';
import { multiplyVector, norm2 } from '../../src/linalg/matrix.ts';
import { nullSpace, pinv } from '../../src/linalg/pinv.ts';
import { Random } from '../../src/linalg/random.ts';
import { randomMatrix, rankDeficientMatrix } from './helpers.ts';

function randomVector(length: number, seed: number): Float64Array {
  const random = new Random(seed);
  return Float64Array.from({ length }, () => random.normal());
}

describe('lstsq kinds', () => {
  it('square nonsingular: exact, equals the LU solve, residual ≈ 0', () => {
    const a = randomMatrix(6, 6, 1), b = randomVector(6, 2);
    const result = lstsq(a, b);
    expect(result.kind).toBe('exact');
    const reference = solve(a, b);
    result.x.forEach((value, j) => expect(value).toBeCloseTo(reference[j], 12));
    expect(result.residualNorm).toBeLessThan(1e-13 * norm2(b));
  });

  it('tall full rank: least-squares, residual orthogonal to the columns (Aᵀr = 0)', () => {
    const a = randomMatrix(12, 4, 3), b = randomVector(12, 4);
    const result = lstsq(a, b);
    expect(result.kind).toBe('least-squares');
    const normal = multiplyVector(a.transpose(), result.residual);
    expect(norm2(normal)).toBeLessThan(1e-13 * norm2(b) * result.singularValues[0]);
    expect(result.residualNorm).toBeGreaterThan(0.1); // 12 random equations in 4 unknowns cannot all hold
  });

  it('wide full rank: minimum-norm exact solution, orthogonal to the null space', () => {
    const a = randomMatrix(3, 7, 5), b = randomVector(3, 6);
    const result = lstsq(a, b);
    expect(result.kind).toBe('minimum-norm');
    expect(result.residualNorm).toBeLessThan(1e-13 * norm2(b));
    const projection = multiplyVector(nullSpace(a).transpose(), result.x);
    expect(norm2(projection)).toBeLessThan(1e-13 * norm2(result.x));
  });

  it('rank-deficient: minimum-norm least squares, equals pinv(A)·b, message names the undetermined directions', () => {
    const a = rankDeficientMatrix(8, 5, 3, 7), b = randomVector(8, 8);
    const result = lstsq(a, b);
    expect(result.kind).toBe('rank-deficient');
    expect(result.rank).toBe(3);
    const reference = multiplyVector(pinv(a), b);
    result.x.forEach((value, j) => expect(Math.abs(value - reference[j])).toBeLessThan(1e-12 * norm2(reference)));
    expect(result.message).toMatch(/A is 8×5 with rank 3 < 5: rank-deficient.*2 input direction\(s\) are not determined/);
  });

  it('rtol can declare a nearly dependent column as dependent', () => {
    const result = lstsq([[1, 1], [1, 1 + 1e-10], [1, 1]], [1, 2, 3], { rtol: 1e-6 });
    expect(result.rank).toBe(1);
    expect(result.kind).toBe('rank-deficient');
  });
});
