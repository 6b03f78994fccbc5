// The whole analysis of a points CSV of any size, streamed in chunks (memory does not grow with
// the number of rows): columns matched to the model inputs, an optional first pass for the points'
// spread (only when the model carries no training std), then one pass that feeds the invertibility
// accumulator and the training-range check, and finally the condition-number slice.
import { createReadStream } from 'node:fs';
import { ShapeError } from '../linalg/errors.ts';
import { streamNumericCsv } from '../data/csv.ts';
import { ColumnMoments } from '../model/standardize.ts';
import type { Model } from '../model/model.ts';
import { InvertibilityAccumulator, type InvertibilitySummary } from './accumulator.ts';
import { matchColumns, peekFirstRecord, type ColumnMatch } from './columns.ts';
import { DomainAccumulator, type DomainReport } from './domain.ts';
import type { AnalysisOptions } from './pointwise.ts';
import { needsPointSpread, pointSpread, resolveScaling, type ScalingOption } from './scaling.ts';
import { conditionSlice, DEFAULT_SLICE_RESOLUTION, type ConditionSlice } from './slice.ts';
import { DEFAULT_CHUNK_ROWS } from './invertibility.ts';

export interface CsvAnalysisOptions extends AnalysisOptions {
  scaling?: ScalingOption;
  /** Indices of two inputs for the log10-cond heatmap. */
  slice?: [number, number];
  sliceResolution?: number;
  chunkRows?: number;
  /** Take the file's columns in order even when its header names other columns. */
  byPosition?: boolean;
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
  const n = model.inputNames.length, m = model.outputNames.length;
  const first = await peekFirstRecord(path);
  if (!first) throw new ShapeError(`${path}: no data (the file is empty or has only comments and blank lines)`);
  const columns = matchColumns(first.isHeader ? first.record : null, first.record.length, model.inputNames, path, options.byPosition === true);
  const streamOptions = { columns: columns.columns, expectedColumns: n, chunkRows: options.chunkRows ?? DEFAULT_CHUNK_ROWS, name: path };
  const scalingOption = options.scaling ?? 'auto';
  const passes = needsPointSpread(model, scalingOption) ? 2 : 1;

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
  const accumulator = new InvertibilityAccumulator(model, { ...options, scaling });
  const domain = new DomainAccumulator(model);
  const inputMoments = new ColumnMoments(n);
  const low = new Float64Array(n).fill(Infinity), high = new Float64Array(n).fill(-Infinity);
  let done = 0;
  await streamNumericCsv({ path }, streamOptions, (chunk) => {
    accumulator.add(chunk);
    domain.add(chunk);
    inputMoments.add(chunk);
    for (let p = 0; p < chunk.rows; p++) {
      for (let j = 0; j < n; j++) {
        const value = chunk.data[p * n + j];
        if (value < low[j]) low[j] = value;
        if (value > high[j]) high[j] = value;
      }
    }
    done += chunk.rows;
    options.onProgress?.(done, passes, passes);
  });

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
    seconds: (performance.now() - started) / 1000,
    warnings,
    status,
    message: [summary.message, ...(domainReport.warning ? [domainReport.warning] : [])].join(' '),
  };
}
