// The regression lab against the theory of the pseudo-inverse: tall → least squares (normal
// equations, residual ⟂ columns); wide → the exact solution of minimum norm (smaller than other exact
// solutions, orthogonal to the null space, equal to a reference pseudo-inverse from ml-matrix).
import { Matrix as ReferenceMatrix, pseudoInverse } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.ts';
import { featureMatrix, runRegression } from '../../src/apps/lab/regression.ts';

/** Agreement with an independent implementation, relative to the solution's norm. */
const REFERENCE_TOLERANCE = 1e-8;

describe('lab regression', () => {
  const result = runRegression({ seed: 3 });

  it('tall case is the least-squares solution: normal equations and residual ⟂ columns', () => {
    expect(result.tall.kind).toBe('least-squares');
    expect(result.tall.normalEquationDistance).toBeLessThan(1e-10);
    expect(result.tall.orthogonality).toBeLessThan(1e-12);
  });

  it('with noise-free data of degree 3 the tall fit recovers the true coefficients', () => {
    const clean = runRegression({ noise: 0, seed: 1 });
    clean.tall.theta.forEach((value, j) => expect(value).toBeCloseTo([1, -2, 0, 0.5][j], 10));
  });

  it('wide case: exact fit, minimum norm, smaller than two other exact solutions', () => {
    const { wide } = result;
    expect(wide.kind).toBe('minimum-norm');
    const scale = Math.hypot(...wide.y);
    expect(wide.residualNorm / scale).toBeLessThan(1e-10);
    expect(wide.squareSolveResidualNorm / scale).toBeLessThan(1e-6);
    expect(wide.nullShiftedResidualNorm / scale).toBeLessThan(1e-8);
    expect(wide.thetaNorm).toBeLessThan(wide.squareSolveNorm);
    expect(wide.thetaNorm).toBeLessThan(wide.nullShiftedNorm);
    // Pythagoras: θ* ⟂ null(A), so ‖θ* + v‖² = ‖θ*‖² + ‖v‖².
    const pythagoras = wide.thetaNorm ** 2 + wide.nullVectorNorm ** 2;
    expect(Math.abs(wide.nullShiftedNorm ** 2 - pythagoras) / pythagoras).toBeLessThan(1e-10);
    expect(wide.nullSpaceCosine).toBeLessThan(1e-8);
  });

  it('wide θ equals pinv(A)·y — ours and ml-matrix\'s', () => {
    const { wide } = result;
    expect(wide.pinvAgreement).toBeLessThan(1e-10);
    const A = featureMatrix(wide.x, wide.features, result.basis);
    const reference = pseudoInverse(new ReferenceMatrix(A.toArray())).mmul(ReferenceMatrix.columnVector(wide.y)).to1DArray();
    const difference = Math.hypot(...reference.map((value, j) => value - wide.theta[j]));
    expect(difference / wide.thetaNorm).toBeLessThan(REFERENCE_TOLERANCE);
  });

  it('all three bases satisfy the theory checks', () => {
    for (const basis of ['monomial', 'chebyshev', 'cosine'] as const) expect(runRegression({ basis, seed: 5 }).status).toBe('ok');
  });

  it('rejects invalid sizes with the valid range', () => {
    expect(() => runRegression({ features: 60 })).toThrow(InvalidArgumentError);
    expect(() => runRegression({ features: 60 })).toThrow(/features \(p, tall case\) must be an integer in \[1, 49\]/);
    expect(() => runRegression({ wideSamples: 8, wideFeatures: 8 })).toThrow(/wideFeatures.*≥ 9/);
    expect(() => runRegression({ noise: -1 })).toThrow(/noise must be a finite number ≥ 0/);
  });
});
