// The worked examples of seeds 000 and 002, with the numbers the seeds print (or exact fractions
// derived by hand), through lstsq, pinv, the LU / adjugate inverses and the left/right inverses.
import { describe, expect, it } from 'vitest';
import { SingularMatrixError } from '../../src/core/errors.ts';
import { adjugate, determinant, inverse, solve } from '../../src/linalg/lu.ts';
import { leftInverse, lstsq, rightInverse } from '../../src/linalg/lstsq.ts';
import { Matrix, multiply, multiplyVector } from '../../src/linalg/matrix.ts';
import { pinv } from '../../src/linalg/pinv.ts';
import { relativeDifference } from './helpers.ts';

/** Answers known exactly are checked to a few ulps. */
const EXACT = 1e-14;

function expectVector(actual: ArrayLike<number>, expected: number[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, i) => expect(Math.abs(actual[i] - value)).toBeLessThanOrEqual(tolerance));
}

describe('seed 000 §1: analytical regression y = X·w', () => {
  const X = [[1, 1], [1, 2], [1, 3]];
  const y = [1, 2, 2.5];

  it('w = X⁺y = [1/3, 3/4] (intercept ȳ − slope·x̄ = 11/6 − 3/2, slope Sxy/Sxx = 1.5/2)', () => {
    const result = lstsq(X, y);
    expectVector(result.x, [1 / 3, 3 / 4], EXACT);
    expect(result.kind).toBe('least-squares');
    expect(result.rank).toBe(2);
    // Residual y − Xw = [−1/12, 1/6, −1/12], orthogonal to the columns of X.
    expectVector(result.residual, [-1 / 12, 1 / 6, -1 / 12], EXACT);
    expect(result.residualNorm).toBeCloseTo(Math.sqrt(6) / 12, 15);
    expectVector(multiplyVector(pinv(X), y), [1 / 3, 3 / 4], EXACT);
    expect(result.message).toMatch(/A is 3×2 with rank 2: more equations than unknowns/);
  });
});

describe('seed 000 §2: minimum-norm solution of a wide system', () => {
  it('A = [[1,2,3],[4,5,6]], y = [7,8] → x = Aᵀ(AAᵀ)⁻¹y = [−55/18, 1/9, 59/18] ≈ [−3.0556, 0.1111, 3.2778]', () => {
    // AAᵀ = [[14,32],[32,77]], det 54; (AAᵀ)⁻¹y = [283, −112]/54; Aᵀ·that = [−165, 6, 177]/54.
    const result = lstsq([[1, 2, 3], [4, 5, 6]], [7, 8]);
    expectVector(result.x, [-55 / 18, 1 / 9, 59 / 18], 4 * EXACT);
    expectVector(result.x, [-3.0556, 0.1111, 3.2778], 5e-5);
    expect(result.kind).toBe('minimum-norm');
    expect(result.residualNorm).toBeLessThan(1e-13);
    // Any other solution x + t·(1, −2, 1) (the null space) is longer.
    const other = result.x.map((value, j) => value + 0.1 * [1, -2, 1][j]);
    expect(Math.hypot(...other)).toBeGreaterThan(Math.hypot(...result.x));
  });
});

describe('seed 002: inverse of [[-3,2,-5],[-1,0,2],[3,-4,1]]', () => {
  const A = [[-3, 2, -5], [-1, 0, 2], [3, -4, 1]];
  // The seed prints [[-0.26666667 -0.6 -0.13333333] [-0.23333333 -0.4 -0.36666667] [-0.13333333 0.2 -0.06666667]]:
  // exactly adj(A)/det(A) with det(A) = −30.
  const exact = Matrix.fromArray([[-8 / 30, -18 / 30, -4 / 30], [-7 / 30, -12 / 30, -11 / 30], [-4 / 30, 6 / 30, -2 / 30]]);

  it('det(A) = −30 and adj(A) = [[8,18,4],[7,12,11],[4,−6,2]]', () => {
    expect(determinant(A)).toBeCloseTo(-30, 13);
    const adj = adjugate(A).toArray();
    [[8, 18, 4], [7, 12, 11], [4, -6, 2]].forEach((row, i) => expectVector(adj[i], row, 1e-13));
  });

  it('adjugate/det, LU, left and right inverse all give the seed\'s printed inverse', () => {
    const det = determinant(A);
    const byAdjugate = new Matrix(3, 3, adjugate(A).data.map((value) => value / det));
    for (const candidate of [byAdjugate, inverse(A), leftInverse(A), rightInverse(A), pinv(A)]) {
      expect(relativeDifference(candidate, exact)).toBeLessThan(1e-15 * 8);
    }
    const printed = [[-0.26666667, -0.6, -0.13333333], [-0.23333333, -0.4, -0.36666667], [-0.13333333, 0.2, -0.06666667]];
    inverse(A).toArray().forEach((row, i) => expectVector(row, printed[i], 5e-9));
  });

  it('solve(A, b) gives A⁻¹b', () => {
    expectVector(solve(A, [1, 2, 3]), Array.from(multiplyVector(exact, [1, 2, 3])), EXACT);
  });

  it('a singular matrix is a SingularMatrixError that says so', () => {
    const singular = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
    expect(() => inverse(singular)).toThrow(SingularMatrixError);
    expect(() => inverse(singular)).toThrow(/inverse: A \(3×3\) is singular to working precision.*column 2.*Use pinv or lstsq/);
    expect(() => solve(singular, [1, 1, 1])).toThrow(SingularMatrixError);
    expect(() => inverse([[0, 0], [0, 0]])).toThrow(/column 0/);
  });
});

describe('seed 002: left and right inverses of rectangular matrices', () => {
  it('tall [[1,0],[0,1],[0,0]] has a left inverse B·A = I (the minimum-norm one, b₁ = b₂ = 0) but no right inverse', () => {
    const A = Matrix.fromArray([[1, 0], [0, 1], [0, 0]]);
    const B = leftInverse(A);
    expect(B.toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(relativeDifference(multiply(B, A), Matrix.identity(2))).toBe(0);
    expect(() => rightInverse(A)).toThrow(SingularMatrixError);
    expect(() => rightInverse(A)).toThrow(/rightInverse: A \(3×2\) has no right inverse.*full row rank/);
  });

  it('wide [[1,0,0],[0,1,0]] has a right inverse A·C = I but no left inverse', () => {
    const A = Matrix.fromArray([[1, 0, 0], [0, 1, 0]]);
    const C = rightInverse(A);
    expect(C.toArray()).toEqual([[1, 0], [0, 1], [0, 0]]);
    expect(() => leftInverse(A)).toThrow(/leftInverse: A \(2×3\) has no left inverse.*full column rank/);
  });

  it('a tall matrix: leftInverse = (AᵀA)⁻¹Aᵀ and rightInverse(Aᵀ) = A(AᵀA)⁻¹ (seed formulas)', () => {
    const A = Matrix.fromArray([[2, -1], [0.5, 3], [1, 1], [-2, 0.25]]);
    const formula = multiply(inverse(multiply(A.transpose(), A)), A.transpose());
    expect(relativeDifference(leftInverse(A), formula)).toBeLessThan(1e-14);
    const formulaRight = multiply(A, inverse(multiply(A.transpose(), A)));
    expect(relativeDifference(rightInverse(A.transpose()), formulaRight)).toBeLessThan(1e-14); // Wᵀ(WWᵀ)⁻¹ with W = Aᵀ
  });

  it('rank-deficient tall matrix: no left inverse, with the rank in the message', () => {
    expect(() => leftInverse([[1, 2], [2, 4], [3, 6]])).toThrow(/numerical rank 1 < 2, so no left inverse/);
  });
});

describe('seed 002: ASCAT σ⁰ versus incidence angle, least-squares line', () => {
  const angle = [59, 48.63, 50.14, 54.22, 39.23, 52.36, 52.6, 44.27, 55.07, 59.06, 58.32, 58.5, 37.49, 45.61, 52.13, 42.04, 54.74, 58.53, 38.19, 45.74, 59.31];
  const sigma0 = [-9.5103, -8.2828, -8.0002, -8.2415, -8.4277, -9.0573, -8.6784, -8.5909, -9.0481, -9.6975, -8.872, -9.7875, -8.3998, -10.0404, -10.0735, -6.8197, -9.2742, -9.5769, -7.561, -8.9871, -10.3787];
  const A = angle.map((value) => [value, 1]);

  it('slope −0.07582702 dB/degree, intercept −5.07314663 (the seed prints 8 decimals)', () => {
    const result = lstsq(A, sigma0);
    expectVector(result.x, [-0.07582702, -5.07314663], 5e-9);
    expect(result.kind).toBe('least-squares');
    // The seed's route, the left inverse, gives the same line.
    expectVector(multiplyVector(leftInverse(A), sigma0), [-0.07582702, -5.07314663], 5e-9);
  });
});
