// The per-point part of a CSV analysis (Jacobians, their spectra, verdicts: nearly all the work) on
// worker threads. The file is still read in order on the calling thread and every chunk's results
// are added to the accumulators in chunk order, so the report is the same, byte for byte, for any
// thread count; at most 2·threads chunks are in flight (memory stays bounded).
import { Matrix } from '../linalg/matrix.ts';
import type { Model } from '../model/model.ts';
import { portableModel, type PortableModel } from '../model/portable.ts';
import { rebuildModel } from '../onnx/portable.ts';
import { runTask } from '../common/pool.ts';
import type { AccumulatedAnalysis } from './accumulator.ts';
import { analyzePoints, type Thresholds } from './pointwise.ts';
import type { ResolvedScaling } from './scaling.ts';

interface ChunkInput {
  model: PortableModel;
  rows: number;
  cols: number;
  data: Float64Array;
  scaling: ResolvedScaling;
  thresholds: Thresholds;
  deltaY: Float64Array | undefined;
}

/** The module of the chunk tasks, for prewarmPool. */
export const ANALYZE_TASK_MODULE = import.meta.url;

/** Worker side: the per-point analysis of one chunk (only what the accumulators keep goes back). */
export async function analyzeChunk(input: ChunkInput): Promise<AccumulatedAnalysis> {
  const model = await rebuildModel(input.model);
  const analysis = analyzePoints(model, new Matrix(input.rows, input.cols, input.data), input.scaling, input.thresholds, input.deltaY);
  const { count, rank, verdict, condRaw, condStandardized, oneStepError } = analysis;
  return { count, rank, verdict, condRaw, condStandardized, oneStepError };
}

/**
 * Feeds chunks to workers and hands their analyses to `consume` in chunk order. `add` waits while
 * 2·threads chunks are in flight; `finish` waits for the rest. Null when the model cannot travel.
 */
export function chunkPipeline(
  model: Model, threads: number, scaling: ResolvedScaling, thresholds: Thresholds, deltaY: Float64Array | undefined,
  consume: (chunk: Matrix, firstRow: number, analysis: AccumulatedAnalysis) => void,
): { add(chunk: Matrix, firstRow: number): Promise<void>; finish(): Promise<void> } | null {
  const recipe = portableModel(model);
  if (!recipe) return null;
  const pending: { chunk: Matrix; firstRow: number; analysis: Promise<AccumulatedAnalysis> }[] = [];
  const module = import.meta.url;
  const drainOne = async (): Promise<void> => {
    const head = pending.shift()!;
    consume(head.chunk, head.firstRow, await head.analysis);
  };
  return {
    async add(chunk: Matrix, firstRow: number): Promise<void> {
      const input: ChunkInput = { model: recipe, rows: chunk.rows, cols: chunk.cols, data: chunk.data, scaling, thresholds, deltaY };
      const analysis = runTask<ChunkInput, AccumulatedAnalysis>(threads, { module, name: 'analyzeChunk', input });
      analysis.catch(() => undefined); // awaited in order below; avoid an unhandled rejection meanwhile
      pending.push({ chunk, firstRow, analysis });
      while (pending.length >= 2 * threads) await drainOne();
    },
    async finish(): Promise<void> {
      while (pending.length > 0) await drainOne();
    },
  };
}
