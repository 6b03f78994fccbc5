// Eigenvalues of non-symmetric matrices (Hessenberg + Francis QR) against closed forms, the
// characteristic polynomial of the Lorenz-63 Jacobian, and ml-matrix's EigenvalueDecomposition.
import { EigenvalueDecomposition, Matrix as ReferenceMatrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/core/errors.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { eigenvalues } from '../../src/linalg/eigenvalues.ts';
import { lorenz63Jacobian, LORENZ63_CLASSIC } from '../../src/apps/lab/integrate.ts';
import { createLorenzStepWorkspace, lorenzStepJacobian } from '../../src/apps/lab/lorenz-step.ts';
import { determinant3 } from '../../src/apps/lab/stability.ts';

/** Sort (re, im) pairs for comparison. */
function sorted(real: ArrayLike<number>, imaginary: ArrayLike<number>): [number, number][] {
  return Array.from(real, (value, i): [number, number] => [value, imaginary[i]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

function lorenzJacobian(state: number[]): Matrix {
  const out = new Float64Array(9);
  lorenz63Jacobian(state, out);
  return new Matrix(3, 3, out);
}

describe('eigenvalues', () => {
  it('Lorenz Jacobian at the origin: −β and (−(σ+1) ± sqrt((σ+1)² + 4σ(ρ−1)))/2', () => {
    const { sigma, rho, beta } = LORENZ63_CLASSIC;
    const root = Math.sqrt((sigma + 1) ** 2 + 4 * sigma * (rho - 1));
    const expected = [(-(sigma + 1) + root) / 2, -beta, (-(sigma + 1) - root) / 2].sort((a, b) => a - b);
    const result = eigenvalues(lorenzJacobian([0, 0, 0]));
    const found = sorted(result.real, result.imaginary);
    found.forEach(([real, imaginary], i) => {
      expect(real).toBeCloseTo(expected[i], 12);
      expect(imaginary).toBe(0);
    });
    expect(result.spectralRadius).toBeCloseTo((sigma + 1 + root) / 2, 12);
  });

  it('Lorenz Jacobian at C±: roots of λ³ + (σ+β+1)λ² + β(σ+ρ)λ + 2σβ(ρ−1), one real and a complex pair ≈ 0.094 ± 10.19i', () => {
    const { sigma, rho, beta } = LORENZ63_CLASSIC;
    const c = Math.sqrt(beta * (rho - 1));
    for (const sign of [1, -1]) {
      const result = eigenvalues(lorenzJacobian([sign * c, sign * c, rho - 1]));
      for (let i = 0; i < 3; i++) {
        // p(λ) for complex λ = a + bi.
        const a = result.real[i], b = result.imaginary[i];
        const square = [a * a - b * b, 2 * a * b];
        const cube = [square[0] * a - square[1] * b, square[0] * b + square[1] * a];
        const p = [cube[0] + (sigma + beta + 1) * square[0] + beta * (sigma + rho) * a + 2 * sigma * beta * (rho - 1), cube[1] + (sigma + beta + 1) * square[1] + beta * (sigma + rho) * b];
        expect(Math.hypot(p[0], p[1]) / (2 * sigma * beta * (rho - 1))).toBeLessThan(1e-12);
      }
      const complex = Array.from(result.imaginary).filter((value) => value !== 0);
      expect(complex).toHaveLength(2);
      expect(Math.abs(complex[0])).toBeCloseTo(10.1945, 3);
      expect(result.real[0]).toBeCloseTo(-13.8546, 3);
    }
  });

  it('a rotation by θ has eigenvalues cos θ ± i sin θ', () => {
    const angle = 0.7;
    const result = eigenvalues([[Math.cos(angle), -Math.sin(angle)], [Math.sin(angle), Math.cos(angle)]]);
    expect(result.real[0]).toBeCloseTo(Math.cos(angle), 14);
    expect(Math.abs(result.imaginary[0])).toBeCloseTo(Math.sin(angle), 14);
    expect(result.imaginary[0]).toBeCloseTo(-result.imaginary[1], 14);
  });

  it('agrees with ml-matrix on random non-symmetric matrices of sizes 1..8', () => {
    const random = new Random(11);
    for (let n = 1; n <= 8; n++) {
      for (let trial = 0; trial < 5; trial++) {
        const matrix = new Matrix(n, n, Float64Array.from({ length: n * n }, () => random.normal()));
        const ours = eigenvalues(matrix);
        const reference = new EigenvalueDecomposition(new ReferenceMatrix(matrix.toArray()));
        const a = sorted(ours.real, ours.imaginary), b = sorted(reference.realEigenvalues, reference.imaginaryEigenvalues);
        const scale = Math.max(1, ours.spectralRadius);
        a.forEach(([real, imaginary], i) => expect(Math.hypot(real - b[i][0], imaginary - b[i][1]) / scale).toBeLessThan(1e-9));
      }
    }
  });

  it('rejects a non-square matrix', () => {
    expect(() => eigenvalues([[1, 2, 3], [4, 5, 6]])).toThrow(ShapeError);
  });
});

describe('exact Jacobian of the Lorenz one-step map', () => {
  const h = 0.001, substeps = 10, dt = h * substeps;

  it('matches central finite differences of the RK4 map', () => {
    const state = [-8, 7, 27];
    const jacobian = new Float64Array(9), next = new Float64Array(3);
    lorenzStepJacobian(state, h, substeps, next, jacobian);
    const plus = new Float64Array(3), minus = new Float64Array(3), ignored = new Float64Array(9);
    const delta = 1e-5;
    for (let j = 0; j < 3; j++) {
      const up = [...state], down = [...state];
      up[j] += delta; down[j] -= delta;
      lorenzStepJacobian(up, h, substeps, plus, ignored);
      lorenzStepJacobian(down, h, substeps, minus, ignored);
      for (let i = 0; i < 3; i++) expect(jacobian[i * 3 + j]).toBeCloseTo((plus[i] - minus[i]) / (2 * delta), 8);
    }
  });

  it('det DΦ = exp(Δt·trace J) = exp(−(σ+1+β)Δt) (Liouville), and eigenvalues at the origin ≈ exp(Δt·λ(J))', () => {
    const { sigma, beta, rho } = LORENZ63_CLASSIC;
    const jacobian = new Float64Array(9), next = new Float64Array(3), work = createLorenzStepWorkspace();
    lorenzStepJacobian([3, -4, 20], h, substeps, next, jacobian, LORENZ63_CLASSIC, work);
    expect(Math.log(determinant3(jacobian)) / dt).toBeCloseTo(-(sigma + 1 + beta), 6);
    lorenzStepJacobian([0, 0, 0], h, substeps, next, jacobian, LORENZ63_CLASSIC, work);
    const root = Math.sqrt((sigma + 1) ** 2 + 4 * sigma * (rho - 1));
    const expected = [(-(sigma + 1) + root) / 2, -beta, (-(sigma + 1) - root) / 2].map((value) => Math.exp(dt * value)).sort((a, b) => a - b);
    const found = Array.from(eigenvalues(new Matrix(3, 3, jacobian)).real).sort((a, b) => a - b);
    // RK4's local error (hλ)⁵/120 over 10 sub-steps is ≈ 4e-10 for λ ≈ −22.8.
    found.forEach((value, i) => expect(value).toBeCloseTo(expected[i], 8));
  });
});
