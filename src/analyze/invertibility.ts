// Invertibility analysis of an in-memory set of points (seed 001): per point the Jacobian's
// singular values, numerical rank, raw and standardized condition numbers, a verdict and the
// optional one-step check; plus the summary (rank histogram, condition-number quantiles and
// histogram, verdict shares with their thresholds). Quantiles here are exact; for files too large
// for memory use InvertibilityAccumulator, which gives the same summary with estimated quantiles.
import { ShapeError, shapeText, assertFinite, checkInteger } from '../core/index.ts';
import { Matrix, sortedQuantile } from '../linalg/index.ts';
import type { Model } from '../model/index.ts';
import { describeSummary, InvertibilityAccumulator, type InvertibilitySummary } from './accumulator.ts';
import type { AnalysisOptions, PointwiseAnalysis } from './pointwise.ts';
import { needsPointSpread, pointSpreadOf, resolveScaling, type ResolvedScaling, type ScalingOption } from './scaling.ts';

export { DEFAULT_ILL_CONDITIONED, VERDICTS, type Verdict, type PointwiseAnalysis, type Thresholds } from './pointwise.ts';
export type { InvertibilitySummary } from './accumulator.ts';

/** Points per internal batch (bounds the Jacobian buffers; results are identical for any value). */
export const DEFAULT_CHUNK_ROWS = 8192;

export interface InvertibilityOptions extends AnalysisOptions {
  /** 'auto' (training std from model.meta, else the points' std), 'none', or explicit scales. */
  scaling?: ScalingOption;
  chunkRows?: number;
  /** How many worst-conditioned points the summary lists. */
  worstPoints?: number;
}

export interface InvertibilityAnalysis {
  points: PointwiseAnalysis;
  summary: InvertibilitySummary;
  scaling: ResolvedScaling;
  status: 'ok' | 'warning';
  message: string;
}

/** Analyse every row of `points` (N×n, model input order). */
export function analyzeInvertibility(model: Model, points: Matrix, options: InvertibilityOptions = {}): InvertibilityAnalysis {
  const n = model.inputNames.length, m = model.outputNames.length;
  if (!(points instanceof Matrix) || points.cols !== n || points.rows === 0) {
    throw new ShapeError(`points must be a non-empty N×${n} Matrix (inputs ${model.inputNames.join(', ')}), got ${points instanceof Matrix ? shapeText(points.rows, points.cols) : typeof points}`);
  }
  assertFinite(points.data, 'points', n);
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  checkInteger(chunkRows, 'chunkRows', 1);
  const scalingOption = options.scaling ?? 'auto';
  const spread = needsPointSpread(model, scalingOption) ? pointSpreadOf(model, points) : undefined;
  const scaling = resolveScaling(model, scalingOption, spread);
  const accumulator = new InvertibilityAccumulator(model, { ...options, scaling });

  const count = points.rows, k = accumulator.k;
  const all: PointwiseAnalysis = {
    count, k,
    outputs: new Matrix(count, m),
    singularValues: new Float64Array(count * k),
    singularValuesStandardized: new Float64Array(count * k),
    rank: new Int32Array(count),
    rankRaw: new Int32Array(count),
    condRaw: new Float64Array(count),
    condStandardized: new Float64Array(count),
    verdict: new Uint8Array(count),
    oneStepError: options.deltaY ? new Float64Array(count) : undefined,
  };
  for (let start = 0; start < count; start += chunkRows) {
    const rows = Math.min(chunkRows, count - start);
    const chunk = new Matrix(rows, n, points.data.subarray(start * n, (start + rows) * n));
    const part = accumulator.add(chunk);
    all.outputs.data.set(part.outputs.data, start * m);
    all.singularValues.set(part.singularValues, start * k);
    all.singularValuesStandardized.set(part.singularValuesStandardized, start * k);
    all.rank.set(part.rank, start);
    all.rankRaw.set(part.rankRaw, start);
    all.condRaw.set(part.condRaw, start);
    all.condStandardized.set(part.condStandardized, start);
    all.verdict.set(part.verdict, start);
    if (all.oneStepError && part.oneStepError) all.oneStepError.set(part.oneStepError, start);
  }

  // Exact quantiles replace the histogram estimates.
  const summary = accumulator.summary();
  const levels = summary.condQuantiles.levels;
  const sortedRaw = Float64Array.from(all.condRaw).sort();
  const sortedStandardized = Float64Array.from(all.condStandardized).sort();
  summary.condQuantiles = {
    method: 'exact', levels,
    raw: levels.map((q) => sortedQuantile(sortedRaw, q)),
    standardized: levels.map((q) => sortedQuantile(sortedStandardized, q)),
  };
  if (summary.oneStep && all.oneStepError) {
    const sortedError = Float64Array.from(all.oneStepError).sort();
    const error = levels.map((q) => sortedQuantile(sortedError, q));
    summary.oneStep = { ...summary.oneStep, method: 'exact', error, relativeError: error.map((value) => value / summary.oneStep!.deltaYNorm) };
  }
  describeSummary(summary);
  return { points: all, summary, scaling, status: summary.status, message: summary.message };
}
