// Invertibility analysis against answers known from theory: linear maps of known rank and
// condition number, 2×2 closed-form singular values for standardized vs raw units, the one-step
// check (exact for linear maps, second order for nonlinear ones), and ml-matrix as an SVD reference.
import { describe, expect, it } from 'vitest';
import { Matrix as ReferenceMatrix, pseudoInverse, SingularValueDecomposition } from 'ml-matrix';
import { analyzeInvertibility, DEFAULT_ILL_CONDITIONED } from '../../src/analyze/invertibility.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { InversaError } from '../../src/core/errors.ts';
import { linearModel, planarArm } from '../../src/model/functions.ts';
import type { Model, ModelMeta } from '../../src/model/model.ts';
import { MlpModel } from '../../src/model/mlp.ts';
import { randomMlpSpec, randomPoints } from '../model/mlp-random-spec.ts';

function randomMatrix(rows: number, cols: number, seed: number, spread = 1): Matrix {
  const random = new Random(seed);
  const out = new Matrix(rows, cols);
  for (let k = 0; k < out.data.length; k++) out.data[k] = random.normal(0, spread);
  return out;
}

/**
 * σ_max, σ_min of [[a, b], [c, d]] in closed form: σ_max² = (S + √(S² − 4D²))/2 with S = ‖·‖_F²,
 * D = det, and σ_min = |D|/σ_max (σ_max·σ_min = |det|; avoids the cancellation of the minus root).
 */
function singularValues2x2(a: number, b: number, c: number, d: number): [number, number] {
  const S = a * a + b * b + c * c + d * d, D = a * d - b * c;
  const largest = Math.sqrt((S + Math.sqrt((S - 2 * D) * (S + 2 * D))) / 2);
  return [largest, Math.abs(D) / largest];
}

/** Population std of each column, plain two-pass. */
function columnStdPlain(x: Matrix): number[] {
  return Array.from({ length: x.cols }, (_, j) => {
    let mean = 0;
    for (let i = 0; i < x.rows; i++) mean += x.get(i, j) / x.rows;
    let sum = 0;
    for (let i = 0; i < x.rows; i++) sum += (x.get(i, j) - mean) ** 2;
    return Math.sqrt(sum / x.rows);
  });
}

function withMeta(model: Model, meta: ModelMeta): Model {
  return { ...model, meta: { ...model.meta, ...meta } };
}

describe('verdicts on linear maps of known rank and condition number (raw = standardized units)', () => {
  const points = randomMatrix(5, 3, 1);
  it('cond 50 ≤ 100 is locally invertible, with σ and cond exact', () => {
    const result = analyzeInvertibility(linearModel([[2, 0, 0], [0, -1, 0], [0, 0, 0.04]]), points, { scaling: 'none' });
    expect(Array.from(result.points.singularValues.subarray(0, 3))).toEqual([expect.closeTo(2, 14), expect.closeTo(1, 14), expect.closeTo(0.04, 14)]);
    for (let p = 0; p < 5; p++) {
      expect(result.points.condRaw[p]).toBeCloseTo(50, 10);
      expect(result.points.condStandardized[p]).toBeCloseTo(50, 10);
      expect(result.points.rank[p]).toBe(3);
    }
    expect(result.summary.verdictShares['locally-invertible']).toEqual({ count: 5, share: 1 });
    expect(result.summary.rankHistogram.map((bin) => bin.count)).toEqual([0, 0, 0, 5]);
  });

  it('cond 1000 is ill-conditioned; a custom threshold of 2000 makes it invertible', () => {
    const model = linearModel([[1, 0, 0], [0, 0.5, 0], [0, 0, 0.001]]);
    const result = analyzeInvertibility(model, points, { scaling: 'none' });
    expect(result.summary.verdictShares['ill-conditioned'].count).toBe(5);
    expect(result.summary.thresholds.illConditioned).toBe(DEFAULT_ILL_CONDITIONED);
    expect(result.summary.thresholds.rules['ill-conditioned']).toContain('> 100');
    expect(result.summary.condQuantiles.standardized[4]).toBeCloseTo(1000, 8);
    expect(analyzeInvertibility(model, points, { scaling: 'none', illConditioned: 2000 }).summary.verdictShares['locally-invertible'].count).toBe(5);
  });

  it('a rank-2 3×3 map is singular with infinite cond; rank matches ml-matrix', () => {
    const a = [[1, 2, 3], [2, 4, 6], [1, 0, 1]];
    const result = analyzeInvertibility(linearModel(a), points, { scaling: 'none' });
    expect(new SingularValueDecomposition(new ReferenceMatrix(a)).rank).toBe(2);
    expect(Array.from(result.points.rank)).toEqual([2, 2, 2, 2, 2]);
    expect(result.points.condRaw[0]).toBe(Infinity);
    expect(result.summary.verdictShares.singular.share).toBe(1);
    expect(result.summary.condQuantiles.standardized[4]).toBe(Infinity);
    expect(result.summary.message).toMatch(/100% singular/);
  });

  it('4×7 (the blast-furnace shape): full row rank 4, singular values equal ml-matrix', () => {
    const a = randomMatrix(4, 7, 3);
    const result = analyzeInvertibility(linearModel(a), randomMatrix(3, 7, 4), { scaling: 'none' });
    const reference = new SingularValueDecomposition(new ReferenceMatrix(a.toArray()), { autoTranspose: true }).diagonal;
    for (let i = 0; i < 4; i++) expect(result.points.singularValues[i]).toBeCloseTo(reference[i], 12);
    expect(result.points.condRaw[0]).toBeCloseTo(reference[0] / reference[3], 10);
    expect(result.summary.k).toBe(4);
    expect(result.summary.fullRankMeaning).toMatch(/3-dimensional null space/);
  });

  it('rtol decides the numerical rank: σ ratio 1e-9 is full rank by default and rank-deficient at rtol 1e-8', () => {
    const model = linearModel([[1, 0], [0, 1e-9]]);
    const x = randomMatrix(2, 2, 5);
    expect(analyzeInvertibility(model, x, { scaling: 'none' }).points.rank[0]).toBe(2);
    expect(analyzeInvertibility(model, x, { scaling: 'none', rtol: 1e-8 }).points.rank[0]).toBe(1);
  });
});

describe('standardized vs raw condition numbers', () => {
  const a = [[3, 200], [0.01, 1.5]];
  it('training std from meta: cond of diag(1/yStd)·A·diag(xStd) by the 2×2 closed form', () => {
    const xStd = Float64Array.of(40, 0.2), yStd = Float64Array.of(90, 0.05);
    const model = withMeta(linearModel(a), { inputStd: xStd, outputStd: yStd });
    const result = analyzeInvertibility(model, randomMatrix(3, 2, 6));
    const [rawMax, rawMin] = singularValues2x2(3, 200, 0.01, 1.5);
    const s = [[(3 * 40) / 90, (200 * 0.2) / 90], [(0.01 * 40) / 0.05, (1.5 * 0.2) / 0.05]];
    const [stdMax, stdMin] = singularValues2x2(s[0][0], s[0][1], s[1][0], s[1][1]);
    expect(Math.abs(result.points.condRaw[0] / (rawMax / rawMin) - 1)).toBeLessThan(1e-10);
    expect(Math.abs(result.points.condStandardized[0] / (stdMax / stdMin) - 1)).toBeLessThan(1e-10);
    expect(result.scaling.inputSource).toBe('training');
    expect(result.summary.scaling.description).toMatch(/training std/);
  });

  it("without training std the points' own std scales x and y = f(x)", () => {
    const model = linearModel(a);
    const x = randomMatrix(200, 2, 7, 3);
    const result = analyzeInvertibility(model, x);
    const y = model.forward(x);
    const sx = columnStdPlain(x), sy = columnStdPlain(y);
    const [stdMax, stdMin] = singularValues2x2((3 * sx[0]) / sy[0], (200 * sx[1]) / sy[0], (0.01 * sx[0]) / sy[1], (1.5 * sx[1]) / sy[1]);
    expect(Math.abs(result.points.condStandardized[0] / (stdMax / stdMin) - 1)).toBeLessThan(1e-9);
    expect(result.scaling.inputSource).toBe('points');
    expect(result.scaling.outputSource).toBe('points');
    expect(result.message).toMatch(/analysed points' std/);
  });

  it('the verdict follows the standardized cond, not the raw one', () => {
    // Raw cond ≈ 1e4 only from units (x2 in 0.01-units): standardized it is well conditioned.
    const model = withMeta(linearModel([[1, 0], [0, 100]]), { inputStd: Float64Array.of(100, 1), outputStd: Float64Array.of(100, 100) });
    const result = analyzeInvertibility(model, randomMatrix(4, 2, 8));
    expect(result.points.condRaw[0]).toBeCloseTo(100, 8);
    expect(result.points.condStandardized[0]).toBeCloseTo(1, 10);
    expect(result.summary.verdictShares['locally-invertible'].count).toBe(4);
  });
});

describe('one-step check ‖f(x + J⁺Δy) − (y + Δy)‖', () => {
  it('is zero (to rounding) for a linear map of full row rank, and the step is ml-matrix pinv·Δy', () => {
    const a = randomMatrix(2, 3, 9);
    const deltaY = Float64Array.of(0.3, -1.2);
    const x = randomMatrix(6, 3, 10);
    const result = analyzeInvertibility(linearModel(a, [1, 2]), x, { scaling: 'none', deltaY });
    for (const error of result.points.oneStepError!) expect(error).toBeLessThan(1e-13 * 1.24);
    expect(result.summary.oneStep!.deltaYNorm).toBeCloseTo(Math.hypot(0.3, 1.2), 14);
    expect(result.summary.oneStep!.method).toBe('exact');
    // the step itself
    const step = pseudoInverse(new ReferenceMatrix(a.toArray())).mmul(ReferenceMatrix.columnVector([0.3, -1.2])).to1DArray();
    const moved = a.toArray().map((row) => row.reduce((sum, value, j) => sum + value * step[j], 0));
    expect(moved[0]).toBeCloseTo(0.3, 12);
    expect(moved[1]).toBeCloseTo(-1.2, 12);
  });

  it('for a rank-deficient map the error is the part of Δy outside the range of A', () => {
    // Range of A = span{(1, 2)}; Δy = (2, -1) is orthogonal to it, so nothing of it is reachable.
    const model = linearModel([[1, 1], [2, 2]]);
    const x = randomMatrix(3, 2, 11);
    const orthogonal = analyzeInvertibility(model, x, { scaling: 'none', deltaY: Float64Array.of(2, -1) });
    expect(orthogonal.points.oneStepError![0]).toBeCloseTo(Math.sqrt(5), 12);
    const inRange = analyzeInvertibility(model, x, { scaling: 'none', deltaY: Float64Array.of(1, 2) });
    expect(inRange.points.oneStepError![0]).toBeLessThan(1e-14);
  });

  it('is positive for a nonlinear model and shrinks quadratically with the step (second-order error)', () => {
    const arm = planarArm([1, 0.8]);
    const x = Matrix.fromArray([[0.3, 1.1], [1.0, -0.7], [-0.4, 2.0]]);
    const big = analyzeInvertibility(arm, x, { scaling: 'none', deltaY: Float64Array.of(0.02, -0.01) }).points.oneStepError!;
    const small = analyzeInvertibility(arm, x, { scaling: 'none', deltaY: Float64Array.of(0.01, -0.005) }).points.oneStepError!;
    for (let p = 0; p < 3; p++) {
      expect(big[p]).toBeGreaterThan(1e-8);
      expect(big[p] / small[p]).toBeGreaterThan(3.6);
      expect(big[p] / small[p]).toBeLessThan(4.4);
    }
  });

  it('deltaY of the wrong length is a typed error naming the outputs', () => {
    expect(() => analyzeInvertibility(planarArm([1, 1]), Matrix.fromArray([[0, 1]]), { deltaY: Float64Array.of(1, 2, 3) })).toThrow(/deltaY has 3 entries but the model has 2 outputs \(x, y\)/);
  });
});

describe('input checks', () => {
  it('wrong column count, NaN and bad options are InversaErrors with specifics', () => {
    const model = linearModel([[1, 0], [0, 1]]);
    expect(() => analyzeInvertibility(model, new Matrix(2, 3))).toThrow(/N×2 Matrix \(inputs x1, x2\), got 2×3/);
    const bad = Matrix.fromArray([[1, 2], [3, 4]]);
    bad.data[3] = NaN;
    expect(() => analyzeInvertibility(model, bad)).toThrow(InversaError);
    expect(() => analyzeInvertibility(model, bad)).toThrow(/row 1, column 1/);
    expect(() => analyzeInvertibility(model, Matrix.fromArray([[1, 2]]), { rtol: 2 })).toThrow(/rtol must be a number in \(0, 1\)/);
    expect(() => analyzeInvertibility(model, Matrix.fromArray([[1, 2]]), { illConditioned: 0.5 })).toThrow(/illConditioned/);
  });
});

describe('MLP: per-point results agree with ml-matrix SVDs of the model Jacobians', () => {
  it('tanh 7→16→16→4 with scalings, 50 points', () => {
    const spec = randomMlpSpec({ inputs: 7, outputs: 4, hidden: [16, 16], scaling: true, seed: 21 });
    const model = new MlpModel(spec);
    const x = new Matrix(50, 7, randomPoints(spec, 50, 22));
    const result = analyzeInvertibility(model, x, { chunkRows: 16 });
    const jacobian = model.jacobian(x);
    for (let p = 0; p < 50; p += 7) {
      const raw = new SingularValueDecomposition(new ReferenceMatrix(jacobian.view(p).toArray()), { autoTranspose: true }).diagonal;
      const scaled = jacobian.view(p).toArray().map((row, i) => row.map((value, j) => (value * spec.inputScaling!.std[j]) / spec.outputScaling!.std[i]));
      const standardized = new SingularValueDecomposition(new ReferenceMatrix(scaled), { autoTranspose: true }).diagonal;
      expect(Math.abs(result.points.condRaw[p] / (raw[0] / raw[3]) - 1)).toBeLessThan(1e-9);
      expect(Math.abs(result.points.condStandardized[p] / (standardized[0] / standardized[3]) - 1)).toBeLessThan(1e-9);
    }
  });
});
