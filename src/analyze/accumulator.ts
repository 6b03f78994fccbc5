// Streaming invertibility summary: feed chunks of points (e.g. from a 1,000,000-row CSV) and get
// the summary in fixed memory — rank and verdict counts, log-scale histograms of the condition
// numbers and one-step errors (quantiles estimated from them), and the few worst-conditioned
// points. Nothing per point is kept, so memory does not grow with the number of points.
import { InvalidArgumentError, formatNumber, formatPercent } from '../core/index.ts';
import { Matrix, norm2 } from '../linalg/index.ts';
import type { Model } from '../model/index.ts';
import { LogHistogram, type LogHistogramBins } from './log-histogram.ts';
import {
  analyzePoints, resolveThresholds, VERDICTS,
  type AnalysisOptions, type PointwiseAnalysis, type Thresholds, type Verdict,
} from './pointwise.ts';
import type { ResolvedScaling } from './scaling.ts';

/** Quantile levels reported for condition numbers and one-step errors. */
export const QUANTILE_LEVELS: readonly number[] = [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1];
/** Condition numbers are ≥ 1; beyond 1/ε ≈ 4.5e15 they carry no information, so 10^0 … 10^17 covers them. */
const COND_LOG10_RANGE = { minLog10: 0, maxLog10: 17 };
/** One-step errors span any scale (0 for linear models); values outside fall into the edge counts. */
const ERROR_LOG10_RANGE = { minLog10: -20, maxLog10: 20 };
/** Histogram resolution: quantile estimates within 10^(1/100) − 1 ≈ 2.3 % relative. */
export const HISTOGRAM_BINS_PER_DECADE = 100;
/** Bins per decade of the display histograms. */
export const DISPLAY_BINS_PER_DECADE = 4;
/** How many worst-conditioned points a summary lists. */
export const DEFAULT_WORST_POINTS = 10;

export interface QuantileTable {
  levels: number[];
  values: number[];
}

export interface WorstPoint {
  /** 0-based index of the point among all points added. */
  row: number;
  x: number[];
  rank: number;
  condStandardized: number;
  condRaw: number;
}

export interface InvertibilitySummary {
  count: number;
  inputNames: string[];
  outputNames: string[];
  /** Jacobian shape m×n and k = min(m, n) (full rank). */
  jacobianShape: [number, number];
  k: number;
  /** What full rank means for this shape (surjective / injective / bijective locally). */
  fullRankMeaning: string;
  /** Counts of the standardized Jacobian's numerical rank, ranks 0..k. */
  rankHistogram: { rank: number; count: number; share: number }[];
  condQuantiles: {
    method: 'exact' | 'histogram-estimate';
    /** For histogram estimates: bound on the relative error of each quantile inside the covered range. */
    relativeResolution?: number;
    levels: number[];
    raw: number[];
    standardized: number[];
  };
  /** log10 histograms (display resolution); singular points are counted under `infinite`. */
  condHistogram: { raw: LogHistogramBins; standardized: LogHistogramBins };
  verdictShares: Record<Verdict, { count: number; share: number }>;
  thresholds: Thresholds;
  scaling: { description: string; inputSource: string; outputSource: string; inputStd: number[]; outputStd: number[] };
  oneStep: null | {
    deltaY: number[];
    deltaYNorm: number;
    method: 'exact' | 'histogram-estimate';
    levels: number[];
    /** ‖f(x + J⁺Δy) − (y + Δy)‖ quantiles, output units. */
    error: number[];
    /** The same divided by ‖Δy‖. */
    relativeError: number[];
  };
  worstPoints: WorstPoint[];
  approximateJacobian: boolean;
  status: 'ok' | 'warning';
  message: string;
}

/** A LogHistogram as plain data. */
export interface HistogramState {
  counts: number[];
  zeros: number;
  below: number;
  above: number;
  infinite: number;
  total: number;
  minimum: number;
  maximum: number;
  minimumPositive: number;
}

/** InvertibilityAccumulator's statistics as plain data. */
export interface AccumulatorState {
  count: number;
  rankCounts: number[];
  verdictCounts: number[];
  condRaw: HistogramState;
  condStandardized: HistogramState;
  oneStepError: HistogramState;
  worst: WorstPoint[];
}

/** The per-point results the accumulator keeps statistics of. */
export type AccumulatedAnalysis = Pick<PointwiseAnalysis, 'count' | 'rank' | 'verdict' | 'condRaw' | 'condStandardized' | 'oneStepError'>;

export interface AccumulatorOptions extends AnalysisOptions {
  /** The scales for standardized units (resolveScaling). */
  scaling: ResolvedScaling;
  /** How many worst-conditioned points to keep (default DEFAULT_WORST_POINTS). */
  worstPoints?: number;
}

export class InvertibilityAccumulator {
  readonly model: Model;
  readonly thresholds: Thresholds;
  readonly scaling: ResolvedScaling;
  readonly deltaY: Float64Array | undefined;
  readonly k: number;
  count = 0;
  readonly rankCounts: Float64Array;
  readonly verdictCounts: Float64Array;
  readonly condRaw = new LogHistogram({ ...COND_LOG10_RANGE, binsPerDecade: HISTOGRAM_BINS_PER_DECADE });
  readonly condStandardized = new LogHistogram({ ...COND_LOG10_RANGE, binsPerDecade: HISTOGRAM_BINS_PER_DECADE });
  readonly oneStepError = new LogHistogram({ ...ERROR_LOG10_RANGE, binsPerDecade: HISTOGRAM_BINS_PER_DECADE });
  private readonly worstLimit: number;
  private readonly worst: WorstPoint[] = [];

  constructor(model: Model, options: AccumulatorOptions) {
    this.model = model;
    this.thresholds = resolveThresholds(model, options);
    this.scaling = options.scaling;
    this.deltaY = options.deltaY;
    this.k = Math.min(model.inputNames.length, model.outputNames.length);
    this.rankCounts = new Float64Array(this.k + 1);
    this.verdictCounts = new Float64Array(VERDICTS.length);
    this.worstLimit = options.worstPoints ?? DEFAULT_WORST_POINTS;
    if (!Number.isInteger(this.worstLimit) || this.worstLimit < 0) throw new InvalidArgumentError(`worstPoints must be a non-negative integer, got ${this.worstLimit}`);
  }

  /** Analyse a chunk of points (rows of x) and add it; returns the chunk's per-point analysis. */
  add(x: Matrix, firstRow = this.count): PointwiseAnalysis {
    const analysis = analyzePoints(this.model, x, this.scaling, this.thresholds, this.deltaY);
    this.addAnalyzed(x, analysis, firstRow);
    return analysis;
  }

  /** Add per-point results computed elsewhere (with this accumulator's thresholds and scaling, e.g. in a worker). */
  addAnalyzed(x: Matrix, analysis: AccumulatedAnalysis, firstRow = this.count): void {
    const first = firstRow;
    for (let p = 0; p < analysis.count; p++) {
      this.rankCounts[analysis.rank[p]]++;
      this.verdictCounts[analysis.verdict[p]]++;
    }
    this.condRaw.addAll(analysis.condRaw);
    this.condStandardized.addAll(analysis.condStandardized);
    if (analysis.oneStepError) this.oneStepError.addAll(analysis.oneStepError);
    this.updateWorst(x, analysis, first);
    this.count += analysis.count;
  }

  /** Keep the worstLimit points of largest standardized cond (earlier rows win ties). */
  private updateWorst(x: Matrix, analysis: AccumulatedAnalysis, first: number): void {
    if (this.worstLimit === 0) return;
    const worst = this.worst;
    for (let p = 0; p < analysis.count; p++) {
      const cond = analysis.condStandardized[p];
      if (worst.length === this.worstLimit && !(cond > worst[worst.length - 1].condStandardized)) continue;
      const entry: WorstPoint = { row: first + p, x: Array.from(x.data.subarray(p * x.cols, (p + 1) * x.cols)), rank: analysis.rank[p], condStandardized: cond, condRaw: analysis.condRaw[p] };
      let position = worst.length;
      while (position > 0 && cond > worst[position - 1].condStandardized) position--;
      worst.splice(position, 0, entry);
      if (worst.length > this.worstLimit) worst.pop();
    }
  }

  /** Everything added so far as plain data (sharded runs write it; `absorb` adds it back exactly). */
  state(): AccumulatorState {
    const histogram = (h: LogHistogram): HistogramState => ({
      counts: Array.from(h.counts), zeros: h.zeros, below: h.below, above: h.above, infinite: h.infinite, total: h.total,
      minimum: h.minimum, maximum: h.maximum, minimumPositive: h.minimumPositive,
    });
    return {
      count: this.count, rankCounts: Array.from(this.rankCounts), verdictCounts: Array.from(this.verdictCounts),
      condRaw: histogram(this.condRaw), condStandardized: histogram(this.condStandardized), oneStepError: histogram(this.oneStepError),
      worst: this.worst.map((point) => ({ ...point, x: [...point.x] })),
    };
  }

  /**
   * Add another accumulator's state (same model and options). Counts and histogram bins are
   * integers, so the order of absorbing does not matter; the worst points are re-ranked by the
   * rule of `add` (larger cond first, earlier row on ties), so the result equals one accumulator
   * that saw all rows.
   */
  absorb(state: AccumulatorState): void {
    const histogram = (h: LogHistogram, s: HistogramState): void => {
      const other = new LogHistogram({ minLog10: h.minLog10, maxLog10: h.maxLog10, binsPerDecade: h.binsPerDecade });
      other.counts.set(s.counts);
      Object.assign(other, { zeros: s.zeros, below: s.below, above: s.above, infinite: s.infinite, total: s.total, minimum: s.minimum, maximum: s.maximum, minimumPositive: s.minimumPositive });
      h.merge(other);
    };
    this.count += state.count;
    state.rankCounts.forEach((count, rank) => { this.rankCounts[rank] += count; });
    state.verdictCounts.forEach((count, code) => { this.verdictCounts[code] += count; });
    histogram(this.condRaw, state.condRaw);
    histogram(this.condStandardized, state.condStandardized);
    histogram(this.oneStepError, state.oneStepError);
    const ranked = [...this.worst, ...state.worst.map((point) => ({ ...point, x: [...point.x] }))]
      .sort((a, b) => (b.condStandardized - a.condStandardized) || (a.row - b.row))
      .slice(0, this.worstLimit);
    this.worst.length = 0;
    this.worst.push(...ranked);
  }

  summary(): InvertibilitySummary {
    const { model, k, count, thresholds } = this;
    const m = model.outputNames.length, n = model.inputNames.length;
    const share = (value: number) => (count > 0 ? value / count : 0);
    const levels = [...QUANTILE_LEVELS];
    const verdictShares = Object.fromEntries(VERDICTS.map((verdict, code) => [verdict, { count: this.verdictCounts[code], share: share(this.verdictCounts[code]) }])) as InvertibilitySummary['verdictShares'];
    let oneStep: InvertibilitySummary['oneStep'] = null;
    if (this.deltaY) {
      const deltaYNorm = norm2(this.deltaY);
      const error = levels.map((q) => this.oneStepError.quantile(q));
      oneStep = { deltaY: Array.from(this.deltaY), deltaYNorm, method: 'histogram-estimate', levels, error, relativeError: error.map((value) => value / deltaYNorm) };
    }
    const summary: InvertibilitySummary = {
      count,
      inputNames: [...model.inputNames],
      outputNames: [...model.outputNames],
      jacobianShape: [m, n],
      k,
      fullRankMeaning: fullRankMeaning(m, n),
      rankHistogram: Array.from(this.rankCounts, (value, rank) => ({ rank, count: value, share: share(value) })),
      condQuantiles: {
        method: 'histogram-estimate',
        relativeResolution: this.condStandardized.relativeResolution,
        levels,
        raw: levels.map((q) => this.condRaw.quantile(q)),
        standardized: levels.map((q) => this.condStandardized.quantile(q)),
      },
      condHistogram: { raw: this.condRaw.coarseBins(DISPLAY_BINS_PER_DECADE), standardized: this.condStandardized.coarseBins(DISPLAY_BINS_PER_DECADE) },
      verdictShares,
      thresholds,
      scaling: {
        description: this.scaling.description,
        inputSource: this.scaling.inputSource,
        outputSource: this.scaling.outputSource,
        inputStd: Array.from(this.scaling.inputStd),
        outputStd: Array.from(this.scaling.outputStd),
      },
      oneStep,
      worstPoints: this.worst.map((point) => ({ ...point, x: [...point.x] })),
      approximateJacobian: model.meta?.approximateJacobian === true,
      status: 'ok',
      message: '',
    };
    return describeSummary(summary);
  }
}

/** What full rank of an m×n Jacobian means for inverting y = f(x) near a point. */
export function fullRankMeaning(m: number, n: number): string {
  if (m === n) return `full rank ${n}: locally one-to-one and onto (a unique local inverse)`;
  if (m < n) return `full row rank ${m}: every small change of y is reachable, but x is not unique (a ${n - m}-dimensional null space of input directions that leave y unchanged)`;
  return `full column rank ${n}: x is locally unique, but only an ${n}-dimensional set of the ${m} outputs is reachable`;
}

/** Set status and the human-readable message from the numbers (also used after exact quantiles replace estimates). */
export function describeSummary(summary: InvertibilitySummary): InvertibilitySummary {
  const { verdictShares, thresholds, k, condQuantiles } = summary;
  const median = condQuantiles.levels.indexOf(0.5);
  const parts = [
    `${summary.count.toLocaleString('en-US')} points`,
    `${formatPercent(verdictShares['locally-invertible'].share)} locally invertible (${thresholds.rules['locally-invertible']})`,
    `${formatPercent(verdictShares['ill-conditioned'].share)} ill-conditioned (cond > ${thresholds.illConditioned})`,
    `${formatPercent(verdictShares.singular.share)} singular (rank < ${k})`,
  ];
  let message = parts.join('; ') + '.';
  if (median >= 0 && summary.count > 0) {
    message += ` Median cond ${formatNumber(condQuantiles.standardized[median])} standardized (${summary.scaling.description}), ${formatNumber(condQuantiles.raw[median])} raw.`;
  }
  if (summary.approximateJacobian) message += ' Jacobians are finite-difference approximations (the model has operators without exact derivatives).';
  const problems = verdictShares['ill-conditioned'].count + verdictShares.singular.count;
  summary.status = problems > 0 || summary.approximateJacobian ? 'warning' : 'ok';
  summary.message = message;
  return summary;
}
