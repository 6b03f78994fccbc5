// SINDy on clean Lorenz-63 data must recover σ = 10, ρ = 28, β = 8/3 within 1% with no spurious
// terms; STLSQ on a synthetic sparse problem must recover the exact coefficients.
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { polynomialLibrary } from '../../src/apps/lab/polynomial-library.ts';
import { centralDifferences, runSindy, sequentiallyThresholdedLeastSquares } from '../../src/apps/lab/sindy.ts';

describe('polynomial library', () => {
  it('has the 10 terms of the course notes for (x, y, z), degree 2', () => {
    expect(polynomialLibrary(['x', 'y', 'z'], 2).names).toEqual(['1', 'x', 'y', 'z', 'x²', 'x y', 'x z', 'y²', 'y z', 'z²']);
    // C(3 + 3, 3) = 20 monomials up to degree 3.
    expect(polynomialLibrary(['x', 'y', 'z'], 3).names).toHaveLength(20);
  });
});

describe('lab sindy', () => {
  const result = runSindy();
  const coefficient = (variable: string, term: string) => result.coefficients.get(result.library.indexOf(term), result.variables.indexOf(variable));

  it('recovers the Lorenz-63 coefficients within 1% and keeps no spurious term', () => {
    const truth: [string, string, number][] = [['x', 'x', -10], ['x', 'y', 10], ['y', 'x', 28], ['y', 'y', -1], ['y', 'x z', -1], ['z', 'z', -8 / 3], ['z', 'x y', 1]];
    for (const [variable, term, value] of truth) expect(Math.abs(coefficient(variable, term) - value) / Math.abs(value)).toBeLessThan(0.01);
    const kept = result.library.flatMap((_, row) => result.variables.map((__, column) => result.coefficients.get(row, column))).filter((value) => value !== 0);
    expect(kept).toHaveLength(7);
    expect(result.spuriousTerms).toBe(0);
    expect(result.missedTerms).toBe(0);
    expect(result.maxRelativeError).toBeLessThan(0.01);
    expect(result.status).toBe('identified');
    expect(result.equations[2].text).toMatch(/^dz\/dt = −2\.66\d\d z \+ 1\.000\d x y$/);
  });

  it('a ridge α in the iterations changes nothing after the unregularized refit on the same kept terms', () => {
    const ridge = runSindy({ ridge: 1e-3, duration: 5 });
    const plain = runSindy({ duration: 5 });
    ridge.coefficients.data.forEach((value, k) => expect(value).toBeCloseTo(plain.coefficients.data[k], 8));
  });

  it('a threshold that removes every term is a clear message, not an empty model', () => {
    const emptied = runSindy({ threshold: 100, duration: 2 });
    expect(emptied.status).toBe('all-terms-removed');
    expect(emptied.message).toMatch(/threshold 100 removes every term of dx\/dt .* no model identified/);
  });

  it('STLSQ recovers a sparse linear model exactly from noise-free data', () => {
    const random = new Random(4);
    const theta = new Matrix(200, 8, Float64Array.from({ length: 1600 }, () => random.normal()));
    const truth = [0, 2.5, 0, 0, -0.7, 0, 1.2, 0];
    const target = Float64Array.from({ length: 200 }, (_, i) => truth.reduce((sum, c, j) => sum + c * theta.get(i, j), 0));
    const fit = sequentiallyThresholdedLeastSquares(theta, target, { threshold: 0.1, ridge: 0, maxIterations: 10 });
    expect(fit.active).toEqual([1, 4, 6]);
    [2.5, -0.7, 1.2].forEach((value, k) => expect(fit.coefficients[k]).toBeCloseTo(value, 12));
  });

  it('central differences are exact for quadratics', () => {
    const dt = 0.1;
    const states = new Matrix(5, 1, Float64Array.from([0, 1, 2, 3, 4], (k) => (k * dt) ** 2));
    const { derivatives } = centralDifferences(states, dt);
    Array.from(derivatives.data).forEach((value, i) => expect(value).toBeCloseTo(2 * (i + 1) * dt, 12));
  });

  it('rejects invalid parameters with their range', () => {
    expect(() => runSindy({ dt: 0 })).toThrow(InvalidArgumentError);
    expect(() => runSindy({ dt: -0.01 })).toThrow(/dt \(Δt\) must be a finite number > 0/);
    expect(() => runSindy({ degree: 9 })).toThrow(/degree must be an integer in \[1, 5\]/);
    expect(() => runSindy({ threshold: -1 })).toThrow(/threshold must be a finite number ≥ 0/);
  });
});
