// solve() on every core: the targets are split into contiguous chunks, each chunk is solved by
// solve() in a worker thread (src/io/pool.ts) on a model rebuilt from its portable recipe, and
// the answers are put back in target order. Every target's iteration depends only on its own row
// (batched model calls evaluate rows independently, bitwise), and whatever solve() derives from
// all targets together — the default step cap, start projection warnings — is fixed here, before
// splitting; so the report is the same, byte for byte, for any thread count (test/solve/parallel).
// Runs in the calling thread instead when one thread is asked for, when there are too few targets
// to be worth a worker, or when the model (or an inverse-net proposer) has no portable recipe.
import { Matrix, type MatrixLike, type VectorLike } from '../linalg/index.ts';
import { modelDomain, type Model, portableModel, type PortableModel } from '../model/index.ts';
import { rebuildModel } from '../onnx/index.ts';
import { resolveThreads, runTaskOr } from './pool.ts';
import { resolveBounds, type SolveOptions, parseTargets, scalesFrom, type SolveProblem, type TargetsInput, type SolveResult, solve, type SolveReport, summarize, summaryMessage, targetRangeWarning, latinHypercube, resolveStarts } from '../solve/index.ts';

export interface ParallelOptions {
  /** Worker threads (default: the available cores). Results do not depend on it. */
  threads?: number;
}

/** Below this many targets per thread, workers cost more than they save. */
export const MIN_TARGETS_PER_CHUNK = 32;
/** Chunks per thread (several, so a thread that finishes early takes another). */
const CHUNKS_PER_THREAD = 4;

/** What a worker needs to solve one chunk. */
interface ChunkInput {
  model: PortableModel;
  /** Point targets (rows×m) or band ends; plain data. */
  low: Float64Array;
  high: Float64Array | null;
  rows: number;
  m: number;
  /** Per-target starts of this chunk (rows×n), or undefined: the options' start for all. */
  start: Float64Array | undefined;
  n: number;
  options: SolveOptions;
}

/** solve() with `threads` worker threads; the same report as solve() for any thread count. */
export async function solveParallel(model: Model, targets: TargetsInput, options: SolveOptions & ParallelOptions = {}): Promise<SolveReport> {
  const { threads: threadOption, onProgress, ...solveOptions } = options;
  const started = performance.now();
  const threads = resolveThreads(threadOption);
  const recipe = portableModel(model);
  const parsed = parseTargets(targets, model); // validates with global row numbers before anything is split
  const count = parsed.count, n = model.inputNames.length, m = model.outputNames.length;
  const serial = (): SolveReport => solve(model, targets, options);
  // A given Domain (with its density check) is not plain data: it stays in this thread.
  if (threads === 1 || !recipe || count < 2 * MIN_TARGETS_PER_CHUNK || (solveOptions.method ?? 'lm') === 'inverse-net' || solveOptions.domain) return serial();

  // Fixed before splitting: per-target starts (their projection warnings name global rows) and the step cap.
  const warnings: string[] = [];
  const fixed = fixedBeforeSplitting(model, count, solveOptions, warnings);
  if (warnings.length > 0) return serial(); // the warning counts projected values over all rows: keep it whole
  const perTargetStart = fixed.perTargetStart;
  const startCount = solveOptions.starts ?? 1;
  // The outputs'-range warning counts all targets: once here, not per chunk.
  const rangeWarning = targetRangeWarning(modelDomain(model), parsed.low, parsed.high, count);

  const chunkCount = Math.min(threads * CHUNKS_PER_THREAD, Math.floor(count / MIN_TARGETS_PER_CHUNK));
  const ranges = chunkBounds(count, chunkCount);
  const module = import.meta.url;
  let done = 0;
  const reports = await Promise.all(ranges.map(async ([first, end]) => {
    const input: ChunkInput = {
      model: recipe, rows: end - first, m, n,
      low: parsed.low.slice(first * m, end * m),
      high: parsed.isBand ? parsed.high.slice(first * m, end * m) : null,
      start: perTargetStart?.slice(first * n, end * n),
      // Random starts of target k come from (seed, firstTargetIndex + k): the chunk's first row is global row `first`.
      options: { ...solveOptions, ...(perTargetStart ? { start: undefined } : {}), ...(solveOptions.targetIndices ? { targetIndices: Int32Array.from(solveOptions.targetIndices).subarray(first, end) } : { firstTargetIndex: (solveOptions.firstTargetIndex ?? 0) + first }), checkTargetRange: false },
    };
    // If the worker fails, the chunk is redone here (an error is then thrown as itself; pool.ts counts a worker fault).
    const report = await runTaskOr<ChunkInput, SolveReport>(threads, { module, name: 'solveChunk', input }, () => solveChunkHere(model, input));
    done += end - first;
    onProgress?.(done, count);
    return { first, report };
  }));
  const merged = mergeReports(reports, startCount, (performance.now() - started) / 1000);
  if (rangeWarning) {
    merged.warnings = [rangeWarning, ...merged.warnings];
    for (const result of merged.results) result.warnings.unshift(rangeWarning);
  }
  return merged;
}

/**
 * What solve() derives from all targets together, computed once for all of them so that a subset of
 * the targets (a chunk, a shard) is solved exactly as in the whole run: the resolved per-target starts
 * (when one start row per target was given). The default step cap needs no fixing: it is the box
 * diagonal, or without a finite box a per-row cap from the row's own start (solve.ts defaultMaxStep);
 * random starts come from (seed, global target index) through firstTargetIndex.
 */
export function fixedBeforeSplitting(model: Model, count: number, options: SolveOptions, warnings: string[]): { perTargetStart?: Float64Array; maxStep?: number } {
  const bounds = resolveBounds(model, options);
  const startCount = options.starts ?? 1;
  let perTargetStart: Float64Array | undefined;
  let starts: Float64Array;
  if (startCount > 1) {
    starts = latinHypercube(startCount, model, bounds, options.seed ?? 0);
  } else {
    starts = resolveStarts(model, bounds, count, options.start, warnings);
    if (options.start !== undefined && startRows(options.start) === count && count > 1) perTargetStart = starts;
  }
  void starts;
  return { perTargetStart };
}

/** The module of the chunk tasks, for prewarmPool. */
export const SOLVE_TASK_MODULE = import.meta.url;

/** Worker side: solve one chunk (exported for the pool; not part of the library API). */
export async function solveChunk(input: ChunkInput): Promise<SolveReport> {
  return solveChunkHere(await rebuildModel(input.model), input);
}

/** Solve one chunk with `model` (the worker's rebuilt model, or the caller's own). */
function solveChunkHere(model: Model, input: ChunkInput): SolveReport {
  const low = new Matrix(input.rows, input.m, input.low);
  const targets: TargetsInput = input.high ? { lower: low, upper: new Matrix(input.rows, input.m, input.high) } : low;
  const options: SolveOptions = input.start ? { ...input.options, start: new Matrix(input.rows, input.n, input.start) } : input.options;
  return solve(model, targets, options);
}

function startRows(start: MatrixLike | VectorLike): number {
  if (start instanceof Matrix) return start.rows;
  if (start instanceof Float64Array || typeof start[0] === 'number') return 1;
  return start.length;
}

/** [first, end) of `chunks` contiguous, nearly equal ranges of `count` rows. */
function chunkBounds(count: number, chunks: number): [number, number][] {
  return Array.from({ length: chunks }, (_, c) => [Math.floor((c * count) / chunks), Math.floor(((c + 1) * count) / chunks)] as [number, number]);
}

/** Chunk reports back in target order, target indices made global, summary recomputed over all. */
function mergeReports(parts: { first: number; report: SolveReport }[], startCount: number, seconds: number): SolveReport {
  const results: SolveResult[] = [];
  const solutions: SolveResult[][] | undefined = parts[0].report.solutions ? [] : undefined;
  for (const { first, report } of parts) {
    const shifted = new Set<SolveResult>();
    const shift = (result: SolveResult): void => { if (!shifted.has(result)) { shifted.add(result); result.target += first; } };
    for (const result of report.results) { shift(result); results.push(result); }
    if (solutions && report.solutions) for (const group of report.solutions) { group.forEach(shift); solutions.push(group); }
  }
  const summary = summarize(parts[0].report.summary.method, results, startCount, seconds);
  return { results, solutions, summary, message: summaryMessage(summary, results.map((result) => result.startsTried)), warnings: parts[0].report.warnings };
}
