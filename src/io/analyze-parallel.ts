// The per-point part of a CSV analysis (Jacobians, their spectra, verdicts) — and, for plain files
// split into text blocks (csv-blocks.ts), the parsing as well — on worker threads. The file is still
// read in order on the calling thread and every chunk's results are added to the accumulators in
// chunk order, so the report is the same, byte for byte, for any thread count; at most 2·threads
// chunks are in flight (memory stays bounded).
import { Matrix } from '../linalg/index.ts';
import { type Model, portableModel, type PortableModel } from '../model/index.ts';
import { rebuildModel } from '../onnx/index.ts';
import { streamNumericCsv } from './csv.ts';
import { movedAnswer } from './pool-answer.ts';
import { runTaskOr } from './pool.ts';
import { type AccumulatedAnalysis, analyzePoints, type Thresholds, type ResolvedScaling } from '../analyze/index.ts';
import type { TextBlock } from './csv-blocks.ts';

/** One chunk of work: points already parsed, or a text block to parse first. */
export type ChunkWork = { firstRow: number; chunk: Matrix } | { firstRow: number; block: TextBlock };

/** How a text block is parsed: exactly like the streamed path parses the file. */
export interface BlockParsing {
  columns: string[] | undefined;
  expectedColumns: number;
  name: string;
}

interface ChunkInput {
  model: PortableModel;
  rows: number;
  cols: number;
  data: Float64Array | null;
  text: string | null;
  parsing: BlockParsing;
  scaling: ResolvedScaling;
  thresholds: Thresholds;
  deltaY: Float64Array | undefined;
}

interface ChunkOutput {
  /** The parsed points, when the input was text. */
  x: Float64Array | null;
  analysis: AccumulatedAnalysis;
}

/** The module of the chunk tasks, for prewarmPool. */
export const ANALYZE_TASK_MODULE = import.meta.url;

/** Parse a text block into its rows×n points (exactly `block.rows`, or an error). */
export async function parseBlock(block: TextBlock, parsing: BlockParsing): Promise<Matrix> {
  let points: Matrix | null = null;
  await streamNumericCsv({ text: block.text }, { ...parsing, chunkRows: block.rows }, (chunk) => {
    if (points) throw new Error(`block ${block.index}: more than ${block.rows} rows`);
    points = chunk;
  });
  const parsed = points as Matrix | null;
  if (!parsed || parsed.rows !== block.rows) throw new Error(`block ${block.index}: expected ${block.rows} rows, parsed ${parsed?.rows ?? 0}`);
  return parsed;
}

/** Worker side: parse (if text) and analyse one chunk; only what the accumulators keep goes back. */
export async function analyzeChunk(input: ChunkInput): Promise<ChunkOutput> {
  const model = await rebuildModel(input.model);
  const x = input.text !== null
    ? await parseBlock({ index: 0, firstRow: 0, rows: input.rows, text: input.text }, input.parsing)
    : new Matrix(input.rows, input.cols, input.data!);
  const analysis = analyzePoints(model, x, input.scaling, input.thresholds, input.deltaY);
  const { count, rank, verdict, condRaw, condStandardized, oneStepError } = analysis;
  const kept = { count, rank, verdict, condRaw, condStandardized, oneStepError };
  const buffers = [rank, verdict, condRaw, condStandardized, oneStepError].filter((array) => array !== undefined).map((array) => array.buffer as ArrayBuffer);
  return movedAnswer({ x: input.text !== null ? x.data : null, analysis: kept }, [...new Set([...buffers, ...(input.text !== null ? [x.data.buffer as ArrayBuffer] : [])])]);
}

/**
 * Feeds chunks to workers and hands their points and analyses to `consume` in chunk order. `add`
 * waits while 2·threads chunks are in flight; `finish` waits for the rest. Null when the model
 * cannot travel.
 */
export function chunkPipeline(
  model: Model, threads: number, scaling: ResolvedScaling, thresholds: Thresholds, deltaY: Float64Array | undefined, parsing: BlockParsing,
  consume: (chunk: Matrix, firstRow: number, analysis: AccumulatedAnalysis) => void,
): { add(work: ChunkWork): Promise<void>; finish(): Promise<void> } | null {
  const recipe = portableModel(model);
  if (!recipe) return null;
  const n = model.inputNames.length;
  const pending: { work: ChunkWork; answer: Promise<ChunkOutput> }[] = [];
  const module = import.meta.url;
  /** The chunk analysed on this thread (when its worker failed). */
  const here = async (work: ChunkWork): Promise<ChunkOutput> => {
    const chunk = 'chunk' in work ? work.chunk : await parseBlock(work.block, parsing);
    return { x: chunk.data, analysis: analyzePoints(model, chunk, scaling, thresholds, deltaY) };
  };
  const drainOne = async (): Promise<void> => {
    const { work, answer } = pending.shift()!;
    const output = await answer;
    const chunk = 'chunk' in work ? work.chunk : new Matrix(work.block.rows, n, output.x!);
    consume(chunk, work.firstRow, output.analysis);
  };
  return {
    async add(work: ChunkWork): Promise<void> {
      const input: ChunkInput = 'chunk' in work
        ? { model: recipe, rows: work.chunk.rows, cols: work.chunk.cols, data: work.chunk.data, text: null, parsing, scaling, thresholds, deltaY }
        : { model: recipe, rows: work.block.rows, cols: n, data: null, text: work.block.text, parsing, scaling, thresholds, deltaY };
      // If the worker fails, the chunk is redone here (an error crossing threads loses its class and
      // the CLI its one-line message; here it is thrown as itself; pool.ts counts a worker fault).
      const answer = runTaskOr<ChunkInput, ChunkOutput>(threads, { module, name: 'analyzeChunk', input }, () => here(work));
      answer.catch(() => undefined); // awaited in order below; avoid an unhandled rejection meanwhile
      pending.push({ work, answer });
      while (pending.length >= 2 * threads) await drainOne();
    },
    async finish(): Promise<void> {
      while (pending.length > 0) await drainOne();
    },
  };
}
