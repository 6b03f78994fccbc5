// `inversa invert MODEL --targets TARGETS.csv [...]`: solve f(x) = y* for every row of a targets CSV
// and write the solutions (CSV) with a summary (text or --json). A thin shell over solve() and
// solveTrajectory(): names and bounds default to the model metadata; a progress bar appears on
// stderr only when stderr is a terminal; output files are written atomically.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { InvalidArgumentError, ShapeError } from '../linalg/errors.ts';
import { Matrix } from '../linalg/matrix.ts';
import type { Model } from '../model/model.ts';
import { parseNumberList, readNumericCsv } from '../io/csv.ts';
import { loadModelFile } from '../io/model-file.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { modelDomain } from '../model/domain.ts';
import { stringifyJson } from '../common/json.ts';
import { textTable } from '../report/table.ts';
import { SOLVE_METHODS, type SolveMethod, type SolveOptions } from '../solve/options.ts';
import type { TargetsInput } from '../solve/problem.ts';
import type { SolveResult } from '../solve/result.ts';
import { summarize, type SolveReport } from '../solve/solve.ts';
import { fixedBeforeSplitting, SOLVE_TASK_MODULE, solveParallel } from '../io/solve-parallel.ts';
import { prewarmPool, resolveThreads } from '../io/pool.ts';
import { parseShard, parseThreads, shardIndices, type Shard } from './parallel-options.ts';
import { solveTrajectoryParallel } from '../io/trajectory-parallel.ts';
import { UsageError } from './main.ts';

/** Rows shown in the text summary (the CSV has all of them). */
const SHOWN_ROWS = 20;
/** Show a progress bar from this many targets on. */
const PROGRESS_MIN_TARGETS = 50;

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
  segmentLength?: string;
  seed?: string;
  maxIterations?: string;
  tolerance?: string;
  proposer?: string;
  out?: string;
  json?: boolean;
  data?: string;
  maxStarts?: string;
  nearest?: boolean;
  threads?: string;
  shard?: string;
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
    .option('--segment-length <L>', 'trajectory: cut it into independent segments of L steps, each cold-started (changes the answer; the segments run on --threads)')
    .option('--seed <N>', 'seed of the random starts', '0')
    .option('--max-iterations <N>', 'iteration limit per target')
    .option('--tolerance <rtol>', 'relative residual tolerance (default 1e-10)')
    .option('--proposer <file>', 'inverse network y → x (.onnx) for --method inverse-net')
    .option('--data <file>', 'training data CSV (input columns, optionally output columns, by name): training range, density check of each answer, output range of the targets')
    .option('--max-starts <N>', 'escalation budget: most starts per target when the first does not converge (default 16; 1 = no escalation)')
    .option('--no-nearest', 'return the point the iteration reached instead of the solution nearest to the reference / training mean / box centre')
    .option('--out <file>', 'write the solutions as CSV')
    .option('--json', 'print the results as JSON')
    .option('--threads <N>', 'worker threads (default: the available cores); results do not depend on it')
    .option('--shard <K/N>', 'solve only the targets with row index ≡ K (mod N), K = 0…N−1; join the N --out files with `inversa merge`')
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
  const threads = parseThreads(options.threads);
  if (!options.trajectory) prewarmPool(resolveThreads(threads), [SOLVE_TASK_MODULE], options.targets); // workers start while the files are read
  const targets = await readTargets(model, options.targets, options.band === true);
  const targetCount = 'lower' in targets ? (targets.lower as Matrix).rows : (targets as Matrix).rows;
  const solveOptions: SolveOptions = { method, seed: integerOption(options.seed ?? '0', '--seed', 0) };
  if (options.bounds) Object.assign(solveOptions, await readBounds(options.bounds, model));
  if (options.lower) solveOptions.lower = parseNumberList(options.lower, '--lower', n);
  if (options.upper) solveOptions.upper = parseNumberList(options.upper, '--upper', n);
  if (options.cost) solveOptions.cost = parseNumberList(options.cost, '--cost', n);
  if (options.reference) solveOptions.reference = parseNumberList(options.reference, '--reference', n);
  if (options.starts) solveOptions.starts = integerOption(options.starts, '--starts', 1);
  if (options.maxStarts) solveOptions.maxStarts = integerOption(options.maxStarts, '--max-starts', 1);
  if (options.nearest === false) solveOptions.nearest = false;
  if (options.data) solveOptions.domain = modelDomain(model, await readTrainingData(model, options.data));
  if (options.maxIterations) solveOptions.maxIterations = integerOption(options.maxIterations, '--max-iterations', 1);
  if (options.tolerance) solveOptions.tolerance = positiveOption(options.tolerance, '--tolerance');
  if (options.start) {
    if (options.starts) throw new UsageError('give either --start or --starts, not both');
    solveOptions.start = (await readNumericCsv({ path: options.start }, { expectedColumns: n, ...(await headerColumns(options.start, model.inputNames)) })).rows;
  }
  if (options.proposer) solveOptions.proposer = await loadModelFile(options.proposer);
  const shard = parseShard(options.shard);
  if (shard && !options.out) throw new UsageError('--shard needs --out FILE (the part that `inversa merge` joins)');
  if (shard && options.trajectory) throw new UsageError('--shard does not split a --trajectory (each step starts from the previous one); run it whole');
  if (method === 'inverse-net' && !options.proposer) throw new UsageError('--method inverse-net needs --proposer INVERSE.onnx');

  const bar = process.stderr.isTTY && targetCount >= PROGRESS_MIN_TARGETS ? new SingleBar({ stream: process.stderr, format: 'solving [{bar}] {value}/{total} targets' }) : null;
  bar?.start(targetCount, 0);
  solveOptions.onProgress = bar ? (done: number) => bar.update(options.trajectory ? done : Math.min(done, targetCount)) : undefined;
  let results: SolveResult[], solutions: SolveResult[][] | undefined, message: string, warnings: string[];
  try {
    if (options.trajectory) {
      if (options.band) throw new UsageError('--trajectory takes point targets, not --band');
      const smoothness = options.smoothness ? nonNegativeOption(options.smoothness, '--smoothness') : 0;
      const segmentLength = options.segmentLength ? integerOption(options.segmentLength, '--segment-length', 1) : undefined;
      const report = await solveTrajectoryParallel(model, targets as Matrix, { ...solveOptions, smoothness, segmentLength, threads });
      ({ results, message, warnings } = report);
    } else {
      if (options.smoothness) throw new UsageError('--smoothness applies only with --trajectory');
      if (options.segmentLength) throw new UsageError('--segment-length applies only with --trajectory');
      const report = shard ? await solveShard(model, targets, targetCount, solveOptions, shard, threads) : await solveParallel(model, targets, { ...solveOptions, threads });
      ({ results, solutions, message, warnings } = report);
    }
  } finally {
    bar?.stop();
  }
  const rows = solutions ?? results.map((result) => [result]);
  if (options.out) writeFileAtomic(options.out, solutionsCsv(model, rows));
  // Exit code 1 when any target was not met (the output file is still written); a smoothness
  // trade-off is what --smoothness asks for, not a failure.
  if (results.some((result) => result.status !== 'converged' && result.status !== 'trade-off')) process.exitCode = 1;
  if (options.json) {
    process.stdout.write(stringifyJson({ message, warnings, results, solutions: solutions ?? null }));
    return;
  }
  for (const warning of warnings) process.stderr.write(`inversa: warning: ${warning}\n`);
  process.stdout.write(`${summaryText(model, results)}\n${message}${options.out ? `\nsolutions written to ${options.out}` : ''}\n`);
}

/** Training data: the input columns (by name, else the first n), and the output columns when the header names them all. */
async function readTrainingData(model: Model, path: string): Promise<{ x: Matrix; y?: Matrix }> {
  const n = model.inputNames.length, m = model.outputNames.length;
  const both = await headerColumns(path, [...model.inputNames, ...model.outputNames]);
  if (both.columns) {
    const table = (await readNumericCsv({ path }, { expectedColumns: n + m, columns: both.columns })).rows;
    const x = new Matrix(table.rows, n), y = new Matrix(table.rows, m);
    for (let k = 0; k < table.rows; k++) {
      x.data.set(table.data.subarray(k * (n + m), k * (n + m) + n), k * n);
      y.data.set(table.data.subarray(k * (n + m) + n, (k + 1) * (n + m)), k * m);
    }
    return { x, y };
  }
  const inputs = await headerColumns(path, model.inputNames);
  if (!inputs.columns) throw new UsageError(`--data ${path}: the header must name the model's inputs (${model.inputNames.join(', ')}), and optionally its outputs (${model.outputNames.join(', ')})`);
  return { x: (await readNumericCsv({ path }, { expectedColumns: n, columns: inputs.columns })).rows };
}

/**
 * The targets of one shard (row index ≡ K mod N), solved exactly as in the whole run (starts and
 * step cap fixed over all targets first), with target indices of the whole file.
 */
async function solveShard(model: Model, targets: TargetsInput, count: number, options: SolveOptions, shard: Shard, threads: number | undefined): Promise<SolveReport> {
  const rows = shardIndices(count, shard);
  const fixed = fixedBeforeSplitting(model, count, options, []);
  const n = model.inputNames.length;
  const subset = (matrix: Matrix): Matrix => {
    const out = new Matrix(rows.length, matrix.cols);
    rows.forEach((row, k) => out.data.set(matrix.data.subarray(row * matrix.cols, (row + 1) * matrix.cols), k * matrix.cols));
    return out;
  };
  const shardTargets: TargetsInput = 'lower' in targets
    ? { lower: subset(targets.lower as Matrix), upper: subset(targets.upper as Matrix) }
    : subset(targets as Matrix);
  // Random starts of a target come from (seed, its row in the whole file): pass the global rows.
  const shardOptions: SolveOptions = { ...options, maxStep: options.maxStep ?? fixed.maxStep, targetIndices: Int32Array.from(rows) };
  if (fixed.perTargetStart) shardOptions.start = subset(new Matrix(count, n, fixed.perTargetStart));
  if (rows.length === 0) return { results: [], solutions: options.starts ? [] : undefined, summary: summarize(options.method ?? 'lm', [], options.starts ?? 1, 0), message: `shard ${shard.index}/${shard.count}: no targets`, warnings: [] };
  const report = await solveParallel(model, shardTargets, { ...shardOptions, threads });
  const seen = new Set<SolveResult>();
  const renumber = (result: SolveResult): void => { if (!seen.has(result)) { seen.add(result); result.target = rows[result.target]; } };
  report.results.forEach(renumber);
  report.solutions?.forEach((group) => group.forEach(renumber));
  return report;
}

/** Targets as a Matrix (N×m) or bands; columns by output name when the file has a header. */
async function readTargets(model: Model, path: string, band: boolean): Promise<TargetsInput> {
  const m = model.outputNames.length;
  if (!band) {
    return (await readNumericCsv({ path }, { expectedColumns: m, ...(await headerColumns(path, model.outputNames)) })).rows;
  }
  const names = model.outputNames.flatMap((name) => [`${name}_lower`, `${name}_upper`]);
  const table = (await readNumericCsv({ path }, { expectedColumns: 2 * m, ...(await headerColumns(path, names)) })).rows;
  const lower = new Matrix(table.rows, m), upper = new Matrix(table.rows, m);
  for (let k = 0; k < table.rows; k++) {
    for (let i = 0; i < m; i++) {
      lower.data[k * m + i] = table.data[k * 2 * m + 2 * i];
      upper.data[k * m + i] = table.data[k * 2 * m + 2 * i + 1];
    }
  }
  return { lower, upper };
}

/** Select columns by name when the file's header names all of them; otherwise take the columns in order. */
async function headerColumns(path: string, names: readonly string[]): Promise<{ columns?: readonly string[] }> {
  const text = await readFile(path, 'utf8');
  const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== '' && !line.trimStart().startsWith('#')) ?? '';
  const cells = firstLine.split(',').map((cell) => cell.trim().replace(/^"|"$/g, ''));
  return names.every((name) => cells.includes(name)) ? { columns: names } : {};
}

async function readBounds(path: string, model: Model): Promise<{ lower: Float64Array; upper: Float64Array }> {
  const n = model.inputNames.length;
  let parsed: unknown;
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

/** One line per solution: target, rank among its distinct solutions, x, f(x), residual, status and diagnostics. */
function solutionsCsv(model: Model, groups: SolveResult[][]): string {
  const header = ['target', 'solution', ...model.inputNames, ...model.outputNames.map((name) => `f_${name}`), 'residual_norm', 'status', 'reason', 'cost', 'optimality', 'iterations', 'rank', 'cond', 'cond_standardized', 'cond_basis', 'manifold_dimension', 'active_bounds', 'objective', 'in_training_range', 'domain_basis', 'starts_tried'];
  const lines = [header.map(csvField).join(',')];
  groups.forEach((group) => group.forEach((result, index) => {
    lines.push([
      result.target + 1, index + 1, ...Array.from(result.x, String), ...Array.from(result.y, String), result.residualNorm, result.status, result.reason, result.cost, result.optimality, result.iterations,
      result.rank, result.cond.raw, result.cond.standardized, result.cond.basis, result.manifoldDimension, result.activeBounds.join(' '), result.objective ?? '', result.inTrainingRange ?? 'unknown', result.domainBasis, result.startsTried,
    ].map((value) => csvField(String(value))).join(','));
  }));
  return `${lines.join('\n')}\n`;
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function summaryText(model: Model, results: SolveResult[]): string {
  const shown = results.slice(0, SHOWN_ROWS);
  const table = textTable(['target', 'status', '‖f(x) − y*‖', 'iterations', 'rank', 'cond (std)', 'cond (raw)', ...model.inputNames], shown.map((result) => [
    result.target + 1, result.status, result.residualNorm, result.iterations, result.rank, result.cond.standardized, result.cond.raw, ...Array.from(result.x),
  ]));
  const more = results.length > SHOWN_ROWS ? `\n… ${results.length - SHOWN_ROWS} more (see --out or --json)` : '';
  const notes = shown.filter((result) => result.status !== 'converged').slice(0, 5).map((result) => `target ${result.target + 1}: ${result.message}`);
  const inside = results.filter((result) => result.inTrainingRange === true).length, outside = results.filter((result) => result.inTrainingRange === false).length;
  const range = results.length === 0 ? '' : results[0].domainBasis === 'none'
    ? 'inside the training range: unknown (the model carries no operating box or training statistics; give --data train.csv or use inversa annotate)'
    : `inside the training range (${results[0].domainBasis}): ${inside} of ${results.length}${outside ? `, ${outside} outside — extrapolating there` : ''}`;
  const basis = results.length ? `\ncond (std) uses the scales: ${results[0].cond.basis}${results[0].cond.basis === 'none' ? ' (no training std, box or data known: it equals the raw number)' : ''}` : '';
  return `${table}${more}${basis}${notes.length ? `\n${notes.join('\n')}` : ''}${range ? `\n${range}` : ''}`;
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
