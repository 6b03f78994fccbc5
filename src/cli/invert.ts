// `inversa invert MODEL --targets TARGETS.csv [...]`: solve f(x) = y* for every row of a targets CSV
// and write the solutions (CSV) with a summary (text or --json). A thin shell over solve() and
// solveTrajectory(): names and bounds default to the model metadata; a progress bar appears on
// stderr only when stderr is a terminal; output files are written atomically. Targets are streamed
// in chunks (solved chunk by chunk, rows written as they are solved), so millions of targets run in
// bounded memory unless --json (which prints every result) or --trajectory (one warm-started chain)
// asks for all of them at once.
import { readFile } from 'node:fs/promises';
import { assertRegularFile } from '../common/input-file.ts';
import { checkWithinLimit } from '../common/limits.ts';
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { InvalidArgumentError, ShapeError } from '../linalg/errors.ts';
import { Matrix } from '../linalg/matrix.ts';
import type { Model } from '../model/model.ts';
import { parseNumberList, readNumericCsv, streamNumericCsv } from '../data/csv.ts';
import { loadModelFile } from '../onnx/load.ts';
import { openAtomicWriter, writeFileAtomic, type AtomicFileWriter } from '../common/atomic.ts';
import { stringifyJson } from '../common/json.ts';
import { textTable } from '../report/table.ts';
import { SOLVE_METHODS, type SolveMethod, type SolveOptions } from '../solve/options.ts';
import type { TargetsInput } from '../solve/problem.ts';
import type { SolveResult } from '../solve/result.ts';
import { solve, summaryMessage, type SolveSummary } from '../solve/solve.ts';
import { solveTrajectory } from '../solve/trajectory.ts';
import { UsageError } from './main.ts';

/** Rows shown in the text summary (the CSV has all of them). */
const SHOWN_ROWS = 20;
/** Show a progress bar from this many targets on. */
const PROGRESS_MIN_TARGETS = 50;
/** Targets solved per chunk when streaming (each chunk is one batched solve). */
const TARGET_CHUNK_ROWS = 4096;
/** At most this many iterations per target: nio runs all of them (1e6 on a 3→8→2 MLP, 3 targets: 25 s, noisy shared machine). */
const MAX_ITERATIONS = 1_000_000;
/** At most this many starts per target (each is a full solve; distinct solutions are compared pairwise). */
const MAX_STARTS = 10_000;
/** Working memory of one (target, start) row of a batched solve, generously: x, f, J, JᵀJ and copies. */
function solveRowBytes(n: number, m: number): number {
  return 8 * (6 * n + 6 * m + 3 * n * m + 2 * n * n) + 256;
}
const BY_POSITION_HINT = 'to take the columns in order instead, pass --by-position';

interface InvertCliOptions {
  targets: string;
  method: string;
  start?: string;
  starts?: string;
  lower?: string;
  upper?: string;
  bounds?: string;
  cost?: string;
  reference?: string;
  band?: boolean;
  trajectory?: boolean;
  smoothness?: string;
  seed?: string;
  maxIterations?: string;
  tolerance?: string;
  proposer?: string;
  out?: string;
  json?: boolean;
  byPosition?: boolean;
}

export function register(program: Command): void {
  program
    .command('invert')
    .description('find inputs x with f(x) = y* for each target row (lm, gauss-newton, min-norm, jacobian-transpose, nio, inverse-net)')
    .argument('<model>', 'forward model (.onnx)')
    .requiredOption('--targets <file>', 'CSV of targets, one row per target (columns named like the model outputs, or in output order)')
    .option('--method <name>', `one of ${SOLVE_METHODS.join(', ')}`, 'lm')
    .option('--start <file>', 'CSV of start points: one row for all targets, or one row per target')
    .option('--starts <K>', 'K seeded Latin-hypercube starts per target; all distinct solutions are written')
    .option('--lower <values>', 'lower bounds, comma-separated, one per input')
    .option('--upper <values>', 'upper bounds, comma-separated, one per input')
    .option('--bounds <file>', 'JSON bounds: {"lower": [..], "upper": [..]} or {"<input>": [lo, hi], ...}')
    .option('--cost <prices>', 'secondary objective: minimize pᵀx on the solution set (one price per input)')
    .option('--reference <values>', 'secondary objective: stay closest to this operating point')
    .option('--band', 'targets are bands: columns <output>_lower and <output>_upper (or lower,upper pairs in output order)')
    .option('--trajectory', 'targets are a sequence y*(t): solve in order with warm starts')
    .option('--smoothness <w>', 'trajectory smoothness weight on ‖x(t) − x(t−1)‖² (default 0)')
    .option('--seed <N>', 'seed of the random starts', '0')
    .option('--max-iterations <N>', 'iteration limit per target')
    .option('--tolerance <rtol>', 'relative residual tolerance (default 1e-10)')
    .option('--proposer <file>', 'inverse network y → x (.onnx) for --method inverse-net')
    .option('--by-position', 'take the columns of --targets/--start in order, even when the header names other columns')
    .option('--out <file>', 'write the solutions as CSV')
    .option('--json', 'print the results as JSON')
    .action(async (modelPath: string, options: InvertCliOptions) => {
      const model = await loadModelFile(modelPath);
      await runInvert(model, options);
    });
}

/** The command body, separated from model loading so it can be reused. */
export async function runInvert(model: Model, options: InvertCliOptions): Promise<void> {
  const method = options.method as SolveMethod;
  if (!SOLVE_METHODS.includes(method)) throw new UsageError(`--method must be one of ${SOLVE_METHODS.join(', ')}; got "${options.method}"`);
  const n = model.inputNames.length;
  const byPosition = options.byPosition === true;
  const band = options.band === true;
  if (options.trajectory && band) throw new UsageError('--trajectory takes point targets, not --band');
  if (!options.trajectory && options.smoothness) throw new UsageError('--smoothness applies only with --trajectory');
  const solveOptions: SolveOptions = { method, seed: integerOption(options.seed ?? '0', '--seed', 0) };
  if (options.bounds) Object.assign(solveOptions, await readBounds(options.bounds, model));
  if (options.lower) solveOptions.lower = parseNumberList(options.lower, '--lower', n);
  if (options.upper) solveOptions.upper = parseNumberList(options.upper, '--upper', n);
  if (options.cost) solveOptions.cost = parseNumberList(options.cost, '--cost', n);
  if (options.reference) solveOptions.reference = parseNumberList(options.reference, '--reference', n);
  if (options.starts) {
    solveOptions.starts = integerOption(options.starts, '--starts', 1);
    checkWithinLimit(solveOptions.starts, '--starts', solveRowBytes(n, model.outputNames.length), MAX_STARTS);
  }
  if (options.maxIterations) {
    solveOptions.maxIterations = integerOption(options.maxIterations, '--max-iterations', 1);
    // Methods such as nio run every iteration: 1e9 would run for hours, so the count is capped.
    checkWithinLimit(solveOptions.maxIterations, '--max-iterations', 0, MAX_ITERATIONS);
  }
  if (options.tolerance) solveOptions.tolerance = positiveOption(options.tolerance, '--tolerance');
  let start: Matrix | undefined;
  if (options.start) {
    if (options.starts) throw new UsageError('give either --start or --starts, not both');
    start = (await readNumericCsv({ path: options.start }, { expectedColumns: n, columns: model.inputNames, byPosition, missingHint: BY_POSITION_HINT })).rows;
  }
  if (options.proposer) solveOptions.proposer = await loadModelFile(options.proposer);
  if (method === 'inverse-net' && !options.proposer) throw new UsageError('--method inverse-net needs --proposer INVERSE.onnx');
  assertRegularFile(options.targets, '--targets');

  const writer = options.out ? openAtomicWriter(options.out) : null;
  let outcome: InvertOutcome;
  try {
    writer?.write(`${solutionsHeader(model)}\n`);
    outcome = options.trajectory
      ? await invertTrajectory(model, options, solveOptions, start, writer)
      : await invertStreaming(model, options, solveOptions, start, writer);
    writer?.commit();
  } catch (error) {
    writer?.abort();
    throw error;
  }
  const { shown, all, solutions, message, warnings } = outcome;
  if (options.json) {
    process.stdout.write(stringifyJson({ message, warnings, results: all, solutions: solutions ?? null }));
    return;
  }
  for (const warning of warnings) process.stderr.write(`inversa: warning: ${warning}\n`);
  process.stdout.write(`${summaryText(model, shown, outcome.count)}\n${message}${options.out ? `\nsolutions written to ${options.out}` : ''}\n`);
}

interface InvertOutcome {
  /** The first SHOWN_ROWS results (for the text table). */
  shown: SolveResult[];
  /** Every result, kept only for --json. */
  all: SolveResult[];
  solutions?: SolveResult[][];
  count: number;
  message: string;
  warnings: string[];
}

/** A progress bar on a terminal, for runs with at least PROGRESS_MIN_TARGETS targets. */
function progressBar(total: number): SingleBar | null {
  if (!process.stderr.isTTY || total < PROGRESS_MIN_TARGETS) return null;
  const bar = new SingleBar({ stream: process.stderr, format: 'solving [{bar}] {value}/{total} targets' });
  bar.start(total, 0);
  return bar;
}

/** Solve chunk by chunk as the targets CSV is read; rows go to `writer` as they are solved. */
async function invertStreaming(model: Model, options: InvertCliOptions, solveOptions: SolveOptions, start: Matrix | undefined, writer: AtomicFileWriter | null): Promise<InvertOutcome> {
  const m = model.outputNames.length, n = model.inputNames.length;
  const band = options.band === true;
  const names = band ? model.outputNames.flatMap((name) => [`${name}_lower`, `${name}_upper`]) : model.outputNames;
  const bar = process.stderr.isTTY ? progressBar(await approximateRows(options.targets)) : null;
  const shown: SolveResult[] = [], all: SolveResult[] = [];
  const allSolutions: SolveResult[][] = [];
  let residuals: Float64Array = new Float64Array(1024);
  const counts: SolveSummary['counts'] = { 'converged': 0, 'max-iterations': 0, 'stalled': 0, 'infeasible-within-bounds': 0 };
  const evaluations = { f: 0, jacobian: 0 };
  const warnings = new Set<string>();
  let multiStart = false, count = 0;
  try {
    await streamNumericCsv({ path: options.targets }, { columns: names, expectedColumns: names.length, byPosition: options.byPosition === true, missingHint: BY_POSITION_HINT, chunkRows: Math.max(1, Math.floor(TARGET_CHUNK_ROWS / (solveOptions.starts ?? 1))) }, (chunk, first) => {
      const targets: TargetsInput = band ? splitBands(chunk, m) : chunk;
      const chunkStart = start && start.rows > 1 ? rowsOf(start, first, chunk.rows, n, options.start!) : start;
      const report = solve(model, targets, { ...solveOptions, start: chunkStart });
      const groups = report.solutions ?? report.results.map((result) => [result]);
      multiStart ||= report.solutions !== undefined;
      for (const [k, result] of report.results.entries()) {
        result.target += first;
        for (const other of groups[k]) if (other !== result) other.target += first;
        if (shown.length < SHOWN_ROWS) shown.push(result);
        if (options.json) all.push(result);
        counts[result.status]++;
        evaluations.f += result.evaluations.f;
        evaluations.jacobian += result.evaluations.jacobian;
        if (count === residuals.length) residuals = growTo(residuals, 2 * count);
        residuals[count++] = result.residualNorm;
      }
      if (options.json && report.solutions) allSolutions.push(...report.solutions);
      writer?.write(solutionsRows(groups, first));
      for (const warning of report.warnings) warnings.add(warning);
      bar?.update(Math.min(count, bar.getTotal()));
    });
  } finally {
    bar?.stop();
  }
  if (start && start.rows > 1 && start.rows !== count) {
    throw new ShapeError(`--start ${options.start} has ${start.rows} rows but there are ${count} targets; give one start row (used for all) or ${count} rows`);
  }
  const sorted = residuals.slice(0, count).sort();
  const summary: SolveSummary = {
    method: solveOptions.method!, targets: count, startsPerTarget: solveOptions.starts ?? 1, counts,
    medianResidual: count ? (sorted[(count - 1) >> 1] + sorted[count >> 1]) / 2 : NaN, maxResidual: count ? sorted[count - 1] : NaN, evaluations,
  };
  return { shown, all, ...(multiStart && options.json ? { solutions: allSolutions } : {}), count, message: summaryMessage(summary), warnings: [...warnings] };
}

/** A trajectory is one warm-started chain: all targets are read and solved together. */
async function invertTrajectory(model: Model, options: InvertCliOptions, solveOptions: SolveOptions, start: Matrix | undefined, writer: AtomicFileWriter | null): Promise<InvertOutcome> {
  const targets = (await readNumericCsv({ path: options.targets }, { expectedColumns: model.outputNames.length, columns: model.outputNames, byPosition: options.byPosition === true, missingHint: BY_POSITION_HINT })).rows;
  const smoothness = options.smoothness ? nonNegativeOption(options.smoothness, '--smoothness') : 0;
  const bar = progressBar(targets.rows);
  let report;
  try {
    report = solveTrajectory(model, targets, { ...solveOptions, ...(start ? { start } : {}), smoothness, onProgress: bar ? (done: number) => bar.update(done) : undefined });
  } finally {
    bar?.stop();
  }
  writer?.write(solutionsRows(report.results.map((result) => [result]), 0));
  return { shown: report.results.slice(0, SHOWN_ROWS), all: report.results, count: report.results.length, message: report.message, warnings: report.warnings };
}

/** Band targets: columns lower, upper per output → {lower, upper}. */
function splitBands(table: Matrix, m: number): TargetsInput {
  const lower = new Matrix(table.rows, m), upper = new Matrix(table.rows, m);
  for (let k = 0; k < table.rows; k++) {
    for (let i = 0; i < m; i++) {
      lower.data[k * m + i] = table.data[k * 2 * m + 2 * i];
      upper.data[k * m + i] = table.data[k * 2 * m + 2 * i + 1];
    }
  }
  return { lower, upper };
}

/** Rows first..first+count of the per-target start matrix. */
function rowsOf(start: Matrix, first: number, count: number, n: number, file: string): Matrix {
  if (first + count > start.rows) throw new ShapeError(`--start ${file} has ${start.rows} rows but there are more targets; give one start row (used for all) or one per target`);
  return new Matrix(count, n, start.data.slice(first * n, (first + count) * n));
}

function growTo(values: Float64Array, length: number): Float64Array {
  const out = new Float64Array(length);
  out.set(values);
  return out;
}

/** Newline count (for a progress bar total only). */
async function approximateRows(path: string): Promise<number> {
  const { createReadStream } = await import('node:fs');
  let lines = 0;
  for await (const chunk of createReadStream(path)) for (const byte of chunk as Buffer) if (byte === 10) lines++;
  return Math.max(0, lines - 1);
}

async function readBounds(path: string, model: Model): Promise<{ lower: Float64Array; upper: Float64Array }> {
  const n = model.inputNames.length;
  let parsed: unknown;
  assertRegularFile(path, '--bounds', 1 << 24);
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as { code?: string }).code) throw error;
    throw new InvalidArgumentError(`--bounds ${path}: not valid JSON (${(error as Error).message})`);
  }
  const lower = new Float64Array(n).fill(-Infinity), upper = new Float64Array(n).fill(Infinity);
  const record = parsed as Record<string, unknown>;
  const numbers = (value: unknown, what: string): number[] => {
    if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'number' && entry !== null)) {
      throw new InvalidArgumentError(`--bounds ${path}: ${what} must be an array of numbers (null for unbounded)`);
    }
    return value as number[];
  };
  if (record && Array.isArray(record.lower) && Array.isArray(record.upper)) {
    const lo = numbers(record.lower, '"lower"'), hi = numbers(record.upper, '"upper"');
    if (lo.length !== n || hi.length !== n) throw new ShapeError(`--bounds ${path}: lower/upper have ${lo.length}/${hi.length} values but the model has ${n} inputs (${model.inputNames.join(', ')})`);
    lo.forEach((value, j) => { if (value !== null) lower[j] = value; });
    hi.forEach((value, j) => { if (value !== null) upper[j] = value; });
    return { lower, upper };
  }
  if (!record || typeof record !== 'object') throw new InvalidArgumentError(`--bounds ${path}: expected {"lower": [..], "upper": [..]} or {"<input>": [lo, hi]}`);
  for (const [name, value] of Object.entries(record)) {
    const j = model.inputNames.indexOf(name);
    if (j < 0) throw new InvalidArgumentError(`--bounds ${path}: "${name}" is not an input of the model (inputs: ${model.inputNames.join(', ')})`);
    const pair = numbers(value, `"${name}"`);
    if (pair.length !== 2) throw new InvalidArgumentError(`--bounds ${path}: "${name}" must be [lower, upper]`);
    if (pair[0] !== null) lower[j] = pair[0];
    if (pair[1] !== null) upper[j] = pair[1];
  }
  return { lower, upper };
}

/** The solutions CSV: one line per solution: target, rank among its distinct solutions, x, f(x), residual, status and diagnostics. */
function solutionsHeader(model: Model): string {
  return ['target', 'solution', ...model.inputNames, ...model.outputNames.map((name) => `f_${name}`), 'residual_norm', 'status', 'iterations', 'rank', 'cond', 'cond_standardized', 'manifold_dimension', 'active_bounds', 'objective', 'in_training_range'].map(csvField).join(',');
}

/** Lines of the solutions CSV for a group of targets; the first group is target number first + 1. */
function solutionsRows(groups: SolveResult[][], first: number): string {
  const lines: string[] = [];
  groups.forEach((group, target) => group.forEach((result, index) => {
    lines.push([
      first + target + 1, index + 1, ...Array.from(result.x, String), ...Array.from(result.y, String), result.residualNorm, result.status, result.iterations,
      result.rank, result.cond.raw, result.cond.standardized, result.manifoldDimension, result.activeBounds.join(' '), result.objective ?? '', result.inTrainingRange,
    ].map((value) => csvField(String(value))).join(','));
  }));
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function summaryText(model: Model, shown: SolveResult[], count: number): string {
  const table = textTable(['target', 'status', '‖f(x) − y*‖', 'iterations', 'rank', 'cond (std)', 'cond (raw)', ...model.inputNames], shown.map((result) => [
    result.target + 1, result.status, result.residualNorm, result.iterations, result.rank, result.cond.standardized, result.cond.raw, ...Array.from(result.x),
  ]));
  const more = count > shown.length ? `\n… ${count - shown.length} more (see --out or --json)` : '';
  const notes = shown.filter((result) => result.status !== 'converged').slice(0, 5).map((result) => `target ${result.target + 1}: ${result.message}`);
  return `${table}${more}${notes.length ? `\n${notes.join('\n')}` : ''}`;
}

function integerOption(text: string, name: string, minimum: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum) throw new UsageError(`${name} must be an integer ≥ ${minimum}, got "${text}"`);
  return value;
}

function positiveOption(text: string, name: string): number {
  const value = Number(text);
  if (!(value > 0) || !Number.isFinite(value)) throw new UsageError(`${name} must be a number > 0, got "${text}"`);
  return value;
}

function nonNegativeOption(text: string, name: string): number {
  const value = Number(text);
  if (!(value >= 0) || !Number.isFinite(value)) throw new UsageError(`${name} must be a number ≥ 0, got "${text}"`);
  return value;
}
