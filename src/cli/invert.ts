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
import { parseNumberList, readNumericCsv } from '../data/csv.ts';
import { loadModelFile } from '../onnx/load.ts';
import { writeFileAtomic } from '../common/atomic.ts';
import { stringifyJson } from '../common/json.ts';
import { textTable } from '../report/table.ts';
import { SOLVE_METHODS, type SolveMethod, type SolveOptions } from '../solve/options.ts';
import type { TargetsInput } from '../solve/problem.ts';
import type { SolveResult } from '../solve/result.ts';
import { solve } from '../solve/solve.ts';
import { solveTrajectory } from '../solve/trajectory.ts';
import { UsageError } from './main.ts';
import { WorkerSolver } from '../certify/highs-node.ts';

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
  seed?: string;
  maxIterations?: string;
  tolerance?: string;
  proposer?: string;
  out?: string;
  json?: boolean;
  certify?: boolean;
  timeLimit?: string;
  distance?: string;
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
    .option('--certify', 'global answer with a certificate (ReLU-type networks, finite box): optimal, or proved infeasible (MILP, HiGHS)')
    .option('--time-limit <s>', 'with --certify: seconds per MILP')
    .option('--distance <l1|linf>', 'with --certify and --reference: the distance minimized (default l1)')
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
  const targets = await readTargets(model, options.targets, options.band === true);
  const targetCount = 'lower' in targets ? (targets.lower as Matrix).rows : (targets as Matrix).rows;
  const solveOptions: SolveOptions = { method, seed: integerOption(options.seed ?? '0', '--seed', 0) };
  if (options.bounds) Object.assign(solveOptions, await readBounds(options.bounds, model));
  if (options.lower) solveOptions.lower = parseNumberList(options.lower, '--lower', n);
  if (options.upper) solveOptions.upper = parseNumberList(options.upper, '--upper', n);
  if (options.cost) solveOptions.cost = parseNumberList(options.cost, '--cost', n);
  if (options.reference) solveOptions.reference = parseNumberList(options.reference, '--reference', n);
  if (options.starts) solveOptions.starts = integerOption(options.starts, '--starts', 1);
  if (options.maxIterations) solveOptions.maxIterations = integerOption(options.maxIterations, '--max-iterations', 1);
  if (options.tolerance) solveOptions.tolerance = positiveOption(options.tolerance, '--tolerance');
  if (options.start) {
    if (options.starts) throw new UsageError('give either --start or --starts, not both');
    solveOptions.start = (await readNumericCsv({ path: options.start }, { expectedColumns: n, ...(await headerColumns(options.start, model.inputNames)) })).rows;
  }
  if (options.proposer) solveOptions.proposer = await loadModelFile(options.proposer);
  if (method === 'inverse-net' && !options.proposer) throw new UsageError('--method inverse-net needs --proposer INVERSE.onnx');

  const bar = process.stderr.isTTY && targetCount >= PROGRESS_MIN_TARGETS ? new SingleBar({ stream: process.stderr, format: 'solving [{bar}] {value}/{total} targets' }) : null;
  bar?.start(targetCount, 0);
  solveOptions.onProgress = bar ? (done: number) => bar.update(options.trajectory ? done : Math.min(done, targetCount)) : undefined;
  let results: SolveResult[], solutions: SolveResult[][] | undefined, message: string, warnings: string[];
  try {
    if (options.trajectory) {
      if (options.certify) throw new UsageError('--certify answers independent targets, not a --trajectory');
      if (options.band) throw new UsageError('--trajectory takes point targets, not --band');
      const smoothness = options.smoothness ? nonNegativeOption(options.smoothness, '--smoothness') : 0;
      const report = solveTrajectory(model, targets as Matrix, { ...solveOptions, smoothness });
      ({ results, message, warnings } = report);
    } else if (options.certify) {
      if (options.smoothness) throw new UsageError('--smoothness applies only with --trajectory');
      if (options.distance && options.distance !== 'l1' && options.distance !== 'linf') throw new UsageError(`--distance must be l1 or linf, got "${options.distance}"`);
      const timeLimit = options.timeLimit ? positiveOption(options.timeLimit, '--time-limit') : undefined;
      const milpSolver = new WorkerSolver();
      try {
        const report = await solve(model, targets, { ...solveOptions, certify: true, timeLimit, distance: options.distance as 'l1' | 'linf' | undefined, milpSolver });
        ({ results, solutions, message, warnings } = report);
      } finally {
        await milpSolver.close();
      }
    } else {
      if (options.timeLimit || options.distance) throw new UsageError('--time-limit and --distance apply only with --certify');
      if (options.smoothness) throw new UsageError('--smoothness applies only with --trajectory');
      const report = solve(model, targets, solveOptions);
      ({ results, solutions, message, warnings } = report);
    }
  } finally {
    bar?.stop();
  }
  const rows = solutions ?? results.map((result) => [result]);
  if (options.out) writeFileAtomic(options.out, solutionsCsv(model, rows));
  if (options.json) {
    process.stdout.write(stringifyJson({ message, warnings, results, solutions: solutions ?? null }));
    return;
  }
  for (const warning of warnings) process.stderr.write(`inversa: warning: ${warning}\n`);
  process.stdout.write(`${summaryText(model, results)}\n${message}${options.out ? `\nsolutions written to ${options.out}` : ''}\n`);
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
  const header = ['target', 'solution', ...model.inputNames, ...model.outputNames.map((name) => `f_${name}`), 'residual_norm', 'status', 'iterations', 'rank', 'cond', 'cond_standardized', 'manifold_dimension', 'active_bounds', 'objective', 'in_training_range'];
  const lines = [header.map(csvField).join(',')];
  groups.forEach((group, target) => group.forEach((result, index) => {
    lines.push([
      target + 1, index + 1, ...Array.from(result.x, String), ...Array.from(result.y, String), result.residualNorm, result.status, result.iterations,
      result.rank, result.cond.raw, result.cond.standardized, result.manifoldDimension, result.activeBounds.join(' '), result.objective ?? '', result.inTrainingRange,
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
  const notes = shown.filter((result) => result.status !== 'converged' || result.certificate).slice(0, 5).map((result) => `target ${result.target + 1}: ${result.message}`);
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
