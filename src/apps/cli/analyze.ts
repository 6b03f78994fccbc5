// `inversa analyze MODEL.onnx --points POINTS.csv [--delta-y ...] [--slice x3,x5] [--rtol R]
// [--ill-conditioned C] [--json] [--out report.json] [--html report.html]`: the invertibility
// analysis of seed 001 over a CSV of any size (streamed). A thin shell over src/analyze: parse
// options, load the model, print text or JSON, write the files atomically, and show a progress bar
// on stderr when stderr is a terminal.
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { analyzeCsv, analyzeCsvPart, countLines, type CsvAnalysisOptions, type CsvAnalysisReport, encodePart, ANALYZE_TASK_MODULE, poolUsage, prewarmPool, resolveThreads, peekFirstRecord, parseNumberList, loadModelFile, writeFileAtomic, writeJson } from '../../io/index.ts';
import { parallelUsageSince, parseShard, parseThreads, type Shard } from './parallel-options.ts';
import { analysisHtml, analysisText } from '../../report/index.ts';
import { parseSliceInputs } from '../../analyze/index.ts';
import { stringifyJson, UsageError } from '../../core/index.ts';
import type { Model } from '../../model/index.ts';
import { integerOption, numberOption } from './option-text.ts';

export interface AnalyzeCommandOptions {
  points: string;
  deltaY?: string;
  slice?: string;
  sliceResolution?: string;
  rtol?: string;
  illConditioned?: string;
  json?: boolean;
  out?: string;
  html?: string;
  fallback?: boolean;
  output?: string;
  threads?: string;
  shard?: string;
  chunkRows?: string;
  byPosition?: boolean;
}

function positiveNumber(text: string | undefined, option: string): number | undefined {
  return text === undefined ? undefined : numberOption(text, option, { min: 0, minOpen: true });
}

/** Turn command-line strings into analysis options for this model (bad values → UsageError). */
export function analysisOptions(model: Model, options: AnalyzeCommandOptions): CsvAnalysisOptions {
  const result: CsvAnalysisOptions = {};
  if (options.deltaY !== undefined) result.deltaY = parseNumberList(options.deltaY, '--delta-y', model.outputNames.length);
  if (options.slice !== undefined) result.slice = parseSliceInputs(options.slice, model.inputNames);
  const resolution = positiveNumber(options.sliceResolution, '--slice-resolution');
  if (resolution !== undefined) result.sliceResolution = resolution;
  result.rtol = positiveNumber(options.rtol, '--rtol');
  result.illConditioned = positiveNumber(options.illConditioned, '--ill-conditioned');
  result.threads = parseThreads(options.threads);
  if (options.chunkRows !== undefined) result.chunkRows = integerOption(options.chunkRows, '--chunk-rows', 1);
  if (options.byPosition) result.byPosition = true;
  return result;
}

/** Run the analysis for an already loaded model; returns the exit code (0; errors throw). */
export async function analyzeWithModel(model: Model, options: AnalyzeCommandOptions): Promise<number> {
  const poolBefore = poolUsage();
  const analysis = analysisOptions(model, options);
  prewarmPool(resolveThreads(analysis.threads), [ANALYZE_TASK_MODULE], options.points); // workers start while the file is opened
  const shard = parseShard(options.shard);
  if (shard) return analyzeShard(model, options, analysis, shard);
  let bar: SingleBar | null = null;
  if (process.stderr.isTTY) {
    // Newlines minus the header line: the data rows (comment lines, if any, make this a slight overestimate).
    const first = await peekFirstRecord(options.points);
    const total = Math.max(1, (await countLines(options.points)) - (first?.isHeader ? 1 : 0));
    bar = new SingleBar({ stream: process.stderr, format: 'analyze pass {pass} [{bar}] {percentage}% | {value}/{total} rows | ETA {eta_formatted}', hideCursor: true });
    let currentPass = 0;
    analysis.onProgress = (done, pass, passes) => {
      if (pass !== currentPass) {
        currentPass = pass;
        bar!.stop();
        bar!.start(total, 0, { pass: `${pass}/${passes}` });
      }
      bar!.update(Math.min(done, total));
    };
  }
  let report;
  try {
    report = await analyzeCsv(model, options.points, analysis);
  } finally {
    bar?.stop();
  }
  if (options.out) writeJson(options.out, reportForFile(report));
  if (options.html) writeFileAtomic(options.html, analysisHtml(report));
  // --json on stdout adds `parallel`: where the chunks ran (like `seconds`, not in the --out file).
  if (options.json) process.stdout.write(stringifyJson({ ...report, parallel: parallelUsageSince(poolBefore, resolveThreads(analysis.threads)) }));
  else {
    process.stdout.write(analysisText(report));
    if (options.out) process.stdout.write(`wrote ${options.out}\n`);
    if (options.html) process.stdout.write(`wrote ${options.html}\n`);
  }
  for (const warning of report.warnings) process.stderr.write(`inversa: warning: ${warning}\n`);
  return 0;
}

/**
 * The report as written to --out: without the run time, so the file is the same bytes on every run
 * (and `inversa merge` of shards can reproduce it); --json on stdout keeps `seconds`.
 */
export function reportForFile(report: CsvAnalysisReport): Omit<CsvAnalysisReport, 'seconds'> {
  const { seconds: _seconds, ...rest } = report;
  void _seconds;
  return rest;
}

/** --shard K/N: analyse chunks with index ≡ K (mod N) and write the mergeable part to --out. */
async function analyzeShard(model: Model, options: AnalyzeCommandOptions, analysis: CsvAnalysisOptions, shard: Shard): Promise<number> {
  if (!options.out) throw new UsageError('--shard needs --out PART.json (the part that `inversa merge` joins)');
  if (options.html || options.json) throw new UsageError('--shard writes a part for `inversa merge`; ask for --html or --json there');
  const state = await analyzeCsvPart(model, options.points, analysis, shard);
  writeFileAtomic(options.out, encodePart(state));
  process.stdout.write(`shard ${shard.index}/${shard.count}: ${state.accumulator.count.toLocaleString('en-US')} points analysed in ${state.seconds.toFixed(2)} s; wrote ${options.out} (join the ${shard.count} parts with \`inversa merge\`)\n`);
  return 0;
}

export function register(program: Command): void {
  program
    .command('analyze')
    .description('where is the model invertible? Jacobian rank, singular values and condition numbers (raw and standardized) at every point of a CSV, verdicts, one-step check, log10-cond heatmap')
    .argument('<model>', 'forward model (.onnx)')
    .requiredOption('--points <file.csv>', 'points to analyse: columns named like the model inputs, or exactly one column per input in order')
    .option('--delta-y <values>', 'output change for the one-step check ‖f(x + J⁺Δy) − (y + Δy)‖, comma-separated, one per output (output units)')
    .option('--slice <inputs>', 'two inputs for the log10-cond heatmap, e.g. x3,x5 (names or 1-based positions)')
    .option('--slice-resolution <n>', 'grid points per axis of the heatmap (default 41)')
    .option('--rtol <value>', 'rank cutoff relative to σ_max (default max(m, n)·ε)')
    .option('--ill-conditioned <value>', 'standardized condition number above which a point is ill-conditioned (default 100)')
    .option('--by-position', 'take the columns of --points in order, even when its header names other columns')
    .option('--output <name>', 'graph output to analyse when the model has several (default: the first)')
    .option('--fallback', 'for unsupported operators: approximate Jacobians by central differences via onnxruntime-node (marked approximate)')
    .option('--json', 'print the report as JSON')
    .option('--out <report.json>', 'write the report as JSON')
    .option('--html <report.html>', 'write a self-contained HTML report with the charts')
    .option('--threads <N>', 'worker threads (default: the available cores); the report does not depend on it')
    .option('--chunk-rows <n>', 'rows per chunk: the unit of work of the threads and of --shard (default 8192)')
    .option('--shard <K/N>', 'analyse only the chunks of rows with index ≡ K (mod N), K = 0…N−1, and write a part to --out; `inversa merge` joins the N parts')
    .action(async (modelPath: string, options: AnalyzeCommandOptions) => {
      const model = await loadModelFile(modelPath, { output: options.output, fallback: options.fallback ? 'finite-differences' : undefined });
      process.exitCode = await analyzeWithModel(model, options);
    });
}
