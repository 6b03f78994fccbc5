// SmallGram (src/solve/gram.ts), the solvers' cheap path for wide well-conditioned Jacobians,
// against ml-matrix: G = AAᵀ, its eigenvalues = σ(A)², the shifted Cholesky solve, Aᵀw; the
// full-rank certificate (never granted to a rank-deficient or too ill-conditioned matrix, granted to
// a well-conditioned one); and, per method, that the Gram-matrix step equals the method's spectral
// step through the SVD (and the closed forms: (AᵀA + μI)⁻¹Aᵀr for LM, A⁺r for Gauss–Newton);
// and on the tanh 7→64→64→4 fixture, that whole solves through the fast path meet issue 4's
// accuracy and land on the same points as solves forced through the SVD path.
import { Matrix as PeerMatrix, SingularValueDecomposition, inverse, pseudoInverse, solve as peerSolve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { defaultRtol } from '../../src/linalg/tolerance.ts';
import { createMemory, GRADIENT_RTOL, type StepRule } from '../../src/solve/iterate.ts';
import { GRAM_MAX_CONDITION, SmallGram } from '../../src/solve/gram.ts';
import { SmallSvd } from '../../src/solve/small-svd.ts';
import { gaussNewton } from '../../src/solve/methods/gauss-newton.ts';
import { jacobianTranspose } from '../../src/solve/methods/jacobian-transpose.ts';
import { LM_INITIAL_DAMPING_RTOL, levenbergMarquardt } from '../../src/solve/methods/lm.ts';
import { minimumNorm } from '../../src/solve/methods/min-norm.ts';
import { loadModelFile } from '../../src/io/model-file.ts';
import { solve } from '../../src/solve/solve.ts';

/** Agreement with ml-matrix, relative to the scale of the compared quantity. */
const RELATIVE_TOLERANCE = 1e-11;

/** rows×cols matrix U·diag(singular)·Vᵀ with random orthonormal U, V (by ml-matrix's SVD of a random matrix). */
function withSingularValues(rows: number, cols: number, singular: number[], seed: number): Float64Array {
  const random = new Random(seed);
  const orthonormal = (size: number) => new SingularValueDecomposition(
    new PeerMatrix(Array.from({ length: size }, () => Array.from({ length: size }, () => random.normal()))),
  ).leftSingularVectors;
  const u = orthonormal(rows), v = orthonormal(cols);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      for (let c = 0; c < singular.length; c++) sum += u.get(i, c) * singular[c] * v.get(j, c);
      out[i * cols + j] = sum;
    }
  }
  return out;
}

function randomMatrix(rows: number, cols: number, seed: number): Float64Array {
  const random = new Random(seed);
  return Float64Array.from({ length: rows * cols }, () => random.normal());
}

function peer(a: Float64Array, rows: number, cols: number, frozen: number[] = []): PeerMatrix {
  return new PeerMatrix(Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (frozen.includes(j) ? 0 : a[i * cols + j]))));
}

function maxAbs(values: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i]));
  return largest;
}

describe('SmallGram against ml-matrix', () => {
  const gram = new SmallGram(4, 7); // one workspace for every case, as in the engine
  const cases = [
    { label: 'wide 4×7', rows: 4, cols: 7, frozen: [] as number[] },
    { label: 'wide 2×7', rows: 2, cols: 7, frozen: [] },
    { label: 'square 3×3', rows: 3, cols: 3, frozen: [] },
    { label: 'wide 4×7 with frozen columns 2 and 5', rows: 4, cols: 7, frozen: [2, 5] },
  ];
  cases.forEach(({ label, rows, cols, frozen }, index) => {
    it(`${label}: G, σ² = eigenvalues of G, (G + μI)⁻¹r and Aᵀw`, () => {
      const a = randomMatrix(rows, cols, 10 + index);
      // The matrix sits at an offset inside a larger array, as one target's Jacobian does.
      const source = new Float64Array(3 + a.length);
      source.set(a, 3);
      const mask = frozen.length ? Uint8Array.from({ length: cols }, (_, j) => (frozen.includes(j) ? 1 : 0)) : null;
      gram.load(source, 3, rows, cols, mask);
      const explicit = peer(a, rows, cols, frozen);
      const expectedGram = explicit.mmul(explicit.transpose());
      const scale = maxAbs(expectedGram.to1DArray());
      for (let i = 0; i < rows; i++) for (let l = 0; l < rows; l++) expect(Math.abs(gram.gram[i * rows + l] - expectedGram.get(i, l))).toBeLessThanOrEqual(RELATIVE_TOLERANCE * scale);

      // σ_max of a wide step matrix comes from the one small SVD (SmallSvd.factorValues, linalg's
      // Jacobi kernel), which replaced a Jacobi eigen-solver on G: σ² are G's eigenvalues.
      const svd = new SmallSvd(rows, cols);
      svd.load(source, 3, rows, cols, null, null, mask);
      svd.factorValues();
      const singular = new SingularValueDecomposition(explicit, { autoTranspose: true }).diagonal;
      const eigen = Array.from(svd.sigma.subarray(0, rows), (sigma) => sigma * sigma).sort((x, y) => y - x);
      eigen.forEach((value, c) => expect(Math.abs(value - singular[c] ** 2)).toBeLessThanOrEqual(RELATIVE_TOLERANCE * singular[0] ** 2));
      expect(svd.maxSigma()).toBeCloseTo(singular[0], 12);

      const random = new Random(50 + index);
      const r = Float64Array.from({ length: rows }, () => random.normal());
      const mu = 0.3;
      const w = new Float64Array(rows);
      expect(gram.solveShifted(mu, r, 0, w)).toBe(true);
      const expectedW = peerSolve(expectedGram.clone().add(PeerMatrix.eye(rows).mul(mu)), PeerMatrix.columnVector(Array.from(r))).to1DArray();
      w.forEach((value, i) => expect(Math.abs(value - expectedW[i])).toBeLessThanOrEqual(RELATIVE_TOLERANCE * maxAbs(expectedW)));

      const out = new Float64Array(cols);
      gram.multiplyTransposed(w, out);
      const expectedOut = explicit.transpose().mmul(PeerMatrix.columnVector(Array.from(w))).to1DArray();
      out.forEach((value, j) => expect(Math.abs(value - expectedOut[j])).toBeLessThanOrEqual(RELATIVE_TOLERANCE * maxAbs(expectedOut)));
      for (const j of frozen) expect(out[j]).toBe(0);
    });
  });

  it('solveShifted refuses a singular G without shift (rank 2 of 4) instead of returning garbage', () => {
    const a = withSingularValues(4, 7, [3, 1, 0, 0], 3);
    gram.load(a, 0, 4, 7, null);
    expect(gram.solveShifted(0, new Float64Array([1, 2, 3, 4]), 0, new Float64Array(4))).toBe(false);
  });
});

describe('the full-row-rank certificate', () => {
  const gram = new SmallGram(6, 7);
  const rtol = defaultRtol(4, 7);

  it('certifies well-conditioned wide matrices (cond 3 and cond 50)', () => {
    for (const [seed, singular] of [[1, [3, 2, 1.5, 1]], [2, [5, 1, 0.5, 0.1]]] as const) {
      gram.load(withSingularValues(4, 7, [...singular], seed), 0, 4, 7, null);
      expect(gram.certifiesFullRank(rtol)).toBe(true);
    }
  });

  it('never certifies a rank-deficient, a too ill-conditioned or a tall matrix', () => {
    const refused: [string, Float64Array, number, number][] = [
      ['rank 3 of 4', withSingularValues(4, 7, [2, 1, 0.5, 0], 4), 4, 7],
      ['σ_min = 1e-12·σ_max', withSingularValues(4, 7, [1, 1, 1, 1e-12], 5), 4, 7],
      [`cond 2·${GRAM_MAX_CONDITION}`, withSingularValues(4, 7, [1, 0.7, 0.4, 1 / (2 * GRAM_MAX_CONDITION)], 6), 4, 7],
      ['tall 6×4', randomMatrix(6, 4, 7), 6, 4],
      ['zero', new Float64Array(28), 4, 7],
    ];
    for (const [label, a, rows, cols] of refused) {
      gram.load(a, 0, rows, cols, null);
      expect(gram.certifiesFullRank(rtol), label).toBe(false);
    }
  });

  it('over random 4×7 spectra: certified ⇒ cond ≤ GRAM_MAX_CONDITION, and cond ≤ GRAM_MAX_CONDITION/p ⇒ certified (conservative by at most p = 4)', () => {
    const random = new Random(21);
    let certified = 0;
    for (let trial = 0; trial < 200; trial++) {
      const logCond = random.between(0, 5);
      const singular = [1, random.between(0.2, 1), random.between(0.01, 1), 10 ** -logCond].sort((x, y) => y - x);
      const cond = singular[0] / singular[3];
      gram.load(withSingularValues(4, 7, singular, 1000 + trial), 0, 4, 7, null);
      const granted = gram.certifiesFullRank(rtol);
      if (granted) { certified++; expect(cond).toBeLessThanOrEqual(GRAM_MAX_CONDITION); }
      if (cond <= (0.9 * GRAM_MAX_CONDITION) / 4) expect(granted, `cond ${cond}`).toBe(true);
    }
    expect(certified).toBeGreaterThan(50);
  });

  it('a frozen column that leaves fewer free columns than rows removes the certificate', () => {
    const a = withSingularValues(3, 4, [2, 1.5, 1], 8);
    gram.load(a, 0, 3, 4, null);
    expect(gram.certifiesFullRank(rtol)).toBe(true);
    gram.load(a, 0, 3, 4, Uint8Array.of(1, 1, 0, 0));
    expect(gram.certifiesFullRank(rtol)).toBe(false);
  });

  it('a certified matrix can never pass the stationarity test at r ≠ 0 (the engine skips it): GRADIENT_RTOL ≪ 1/GRAM_MAX_CONDITION', () => {
    expect(GRADIENT_RTOL * GRAM_MAX_CONDITION).toBeLessThan(1e-3);
  });

  it('a large user rtol is respected: σ_min/σ_max = 0.01 is not certified with rtol 0.01', () => {
    gram.load(withSingularValues(4, 7, [1, 0.5, 0.2, 0.01], 9), 0, 4, 7, null);
    expect(gram.certifiesFullRank(1e-2)).toBe(false);
  });
});

describe('each method takes the same step from the Gram matrix as from the SVD', () => {
  const rows = 4, cols = 7;
  const a = withSingularValues(rows, cols, [2, 1.2, 0.7, 0.3], 11);
  const random = new Random(12);
  const r = Float64Array.from({ length: rows }, () => random.normal());
  const explicit = peer(a, rows, cols);
  const rtol = defaultRtol(rows, cols);

  /** Δz from the rule's spectral filter (SmallSvd) and from its Gram weights (SmallGram). */
  function bothSteps(rule: StepRule): { svdStep: Float64Array; gramStep: Float64Array } {
    const svd = new SmallSvd(rows, cols), gram = new SmallGram(rows, cols);
    const svdMemory = createMemory(1), gramMemory = createMemory(1);
    svd.load(a, 0, rows, cols, null, null, null);
    svd.factor();
    svdMemory.sigmaMax[0] = svd.maxSigma();
    gramMemory.exactSigmaMax = () => svd.maxSigma();
    const rho = new Float64Array(rows), phi = new Float64Array(rows), svdStep = new Float64Array(cols);
    svd.projectU(r, 0, rho);
    rule.filter(svd, rho, 0, svdMemory, phi);
    svd.combineV(phi, svdStep);
    gram.load(a, 0, rows, cols, null);
    expect(gram.certifiesFullRank(rtol)).toBe(true);
    const w = new Float64Array(rows), gramStep = new Float64Array(cols);
    expect(rule.gramWeights(gram, r, 0, 0, gramMemory, w)).toBe(true);
    gram.multiplyTransposed(w, gramStep);
    expect(gramMemory.damping[0]).toBe(svdMemory.damping[0]);
    return { svdStep, gramStep };
  }

  function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
    const scale = maxAbs(expected);
    for (let j = 0; j < expected.length; j++) expect(Math.abs(actual[j] - expected[j])).toBeLessThanOrEqual(RELATIVE_TOLERANCE * scale);
  }

  it('lm: Jᵀ(JJᵀ + μI)⁻¹r = (JᵀJ + μI)⁻¹Jᵀr with μ = τ·σ_max²', () => {
    const { svdStep, gramStep } = bothSteps(levenbergMarquardt);
    const mu = LM_INITIAL_DAMPING_RTOL * 2 * 2;
    const normal = explicit.transpose().mmul(explicit).add(PeerMatrix.eye(cols).mul(mu));
    const expected = inverse(normal).mmul(explicit.transpose()).mmul(PeerMatrix.columnVector(Array.from(r))).to1DArray();
    expectClose(svdStep, expected);
    expectClose(gramStep, expected);
  });

  it('gauss-newton and min-norm: J⁺r', () => {
    const expected = pseudoInverse(explicit).mmul(PeerMatrix.columnVector(Array.from(r))).to1DArray();
    for (const rule of [gaussNewton(rtol), minimumNorm(rtol)]) {
      const { svdStep, gramStep } = bothSteps(rule);
      expectClose(svdStep, expected);
      expectClose(gramStep, expected);
    }
  });

  it('jacobian-transpose: α·Jᵀr with Buss\'s α = ⟨r, JJᵀr⟩ / ‖JJᵀr‖²', () => {
    const jt = explicit.transpose().mmul(PeerMatrix.columnVector(Array.from(r)));
    const jjt = explicit.mmul(jt).to1DArray();
    const alpha = jjt.reduce((sum, value, i) => sum + value * r[i], 0) / jjt.reduce((sum, value) => sum + value * value, 0);
    const expected = jt.to1DArray().map((value) => alpha * value);
    const { svdStep, gramStep } = bothSteps(jacobianTranspose);
    expectClose(svdStep, expected);
    expectClose(gramStep, expected);
  });
});

describe('whole solves on the tanh 7→64→64→4 fixture (issue 4 accuracy)', () => {
  const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/tanh_mlp_7x64x64x4.onnx');
  const count = 300;

  async function reachableTargets() {
    const model = await loadModelFile(fixture);
    const random = new Random(5);
    const truth = new Matrix(count, 7);
    for (let k = 0; k < truth.data.length; k++) truth.data[k] = random.between(-1, 1);
    return { model, targets: model.forward(truth) };
  }

  it('lm and gauss-newton from x = 0 reach every target y* = f(x_true) to ‖f(x) − y*‖ ≤ 1e-9', async () => {
    const { model, targets } = await reachableTargets();
    for (const method of ['lm', 'gauss-newton'] as const) {
      const report = solve(model, targets, { method, start: new Float64Array(7) });
      expect(report.summary.counts.converged).toBe(count);
      for (const result of report.results) {
        // Independent re-simulation of the answer.
        const y = model.forward(new Matrix(1, 7, Float64Array.from(result.x))).data;
        const residual = Math.hypot(...Array.from(y, (value, i) => value - targets.data[result.target * 4 + i]));
        expect(residual).toBeLessThanOrEqual(1e-9);
        expect(result.rank).toBe(4);
        expect(result.manifoldDimension).toBe(3);
      }
    }
  });

  it('lm through the Gram fast path lands on the same points, after the same iterations, as lm forced through the SVD (rtol 0.3 denies the certificate)', async () => {
    const { model, targets } = await reachableTargets();
    const fast = solve(model, targets, { method: 'lm', start: new Float64Array(7), nearest: false });
    const exact = solve(model, targets, { method: 'lm', start: new Float64Array(7), rtol: 0.3, nearest: false });
    fast.results.forEach((result, k) => {
      expect(result.iterations).toBe(exact.results[k].iterations);
      for (let j = 0; j < 7; j++) expect(Math.abs(result.x[j] - exact.results[k].x[j])).toBeLessThanOrEqual(1e-10);
    });
  });
});
