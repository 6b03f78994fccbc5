// SmallSvd (src/solve/small-svd.ts), the solvers' allocation-free per-target SVD, against ml-matrix on
// the explicitly scaled and masked matrix diag(rowScale)·J·diag(colScale) (frozen columns zeroed):
// singular values, rank, the pseudo-inverse step V·diag(1/σ)·Uᵀ·r = A⁺r, and the null-space
// projection (I − A⁺A)·g. Tall, wide, square and rank-deficient shapes; one workspace reused.
import { Matrix as PeerMatrix, SingularValueDecomposition, pseudoInverse } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/linalg/random.ts';
import { EPSILON } from '../../src/linalg/tolerance.ts';
import { SmallSvd } from '../../src/solve/small-svd.ts';

/** Agreement with ml-matrix relative to σ_max (both are backward stable to a few hundred ε). */
const RELATIVE_TOLERANCE = 1e-11;
/** Rank cutoff relative to σ_max used for the pseudo-inverse and the null space. */
const RTOL = 1e-10;

interface Case { label: string; rows: number; cols: number; rank?: number; frozen?: number[]; scaled?: boolean }

const CASES: Case[] = [
  { label: 'tall 7×3', rows: 7, cols: 3 },
  { label: 'wide 2×7', rows: 2, cols: 7 },
  { label: 'square 4×4', rows: 4, cols: 4, scaled: true },
  { label: 'wide 4×7 of rank 2', rows: 4, cols: 7, rank: 2 },
  { label: 'tall 6×4 of rank 3, scaled', rows: 6, cols: 4, rank: 3, scaled: true },
  { label: 'wide 3×6 with frozen columns 1 and 4', rows: 3, cols: 6, frozen: [1, 4], scaled: true },
  { label: 'tall 5×3 with frozen column 0', rows: 5, cols: 3, frozen: [0] },
];

function randomCase(spec: Case, seed: number) {
  const random = new Random(seed);
  const { rows, cols } = spec;
  const rank = spec.rank ?? Math.min(rows, cols);
  const left = Array.from({ length: rows * rank }, () => random.normal());
  const right = Array.from({ length: rank * cols }, () => random.normal());
  const jacobian = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) for (let r = 0; r < rank; r++) jacobian[i * cols + j] += left[i * rank + r] * right[r * cols + j];
  const rowScale = spec.scaled ? Float64Array.from({ length: rows }, () => Math.exp(random.normal())) : null;
  const colScale = spec.scaled ? Float64Array.from({ length: cols }, () => Math.exp(random.normal())) : null;
  const frozen = spec.frozen ? Uint8Array.from({ length: cols }, (_, j) => (spec.frozen!.includes(j) ? 1 : 0)) : null;
  const explicit = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) =>
    frozen?.[j] ? 0 : jacobian[i * cols + j] * (rowScale ? rowScale[i] : 1) * (colScale ? colScale[j] : 1)));
  return { jacobian, rowScale, colScale, frozen, explicit: new PeerMatrix(explicit), random };
}

describe('SmallSvd against ml-matrix', () => {
  const svd = new SmallSvd(7, 7); // one workspace for every case, as in the solvers
  CASES.forEach((spec, index) => {
    it(spec.label, () => {
      const { rows, cols } = spec;
      const { jacobian, rowScale, colScale, frozen, explicit, random } = randomCase(spec, 100 + index);
      // The matrix sits at an offset inside a larger array, as one target's Jacobian in a batch does.
      const source = new Float64Array(5 + rows * cols);
      source.set(jacobian, 5);
      svd.load(source, 5, rows, cols, rowScale, colScale, frozen);
      svd.factor();

      const reference = new SingularValueDecomposition(explicit, { autoTranspose: true });
      const expected = reference.diagonal.slice(0, Math.min(rows, cols));
      const sigmaMax = expected[0];
      const sorted = new Float64Array(Math.min(rows, cols));
      svd.sortedSigma(sorted);
      sorted.forEach((value, k) => expect(Math.abs(value - expected[k])).toBeLessThanOrEqual(RELATIVE_TOLERANCE * sigmaMax));
      expect(svd.maxSigma()).toBeCloseTo(sigmaMax, 10);
      const expectedRank = expected.filter((value) => value > RTOL * sigmaMax).length;
      expect(svd.rank(RTOL)).toBe(expectedRank);
      expect(expectedRank).toBe(Math.min(spec.rank ?? Infinity, rows, cols - (spec.frozen?.length ?? 0)));

      // Pseudo-inverse step: φ = 1/σ above the cutoff, 0 below.
      const r = Float64Array.from({ length: rows }, () => random.normal());
      const rho = new Float64Array(Math.min(rows, cols)), phi = new Float64Array(rho.length), step = new Float64Array(cols);
      svd.projectU(r, 0, rho);
      const cutoff = RTOL * svd.maxSigma();
      for (let c = 0; c < rho.length; c++) phi[c] = svd.sigma[c] > cutoff ? rho[c] / svd.sigma[c] : 0;
      svd.combineV(phi, step);
      const pinv = pseudoInverse(explicit, RTOL);
      const expectedStep = pinv.mmul(PeerMatrix.columnVector(Array.from(r))).to1DArray();
      // Errors of both grow with the condition number of the kept part.
      const keptCondition = sigmaMax / expected[expectedRank - 1];
      const stepScale = Math.max(...expectedStep.map(Math.abs));
      step.forEach((value, j) => expect(Math.abs(value - expectedStep[j])).toBeLessThanOrEqual(RELATIVE_TOLERANCE * keptCondition * stepScale));

      // Null-space projection (I − A⁺A)·g; frozen columns keep their component of g.
      const g = Float64Array.from({ length: cols }, () => random.normal());
      const gNorm = Math.hypot(...g);
      const projected = new Float64Array(cols);
      svd.nullSpaceProject(g, projected, RTOL);
      const rowSpace = pinv.mmul(explicit);
      for (let j = 0; j < cols; j++) {
        let expectedValue = g[j];
        for (let k = 0; k < cols; k++) expectedValue -= rowSpace.get(j, k) * g[k];
        expect(Math.abs(projected[j] - expectedValue)).toBeLessThanOrEqual(RELATIVE_TOLERANCE * keptCondition * gNorm);
        if (frozen?.[j]) expect(projected[j]).toBeCloseTo(g[j], 12);
      }
    });
  });

  CASES.forEach((spec, index) => {
    it(`${spec.label}: factorValues (QR, then Jacobi on the triangle) gives the same singular values`, () => {
      const { rows, cols } = spec;
      const { jacobian, rowScale, colScale, frozen, explicit } = randomCase(spec, 100 + index);
      svd.load(jacobian, 0, rows, cols, rowScale, colScale, frozen);
      svd.factorValues();
      const expected = new SingularValueDecomposition(explicit, { autoTranspose: true }).diagonal.slice(0, Math.min(rows, cols));
      const sorted = new Float64Array(Math.min(rows, cols));
      svd.sortedSigma(sorted);
      sorted.forEach((value, k) => expect(Math.abs(value - expected[k])).toBeLessThanOrEqual(RELATIVE_TOLERANCE * expected[0]));
      expect(svd.rank(RTOL)).toBe(expected.filter((value) => value > RTOL * expected[0]).length);
    });
  });

  it('factorValues keeps tiny singular values relatively accurate (σ = 1, 1e-3, 1e-6, 1e-9 of a graded 4×7)', () => {
    const random = new Random(7);
    const graded = [1, 1e-3, 1e-6, 1e-9];
    // Rows of very different size: A = diag(graded)·M with M well-conditioned, so σ_k ≈ graded_k.
    const m = Array.from({ length: 28 }, () => random.normal());
    const a = Float64Array.from(m, (value, k) => value * graded[Math.floor(k / 7)]);
    svd.load(a, 0, 4, 7, null, null, null);
    svd.factorValues();
    const sorted = new Float64Array(4);
    svd.sortedSigma(sorted);
    const expected = new SingularValueDecomposition(new PeerMatrix(Array.from({ length: 4 }, (_, i) => Array.from(a.subarray(i * 7, i * 7 + 7)))), { autoTranspose: true }).diagonal;
    sorted.forEach((value, k) => expect(Math.abs(value - expected[k]) / expected[k]).toBeLessThanOrEqual(1e-9));
  });

  it('a zero matrix has σ = 0, rank 0, and the null space is everything', () => {
    svd.load(new Float64Array(12), 0, 3, 4, null, null, null);
    svd.factor();
    expect(svd.maxSigma()).toBe(0);
    expect(svd.rank(RTOL)).toBe(0);
    const g = Float64Array.of(1, -2, 3, EPSILON), out = new Float64Array(4);
    svd.nullSpaceProject(g, out, RTOL);
    expect(Array.from(out)).toEqual(Array.from(g));
  });
});
