// r̂_T on toys where the answer is computed by hand, and the rule that ranking uses only the
// surrogate: with a surrogate that differs from the true function, T = 1 must score the
// surrogate's favourite (even when the true function would prefer another candidate).
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/core/errors.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { functionModel, linearModel } from '../../src/model/functions.ts';
import type { Model } from '../../src/model/model.ts';
import { BOUNDARY_STDS, drawStarts, repeatRows, runMethod, surrogateObjective, trainingStatistics } from '../../src/apps/benchmark/methods.ts';
import { rankBySurrogate, scoreCandidates, type CandidateSet } from '../../src/apps/benchmark/score.ts';
import { trainingBox } from '../../src/apps/benchmark/runner.ts';
import { Random } from '../../src/linalg/random.ts';

const identity = linearModel([[1]]);

describe('scoreCandidates', () => {
  // Target 0: y* = 0, candidates 0.1, 0.3, −0.2 with surrogate keys 3, 1, 2 → order 0.3, −0.2, 0.1,
  //   true MSEs 0.09, 0.04, 0.01 → best of T: 0.09, 0.04, 0.01.
  // Target 1: y* = 1, candidates 1.5, 1.0, 0.9 with keys 0, 5, NaN (NaN ranks last) → order 1.5, 1.0, 0.9,
  //   true MSEs 0.25, 0, 0.01 → best of T: 0.25, 0, 0.
  const set: CandidateSet = {
    targets: new Matrix(2, 1, Float64Array.of(0, 1)),
    perTarget: 3,
    candidates: Float64Array.of(0.1, 0.3, -0.2, 1.5, 1.0, 0.9),
    surrogateResidual: Float64Array.of(3, 1, 2, 0, 5, NaN),
  };

  it('is the mean over targets of the best true MSE among the T surrogate-best candidates', () => {
    const report = scoreCandidates(identity, set, [1, 2, 3, 5]);
    expect(report.scores.map((score) => score.T)).toEqual([1, 2, 3, 5]);
    expect(report.scores[0].score).toBeCloseTo((0.09 + 0.25) / 2, 14);
    expect(report.scores[1].score).toBeCloseTo((0.04 + 0) / 2, 14);
    expect(report.scores[2].score).toBeCloseTo((0.01 + 0) / 2, 14);
    // T larger than the candidates available: the method is flat beyond K.
    expect(report.scores[3].score).toBeCloseTo(0.005, 14);
    expect(report.scores[3].candidatesUsed).toBe(3);
    expect(report.invalidCandidates).toBe(0);
  });

  it('ranks by the surrogate key, stable, non-finite last', () => {
    expect(Array.from(rankBySurrogate(Float64Array.of(2, NaN, 1, 1, Infinity, 0), 0, 6))).toEqual([5, 2, 3, 0, 1, 4]);
  });

  it('candidates outside the true function\'s domain count as +∞ and are reported', () => {
    const partial = functionModel({
      inputNames: ['x'], outputNames: ['y'],
      evaluate(x, out) {
        if (x[0] < 0) throw new ShapeError('outside the domain');
        out[0] = x[0];
      },
      jacobian(_x, out) { out[0] = 1; },
    });
    const report = scoreCandidates(partial, set, [1, 2]);
    expect(report.invalidCandidates).toBe(1);
    // Target 0 at T = 2: −0.2 (MSE 0.04) is now invalid, so the best of 0.3 and −0.2 is 0.09.
    expect(report.scores[1].score).toBeCloseTo((0.09 + 0) / 2, 14);
    expect(report.message).toContain('1 candidates could not be evaluated');
  });

  it('checks shapes', () => {
    expect(() => scoreCandidates(identity, { ...set, surrogateResidual: new Float64Array(5) }, [1])).toThrow(/expected N·K = 6/);
    expect(() => scoreCandidates(identity, set, [0])).toThrow(/T values must be integers ≥ 1, got 0/);
  });
});

describe('ranking uses only the surrogate', () => {
  // True f(x) = x1 + x2 + 0.5·x1²; surrogate S(x) = x1 + x2 (wrong away from x1 = 0). Every
  // multi-start lm candidate solves S exactly, so the surrogate ranks them by the boundary term
  // alone; the true function would prefer candidates with small x1 instead.
  const trueCalls = { count: 0 };
  const truth: Model = (() => {
    const inner = functionModel({
      inputNames: ['x1', 'x2'], outputNames: ['y'],
      evaluate(x, out) { out[0] = x[0] + x[1] + 0.5 * x[0] * x[0]; },
      jacobian(x, out) { out[0] = 1 + x[0]; out[1] = 1; },
    });
    return { ...inner, forward: (x: Matrix) => { trueCalls.count++; return inner.forward(x); } };
  })();
  const surrogate = linearModel([[1, 1]]);
  const random = new Random(3);
  const trainingInputs = new Matrix(400, 2);
  for (let k = 0; k < trainingInputs.data.length; k++) trainingInputs.data[k] = random.normal(0, 1);
  const trainingOutputs = surrogate.forward(trainingInputs);
  const context = { surrogate, trainingInputs, bounds: trainingBox(trainingInputs), seed: 11, statistics: trainingStatistics(trainingInputs, trainingOutputs) };
  const targets = new Matrix(6, 1, Float64Array.of(-1, -0.5, 0, 0.5, 1, 1.5));

  it('candidates and their ranking keys come from the surrogate alone', () => {
    trueCalls.count = 0;
    const set = runMethod('lm', context, targets, 8);
    expect(trueCalls.count).toBe(0);
    // Keys equal the surrogate objective recomputed here, and the candidates solve the surrogate.
    expect(Array.from(set.surrogateResidual)).toEqual(Array.from(surrogateObjective(surrogate, context.statistics, targets, 8, set.candidates)));
    const y = surrogate.forward(new Matrix(48, 2, set.candidates));
    for (let row = 0; row < 48; row++) expect(Math.abs(y.data[row] - targets.data[Math.floor(row / 8)])).toBeLessThan(1e-8);

    const report = scoreCandidates(truth, set, [1, 8]);
    expect(trueCalls.count).toBe(1); // the true function is used once, for scoring
    // r̂_1 is the true MSE of the surrogate's favourite, computed independently here.
    let expected = 0, oracle = 0;
    for (let i = 0; i < 6; i++) {
      let bestKey = Infinity, pick = -1, bestTrue = Infinity;
      for (let c = 0; c < 8; c++) {
        const row = i * 8 + c;
        const x1 = set.candidates[row * 2], x2 = set.candidates[row * 2 + 1];
        const trueMse = (x1 + x2 + 0.5 * x1 * x1 - targets.data[i]) ** 2;
        if (set.surrogateResidual[row] < bestKey) { bestKey = set.surrogateResidual[row]; pick = row; }
        bestTrue = Math.min(bestTrue, trueMse);
      }
      const x1 = set.candidates[pick * 2], x2 = set.candidates[pick * 2 + 1];
      expected += (x1 + x2 + 0.5 * x1 * x1 - targets.data[i]) ** 2 / 6;
      oracle += bestTrue / 6;
    }
    expect(report.scores[0].score).toBeCloseTo(expected, 14);
    expect(report.scores[1].score).toBeCloseTo(oracle, 14);
    // Ranking by the true function would have scored better at T = 1: the test can tell the two apart.
    expect(report.scores[0].score).toBeGreaterThan(1.5 * oracle);
  });

  it('the boundary term is zero inside ±BOUNDARY_STDS and grows quadratically outside', () => {
    const statistics = { inputMean: Float64Array.of(0), inputStd: Float64Array.of(2), outputStd: Float64Array.of(1) };
    const keys = surrogateObjective(identity, statistics, new Matrix(1, 1, Float64Array.of(0)), 3, Float64Array.of(0, 2 * BOUNDARY_STDS, 2 * BOUNDARY_STDS + 2));
    // x = 0: residual 0; x = 2·k: residual (2k)² and no boundary term; x = 2k + 2 (one std beyond): residual + 1.
    expect(keys[0]).toBe(0);
    expect(keys[1]).toBeCloseTo((2 * BOUNDARY_STDS) ** 2, 12);
    expect(keys[2]).toBeCloseTo((2 * BOUNDARY_STDS + 2) ** 2 + 1, 12);
  });

  it('repeatRows and drawStarts lay out N·K rows target-major, starts taken from the training rows', () => {
    const repeated = repeatRows(new Matrix(2, 1, Float64Array.of(7, 9)), 3);
    expect(Array.from(repeated.data)).toEqual([7, 7, 7, 9, 9, 9]);
    const starts = drawStarts(trainingInputs, 5, 1);
    for (let k = 0; k < 5; k++) {
      const found = Array.from({ length: 400 }, (_, i) => i).some((i) => trainingInputs.data[2 * i] === starts.data[2 * k] && trainingInputs.data[2 * i + 1] === starts.data[2 * k + 1]);
      expect(found).toBe(true);
    }
  });
});
