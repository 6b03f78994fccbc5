// The benchmark score r̂_T of Ren, Padilla & Malof (NeurIPS 2020): for each target y*, a method
// proposes candidates; the T it ranks best *by its surrogate residual alone* are re-simulated with
// the TRUE forward function, and the best of those T counts: MSE(f_true(x̂), y*). r̂_T is the mean of
// that over targets. Ranking by the true function would be cheating (it is not available to a
// method), so this file receives the surrogate residuals and never passes the true model to ranking.
import { ShapeError, checkInteger, checkIntegerList } from '../../core/index.ts';
import { Matrix, mean, median } from '../../linalg/index.ts';
import type { Model } from '../../model/index.ts';

/** K candidates for each of N targets, with the residual each had on the surrogate. */
export interface CandidateSet {
  /** N×m targets y*. */
  targets: Matrix;
  /** Candidates per target (K). */
  perTarget: number;
  /** N·K·n inputs, candidate c of target i at ((i·K) + c)·n. */
  candidates: Float64Array;
  /** N·K surrogate residuals (e.g. ‖F(x̂) − y*‖): the only thing ranking may use. Lower is better. */
  surrogateResidual: Float64Array;
}

export interface TScore {
  T: number;
  /** r̂_T: mean over targets of the best true MSE among the T surrogate-best candidates. */
  score: number;
  median: number;
  /** Candidates actually available per target (min(T, K)): a single-candidate method is flat in T. */
  candidatesUsed: number;
}

export interface ScoreReport {
  scores: TScore[];
  /** True MSE of every candidate (N·K), for plots and checks. */
  trueMse: Float64Array;
  /** Candidates the true function could not evaluate (e.g. outside its physical domain): scored as +∞. */
  invalidCandidates: number;
  message: string;
}

/** Indices 0..K−1 of one target's candidates ordered by surrogate residual (non-finite last, stable). */
export function rankBySurrogate(residuals: Float64Array, offset: number, count: number): Int32Array {
  const order = Int32Array.from({ length: count }, (_, c) => c);
  const key = (c: number) => {
    const value = residuals[offset + c];
    return Number.isFinite(value) ? value : Infinity;
  };
  return order.sort((a, b) => key(a) - key(b) || a - b);
}

/** Mean squared error per candidate under `model`, row by row when a batch call fails. */
export function trueMeanSquaredErrors(model: Model, set: CandidateSet): { mse: Float64Array; invalid: number } {
  const { targets, perTarget: K } = set;
  const n = model.inputNames.length, m = model.outputNames.length;
  const total = targets.rows * K;
  const points = new Matrix(total, n, set.candidates);
  const mse = new Float64Array(total);
  let invalid = 0;
  let outputs: Matrix | null = null;
  try {
    outputs = model.forward(points);
  } catch {
    outputs = null; // some candidate is outside the function's domain: evaluate one by one below
  }
  for (let row = 0; row < total; row++) {
    let y: Float64Array;
    if (outputs) y = outputs.data.subarray(row * m, (row + 1) * m);
    else {
      try {
        y = model.forward(new Matrix(1, n, set.candidates.slice(row * n, (row + 1) * n))).data;
      } catch {
        mse[row] = Infinity;
        invalid++;
        continue;
      }
    }
    const target = Math.floor(row / K);
    let sum = 0;
    for (let j = 0; j < m; j++) {
      const difference = y[j] - targets.data[target * m + j];
      sum += difference * difference;
    }
    mse[row] = Number.isFinite(sum) ? sum / m : Infinity;
    if (!Number.isFinite(sum)) invalid++;
  }
  return { mse, invalid };
}

/** r̂_T for each T in `tValues` (see the file comment). */
export function scoreCandidates(trueModel: Model, set: CandidateSet, tValues: readonly number[]): ScoreReport {
  checkCandidateSet(trueModel, set);
  checkIntegerList(tValues, 'T values', 1);
  const { mse, invalid } = trueMeanSquaredErrors(trueModel, set);
  return { ...scoresFromMse(set, mse, tValues), trueMse: mse, invalidCandidates: invalid, message: invalid > 0 ? `${invalid} candidates could not be evaluated by the true function and count as +∞` : 'all candidates evaluated' };
}

/** The ranking-and-best-of-T step alone, given the true MSE of each candidate. */
export function scoresFromMse(set: CandidateSet, trueMse: Float64Array, tValues: readonly number[]): { scores: TScore[] } {
  const N = set.targets.rows, K = set.perTarget;
  const best = tValues.map(() => new Float64Array(N));
  for (let i = 0; i < N; i++) {
    const order = rankBySurrogate(set.surrogateResidual, i * K, K);
    tValues.forEach((T, t) => {
      let minimum = Infinity;
      for (let r = 0; r < Math.min(T, K); r++) minimum = Math.min(minimum, trueMse[i * K + order[r]]);
      best[t][i] = minimum;
    });
  }
  return {
    scores: tValues.map((T, t) => ({ T, score: mean(best[t]), median: median(best[t]), candidatesUsed: Math.min(T, K) })),
  };
}

function checkCandidateSet(model: Model, set: CandidateSet): void {
  const n = model.inputNames.length, m = model.outputNames.length;
  const N = set.targets.rows, K = set.perTarget;
  if (set.targets.cols !== m) throw new ShapeError(`targets are ${N}×${set.targets.cols} but the true function has ${m} outputs`);
  checkInteger(K, 'perTarget', 1);
  if (set.candidates.length !== N * K * n) throw new ShapeError(`candidates has ${set.candidates.length} values, expected N·K·n = ${N}·${K}·${n} = ${N * K * n}`);
  if (set.surrogateResidual.length !== N * K) throw new ShapeError(`surrogateResidual has ${set.surrogateResidual.length} values, expected N·K = ${N * K}`);
}

