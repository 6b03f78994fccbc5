// Per-point invertibility diagnostics for one batch of points: singular values of the Jacobian in
// raw and in standardized units, numerical rank, condition numbers, a verdict, and optionally the
// one-step check. The verdict uses the standardized Jacobian, because raw condition numbers mostly
// measure the mix of units (seed facts: median ~7,800 raw vs ~8 standardized for the same model).
import { MatrixBatch, Matrix, spectrumBatch, defaultRtol } from '../linalg/index.ts';
import { ShapeError, shapeText, checkNumber, assertFinite } from '../core/index.ts';
import { evaluateWithJacobian, type Model, standardizedJacobian } from '../model/index.ts';
import { oneStepCheck } from './one-step.ts';
import type { ResolvedScaling } from './scaling.ts';

/**
 * Standardized condition number above which a full-rank point is called ill-conditioned: a 1 %
 * relative error in y (a typical surrogate-model error) may then become more than 100 % in x.
 */
export const DEFAULT_ILL_CONDITIONED = 100;

/** The verdicts, in the order of their codes in PointwiseAnalysis.verdict. */
export const VERDICTS = ['locally-invertible', 'ill-conditioned', 'singular'] as const;
export type Verdict = (typeof VERDICTS)[number];
export const VERDICT_LOCALLY_INVERTIBLE = 0;
export const VERDICT_ILL_CONDITIONED = 1;
export const VERDICT_SINGULAR = 2;

export interface AnalysisOptions {
  /** Rank cutoff relative to σ_max (default max(m, n)·ε, as NumPy's matrix_rank). */
  rtol?: number;
  /** Standardized condition number above which a point is ill-conditioned (default DEFAULT_ILL_CONDITIONED). */
  illConditioned?: number;
  /** Output change for the one-step check, in output units (length m). */
  deltaY?: Float64Array;
}

/** The thresholds behind the verdicts, with the rule in words for reports. */
export interface Thresholds {
  rtol: number;
  illConditioned: number;
  /** Which Jacobian the rank and verdict use. */
  basis: 'standardized';
  rules: Record<Verdict, string>;
}

export interface PointwiseAnalysis {
  count: number;
  /** min(m, n): singular values per point (full rank means rank = k). */
  k: number;
  /** N×m model outputs. */
  outputs: Matrix;
  /** N×k singular values of the raw Jacobians, each row descending. */
  singularValues: Float64Array;
  /** N×k singular values of the standardized Jacobians. */
  singularValuesStandardized: Float64Array;
  /** Numerical rank of the standardized Jacobian (σ > rtol·σ_max); the verdict uses this. */
  rank: Int32Array;
  /** Numerical rank of the raw Jacobian. */
  rankRaw: Int32Array;
  /** σ_max/σ_min of the raw Jacobian; Infinity when rank-deficient. */
  condRaw: Float64Array;
  /** σ_max/σ_min of the standardized Jacobian; Infinity when rank-deficient. */
  condStandardized: Float64Array;
  /** Verdict code per point: index into VERDICTS. */
  verdict: Uint8Array;
  /** One-step error ‖f(x + J⁺Δy) − (y + Δy)‖ per point (only with deltaY). */
  oneStepError?: Float64Array;
}

/** Fill in the defaults and check the options against the model's shape. */
export function resolveThresholds(model: Model, options: AnalysisOptions): Thresholds {
  const m = model.outputNames.length, n = model.inputNames.length, k = Math.min(m, n);
  const rtol = options.rtol ?? defaultRtol(m, n);
  checkNumber(rtol, 'rtol', { min: 0, minOpen: true, max: 1, maxOpen: true }, 'a cutoff relative to σ_max');
  const illConditioned = options.illConditioned ?? DEFAULT_ILL_CONDITIONED;
  checkNumber(illConditioned, 'illConditioned', { min: 1 }, 'a condition number');
  if (options.deltaY !== undefined) {
    if (options.deltaY.length !== m) throw new ShapeError(`deltaY has ${options.deltaY.length} entries but the model has ${m} outputs (${model.outputNames.join(', ')})`);
    assertFinite(options.deltaY, 'deltaY');
  }
  return {
    rtol,
    illConditioned,
    basis: 'standardized',
    rules: {
      'locally-invertible': `rank = ${k} and standardized cond ≤ ${illConditioned}`,
      'ill-conditioned': `rank = ${k} and standardized cond > ${illConditioned}`,
      singular: `rank < ${k} (singular values ≤ rtol·σ_max count as zero, rtol = ${rtol.toPrecision(3)})`,
    },
  };
}

/** Verdict code for one point. */
export function verdictCode(rank: number, k: number, condStandardized: number, illConditioned: number): number {
  if (rank < k) return VERDICT_SINGULAR;
  return condStandardized > illConditioned ? VERDICT_ILL_CONDITIONED : VERDICT_LOCALLY_INVERTIBLE;
}

/** Analyse the N points of x (N×n). */
export function analyzePoints(model: Model, x: Matrix, scaling: ResolvedScaling, thresholds: Thresholds, deltaY?: Float64Array): PointwiseAnalysis {
  const n = model.inputNames.length, m = model.outputNames.length;
  if (!(x instanceof Matrix) || x.cols !== n) {
    throw new ShapeError(`points must be an N×${n} Matrix (inputs ${model.inputNames.join(', ')}), got ${x instanceof Matrix ? shapeText(x.rows, x.cols) : typeof x}`);
  }
  assertFinite(x.data, 'points', n);
  const { y, jacobian } = evaluateWithJacobian(model, x);
  return analyzeEvaluated(model, x, y, jacobian, scaling, thresholds, deltaY);
}

/** As analyzePoints, for outputs and Jacobians already computed. */
export function analyzeEvaluated(
  model: Model, x: Matrix, y: Matrix, jacobian: MatrixBatch,
  scaling: ResolvedScaling, thresholds: Thresholds, deltaY?: Float64Array,
): PointwiseAnalysis {
  const count = x.rows;
  const m = jacobian.rows, n = jacobian.cols, k = Math.min(m, n);
  if (count === 0) {
    const empty = new Float64Array(0);
    return { count, k, outputs: y, singularValues: empty, singularValuesStandardized: empty, rank: new Int32Array(0), rankRaw: new Int32Array(0), condRaw: empty, condStandardized: empty, verdict: new Uint8Array(0), oneStepError: deltaY ? empty : undefined };
  }
  const raw = spectrumBatch(jacobian, { rtol: thresholds.rtol });
  const standardized = spectrumBatch(standardizedJacobian(jacobian, scaling.inputStd, scaling.outputStd), { rtol: thresholds.rtol });
  const verdict = new Uint8Array(count);
  for (let p = 0; p < count; p++) verdict[p] = verdictCode(standardized.rank[p], k, standardized.cond[p], thresholds.illConditioned);
  const analysis: PointwiseAnalysis = {
    count, k, outputs: y,
    singularValues: raw.singularValues,
    singularValuesStandardized: standardized.singularValues,
    rank: standardized.rank,
    rankRaw: raw.rank,
    condRaw: raw.cond,
    condStandardized: standardized.cond,
    verdict,
  };
  if (deltaY) analysis.oneStepError = oneStepCheck(model, x, y, jacobian, deltaY, thresholds.rtol).error;
  return analysis;
}
