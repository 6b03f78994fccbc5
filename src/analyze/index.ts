// Entry of src/analyze/: invertibility analysis: rank, condition numbers, verdicts, heatmap slices, training-range check.
// Other folders import from this folder only through this file (test/architecture.test.ts), so it
// lists what they use: add a name here when another folder needs it.
export { InvertibilityAccumulator } from './accumulator.ts';
export type { AccumulatedAnalysis, AccumulatorState, InvertibilitySummary } from './accumulator.ts';
export { DomainAccumulator, domainCheck } from './domain.ts';
export type { DomainReport, DomainState } from './domain.ts';
export { DEFAULT_CHUNK_ROWS, analyzeInvertibility } from './invertibility.ts';
export type { InvertibilityAnalysis, InvertibilityOptions } from './invertibility.ts';
export type { LogHistogramBins } from './log-histogram.ts';
export { DEFAULT_ILL_CONDITIONED, VERDICTS, analyzePoints } from './pointwise.ts';
export type { AnalysisOptions, Thresholds } from './pointwise.ts';
export { needsPointSpread, pointSpread, resolveScaling } from './scaling.ts';
export type { ResolvedScaling, ScalingOption } from './scaling.ts';
export { DEFAULT_SLICE_RESOLUTION, conditionSlice, parseSliceInputs } from './slice.ts';
export type { ConditionSlice } from './slice.ts';
