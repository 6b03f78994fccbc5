// The whole analysis of a points CSV of any size, streamed in chunks (memory does not grow with
// the number of rows): columns matched to the model inputs, an optional first pass for the points'
// spread (only when the model carries no training std), then one pass that feeds the invertibility
// accumulator and the training-range check, and finally the condition-number slice.
import { createReadStream } from 'node:fs';
import { InvalidArgumentError, ShapeError } from '../core/index.ts';
import { streamNumericCsv } from './csv.ts';
import { ColumnMoments, type Model } from '../model/index.ts';
import { type AccumulatedAnalysis, type AccumulatorState, InvertibilityAccumulator, type InvertibilitySummary, DomainAccumulator, type DomainReport, type DomainState, type AnalysisOptions, needsPointSpread, pointSpread, type ResolvedScaling, resolveScaling, type ScalingOption, conditionSlice, type ConditionSlice, DEFAULT_SLICE_RESOLUTION, DEFAULT_CHUNK_ROWS } from '../analyze/index.ts';
import type { Matrix } from '../linalg/index.ts';
import { matchColumns, peekFirstRecord, type ColumnMatch } from './columns.ts';
import { resolveThreads } from './pool.ts';
import { chunkPipeline, parseBlock, type BlockParsing, type ChunkWork } from './analyze-parallel.ts';
import { csvTextBlocks, isPlainCsv } from './csv-blocks.ts';

export interface CsvAnalysisOptions extends AnalysisOptions {
  scaling?: ScalingOption;
  /** Indices of two inputs for the log10-cond heatmap. */
  slice?: [number, number];
  sliceResolution?: number;
  chunkRows?: number;
  /** Take the file's columns in order even when its header names other columns. */
  byPosition?: boolean;
  /** Worker threads for the per-point work (default: the available cores); the report does not depend on it. */
  threads?: number;
  /** Called after every chunk with the rows done so far in this pass and the pass (1 of passes). */
  onProgress?: (rowsDone: number, pass: number, passes: number) => void;
}

export interface CsvAnalysisReport {
  file: string;
  model: { source: string | null; inputNames: string[]; outputNames: string[]; approximateJacobian: boolean };
  columns: ColumnMatch;
  summary: InvertibilitySummary;
  domain: DomainReport;
  slice: (ConditionSlice & { baseFrom: string; boundsFrom: string }) | null;
  /** Passes over the file (2 when the points' spread had to be measured first). */
  passes: number;
  seconds: number;
  warnings: string[];
  status: 'ok' | 'warning';
  message: string;
}

/** Count data lines quickly (for a progress bar total): newline count minus header/comment lines is close enough. */
export async function countLines(path: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(path)) {
    const bytes = chunk as Buffer;
    for (let k = 0; k < bytes.length; k++) if (bytes[k] === 10) lines++;
  }
  return lines;
}

export async function analyzeCsv(model: Model, path: string, options: CsvAnalysisOptions = {}): Promise<CsvAnalysisReport> {
  const started = performance.now();
  const state = await analyzeCsvPart(model, path, options);
  return finishCsvAnalysis(model, [state], options, (performance.now() - started) / 1000);
}

/** Work item K of N: chunks (of chunkRows rows, in file order) whose index ≡ K (mod N). */
export interface ShardSpec {
  index: number;
  count: number;
}

/**
 * The mergeable result of analysing a CSV, or the chunks of one shard of it: plain data (written
 * as JSON by `analyze --shard`), from which finishCsvAnalysis makes exactly the report of one run.
 * Counts and histogram bins are integers (exact in any order); the column moments are kept per
 * chunk and combined in chunk order; min/max and the worst points are order-free.
 */
export interface CsvAnalysisState {
  kind: 'inversa-analyze-part';
  version: 1;
  shard: ShardSpec | null;
  /** The analysis options every part must share (merge checks them). */
  options: PartOptions;
  file: string;
  inputNames: string[];
  outputNames: string[];
  columns: ColumnMatch;
  passes: number;
  chunkRows: number;
  scaling: ResolvedScaling;
  accumulator: AccumulatorState;
  domain: DomainState;
  /** Per analysed chunk, its index in the file and its column moments. */
  moments: { chunk: number; rows: number; mean: number[]; squares: number[] }[];
  low: number[];
  high: number[];
  seconds: number;
}

/** Options that change the numbers; shards of one run must agree on them. */
export interface PartOptions {
  rtol?: number;
  illConditioned?: number;
  deltaY?: number[];
  slice?: [number, number];
  sliceResolution?: number;
}

/** The analysis options stored in a part, and back. */
export function partOptions(options: CsvAnalysisOptions): PartOptions {
  const { rtol, illConditioned, deltaY, slice, sliceResolution } = options;
  return { rtol, illConditioned, deltaY: deltaY ? Array.from(deltaY) : undefined, slice, sliceResolution };
}

export function optionsOfPart(part: CsvAnalysisState): CsvAnalysisOptions {
  const { deltaY, ...rest } = part.options;
  return { ...rest, deltaY: deltaY ? Float64Array.from(deltaY) : undefined };
}

/** Analyse the whole file (shard null) or one shard's chunks; see CsvAnalysisState. */
export async function analyzeCsvPart(model: Model, path: string, options: CsvAnalysisOptions = {}, shard: ShardSpec | null = null): Promise<CsvAnalysisState> {
  const started = performance.now();
  const n = model.inputNames.length, m = model.outputNames.length;
  const first = await peekFirstRecord(path);
  if (!first) throw new ShapeError(`${path}: no data (the file is empty or has only comments and blank lines)`);
  const columns = matchColumns(first.isHeader ? first.record : null, first.record.length, model.inputNames, path, options.byPosition === true);
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  const streamOptions = { columns: columns.columns, expectedColumns: n, chunkRows, name: path };
  const scalingOption = options.scaling ?? 'auto';
  const passes = needsPointSpread(model, scalingOption) ? 2 : 1;
  if (shard && passes === 2) {
    throw new InvalidArgumentError(`${path}: a sharded analysis needs the model's training std in its metadata (standardized units would otherwise come from the spread of ALL points, which one shard does not see)`);
  }

  let spread;
  if (passes === 2) {
    const inputMoments = new ColumnMoments(n), outputMoments = new ColumnMoments(m);
    let done = 0;
    await streamNumericCsv({ path }, streamOptions, (chunk) => {
      inputMoments.add(chunk);
      outputMoments.add(model.forward(chunk));
      done += chunk.rows;
      options.onProgress?.(done, 1, passes);
    });
    spread = pointSpread(inputMoments, outputMoments);
  }
  const scaling = resolveScaling(model, scalingOption, spread);
  const threads = resolveThreads(options.threads);
  const parsing: BlockParsing = { columns: columns.columns, expectedColumns: n, name: path };
  const inShard = (index: number): boolean => !shard || index % shard.count === shard.index;

  /** Pass over the file: plain files as text blocks parsed with the chunks (in workers), others streamed here. */
  const analysisPass = async (blocks: boolean) => {
    const accumulator = new InvertibilityAccumulator(model, { ...options, scaling });
    const domain = new DomainAccumulator(model);
    const moments: CsvAnalysisState['moments'] = [];
    const low = new Float64Array(n).fill(Infinity), high = new Float64Array(n).fill(-Infinity);
    let done = 0;
    // Everything but the per-point analysis (and parsing) is cheap and order-dependent: it stays on this thread.
    const addChunk = (chunk: Matrix, firstRow: number, analysis: AccumulatedAnalysis | null): void => {
      if (analysis) accumulator.addAnalyzed(chunk, analysis, firstRow);
      else accumulator.add(chunk, firstRow);
      domain.add(chunk, firstRow);
      const chunkMoments = ColumnMoments.ofChunk(chunk);
      moments.push({ chunk: Math.floor(firstRow / chunkRows), rows: chunkMoments.rows, mean: Array.from(chunkMoments.mean), squares: Array.from(chunkMoments.squares) });
      for (let p = 0; p < chunk.rows; p++) {
        for (let j = 0; j < n; j++) {
          const value = chunk.data[p * n + j];
          if (value < low[j]) low[j] = value;
          if (value > high[j]) high[j] = value;
        }
      }
      done += chunk.rows;
      options.onProgress?.(done, passes, passes);
    };
    const inProcess = async (work: ChunkWork): Promise<void> => {
      addChunk('chunk' in work ? work.chunk : await parseBlock(work.block, parsing), work.firstRow, null);
    };
    // Workers start with the second chunk: a file of one chunk is analysed here, without their start-up cost.
    const stream = { pipeline: null as ReturnType<typeof chunkPipeline>, held: null as ChunkWork | null, chunks: 0 };
    const take = async (work: ChunkWork): Promise<void> => {
      stream.chunks++;
      if (stream.chunks === 1 && threads > 1) { stream.held = work; return; }
      if (stream.chunks === 2) stream.pipeline = chunkPipeline(model, threads, scaling, accumulator.thresholds, accumulator.deltaY, parsing, addChunk);
      for (const next of stream.held ? [stream.held, work] : [work]) {
        if (stream.pipeline) await stream.pipeline.add(next);
        else await inProcess(next);
      }
      stream.held = null;
    };
    if (blocks) {
      for await (const block of csvTextBlocks(path, chunkRows, first.isHeader, inShard)) await take({ firstRow: block.firstRow, block });
    } else {
      await streamNumericCsv({ path }, streamOptions, async (chunk, firstRow) => {
        if (inShard(Math.floor(firstRow / chunkRows))) await take({ firstRow, chunk });
      });
    }
    if (stream.held) await inProcess(stream.held);
    await stream.pipeline?.finish();
    return { accumulator, domain, moments, low, high };
  };
  // A plain file goes by blocks; if anything fails there, the streamed pass runs instead, so an
  // error is reported exactly as the streamed reader words it (file and line).
  let result;
  if (await isPlainCsv(path)) {
    try {
      result = await analysisPass(true);
    } catch {
      result = await analysisPass(false);
    }
  } else {
    result = await analysisPass(false);
  }
  const { accumulator, domain, moments, low, high } = result;
  return {
    kind: 'inversa-analyze-part', version: 1, shard, options: partOptions(options), file: path,
    inputNames: [...model.inputNames], outputNames: [...model.outputNames],
    columns, passes, chunkRows, scaling,
    accumulator: accumulator.state(), domain: domain.state(), moments,
    low: Array.from(low), high: Array.from(high),
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The report from the states of a whole run or of all shards of one (any order): exactly the
 * report one unsharded run gives, apart from `seconds` (the time given).
 */
export function finishCsvAnalysis(model: Model, parts: CsvAnalysisState[], options: CsvAnalysisOptions, seconds: number): CsvAnalysisReport {
  const n = model.inputNames.length;
  const base = parts[0];
  const accumulator = new InvertibilityAccumulator(model, { ...options, scaling: base.scaling });
  const domain = new DomainAccumulator(model);
  const low = new Float64Array(n).fill(Infinity), high = new Float64Array(n).fill(-Infinity);
  for (const part of parts) {
    accumulator.absorb(part.accumulator);
    domain.absorb(part.domain);
    for (let j = 0; j < n; j++) { low[j] = Math.min(low[j], part.low[j]); high[j] = Math.max(high[j], part.high[j]); }
  }
  const inputMoments = new ColumnMoments(n);
  const chunkMoments = parts.flatMap((part) => part.moments).sort((a, b) => a.chunk - b.chunk);
  for (const chunk of chunkMoments) inputMoments.combine({ rows: chunk.rows, mean: Float64Array.from(chunk.mean), squares: Float64Array.from(chunk.squares) });
  const scaling = base.scaling, columns = base.columns, passes = base.passes, path = base.file;

  const summary = accumulator.summary();
  const domainReport = domain.report();
  let slice: CsvAnalysisReport['slice'] = null;
  if (options.slice) {
    const [i, j] = options.slice;
    const meta = model.meta;
    const baseFromMeta = meta?.inputMean?.length === n;
    const base = baseFromMeta ? Float64Array.from(meta!.inputMean!) : inputMoments.result().mean;
    const boundsFromMeta = meta?.bounds?.lower.length === n && meta.bounds.upper.length === n;
    const range = (index: number): [number, number] => {
      if (boundsFromMeta) return [meta!.bounds!.lower[index], meta!.bounds!.upper[index]];
      // A constant column gets a small symmetric range so the grid is still two-dimensional.
      return high[index] > low[index] ? [low[index], high[index]] : [low[index] - 0.5 * Math.max(1, Math.abs(low[index])), low[index] + 0.5 * Math.max(1, Math.abs(low[index]))];
    };
    const computed = conditionSlice(model, base, i, j, {
      resolution: options.sliceResolution ?? DEFAULT_SLICE_RESOLUTION,
      bounds: [range(i), range(j)],
      rtol: accumulator.thresholds.rtol,
      scaling,
    });
    slice = {
      ...computed,
      baseFrom: baseFromMeta ? 'training mean (model metadata)' : "mean of the analysed points",
      boundsFrom: boundsFromMeta ? 'model operating bounds' : "range of the analysed points",
    };
  }
  const warnings: string[] = [];
  if (columns.note) warnings.push(columns.note);
  if (domainReport.warning) warnings.push(domainReport.warning);
  if (summary.approximateJacobian) warnings.push('Jacobians are finite-difference approximations: every number in this report is approximate.');
  const status = warnings.length > 0 || summary.status === 'warning' ? 'warning' : 'ok';
  return {
    file: path,
    model: { source: model.meta?.source ?? null, inputNames: [...model.inputNames], outputNames: [...model.outputNames], approximateJacobian: summary.approximateJacobian },
    columns,
    summary,
    domain: domainReport,
    slice,
    passes,
    seconds,
    warnings,
    status,
    message: [summary.message, ...(domainReport.warning ? [domainReport.warning] : [])].join(' '),
  };
}
