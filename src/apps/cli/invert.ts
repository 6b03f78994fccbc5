// `inversa invert MODEL --targets TARGETS.csv [...]`: solve f(x) = y* for every row of a targets CSV
// and write the solutions (CSV) with a summary (text or --json). A thin shell over solve() and
// solveTrajectory(): names and bounds default to the model metadata; a progress bar appears on
// stderr only when stderr is a terminal; output files are written atomically. Targets are streamed
// in chunks (solved chunk by chunk, rows written as they are solved), so millions of targets run in
// bounded memory unless --json (which prints every result) or --trajectory (one warm-started chain)
// asks for all of them at once.
import { readFile } from 'node:fs/promises';
import { assertRegularFile, poolUsage, parseNumberList, readNumericCsv, streamNumericCsv, loadModelFile, type AtomicFileWriter, openAtomicWriter, peekFirstRecord, WorkerSolver, SOLVE_TASK_MODULE, solveParallel, prewarmPool, resolveThreads, solveTrajectoryParallel } from '../../io/index.ts';
import { checkWithinLimit, InvalidArgumentError, ShapeError, UsageError, stringifyJson } from '../../core/index.ts';
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { Matrix, median } from '../../linalg/index.ts';
import { type Model, type Domain, modelDomain, targetsOutsideOutputRange } from '../../model/index.ts';
import { textTable } from '../../report/index.ts';
import { type CertifyOptions, SOLVE_METHODS, type SolveMethod, type SolveOptions, type TargetsInput, type SolveResult, emptyCounts, solve, type SolveSummary, summaryMessage } from '../../solve/index.ts';
import { parallelUsageSince, parseShard, parseThreads, type Shard } from './parallel-options.ts';
import { integerOption, numberOption } from './option-text.ts';

const POSITIVE = { min: 0, minOpen: true };

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
  segmentLength?: string;
  seed?: string;
  maxIterations?: string;
  tolerance?: string;
  proposer?: string;
  out?: string;
  json?: boolean;
  certify?: boolean;
  timeLimit?: string;
  distance?: string;
  byPosition?: boolean;
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
    .option('--certify', 'global answer with a certificate (ReLU-type networks, finite box): optimal, or proved infeasible (MILP, HiGHS)')
    .option('--time-limit <s>', 'with --certify: seconds per MILP')
    .option('--distance <l1|linf>', 'with --certify and --reference: the distance minimized (default l1)')
    .option('--data <file>', 'training data CSV (input columns, optionally output columns, by name): training range, density check of each answer, output range of the targets')
    .option('--max-starts <N>', 'escalation budget: most starts per target when the first does not converge (default 16; 1 = no escalation)')
    .option('--no-nearest', 'return the point the iteration reached instead of the solution nearest to the reference / training mean / box centre')
    .option('--by-position', 'take the columns of --targets/--start in order, even when the header names other columns')
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
  const poolBefore = poolUsage();
  const method = options.method as SolveMethod;
  if (!SOLVE_METHODS.includes(method)) throw new UsageError(`--method must be one of ${SOLVE_METHODS.join(', ')}; got "${options.method}"`);
  const n = model.inputNames.length;
  const byPosition = options.byPosition === true;
  const band = options.band === true;
  if (options.trajectory && band) throw new UsageError('--trajectory takes point targets, not --band');
  if (!options.trajectory && options.smoothness) throw new UsageError('--smoothness applies only with --trajectory');
  if (!options.trajectory && options.segmentLength) throw new UsageError('--segment-length applies only with --trajectory');
  const threads = parseThreads(options.threads);
  if (!options.trajectory) prewarmPool(resolveThreads(threads), [SOLVE_TASK_MODULE], options.targets); // workers start while the files are read
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
  if (options.maxStarts) solveOptions.maxStarts = integerOption(options.maxStarts, '--max-starts', 1);
  if (options.nearest === false) solveOptions.nearest = false;
  if (options.data) solveOptions.domain = modelDomain(model, await readTrainingData(model, options.data));
  if (options.maxIterations) {
    solveOptions.maxIterations = integerOption(options.maxIterations, '--max-iterations', 1);
    // Methods such as nio run every iteration: 1e9 would run for hours, so the count is capped.
    checkWithinLimit(solveOptions.maxIterations, '--max-iterations', 0, MAX_ITERATIONS);
  }
  if (options.tolerance) solveOptions.tolerance = numberOption(options.tolerance, '--tolerance', POSITIVE);
  let start: Matrix | undefined;
  if (options.start) {
    if (options.starts) throw new UsageError('give either --start or --starts, not both');
    start = (await readNumericCsv({ path: options.start }, { expectedColumns: n, columns: model.inputNames, byPosition, missingHint: BY_POSITION_HINT })).rows;
  }
  if (options.proposer) solveOptions.proposer = await loadModelFile(options.proposer);
  const shard = parseShard(options.shard);
  if (shard && !options.out) throw new UsageError('--shard needs --out FILE (the part that `inversa merge` joins)');
  if (shard && options.trajectory) throw new UsageError('--shard does not split a --trajectory (each step starts from the previous one); run it whole');
  if (options.certify && options.trajectory) throw new UsageError('--certify answers independent targets, not a --trajectory');
  if (options.certify && shard) throw new UsageError('--certify does not split into --shard parts');
  if (!options.certify && (options.timeLimit || options.distance)) throw new UsageError('--time-limit and --distance apply only with --certify');
  if (options.distance && options.distance !== 'l1' && options.distance !== 'linf') throw new UsageError(`--distance must be l1 or linf, got "${options.distance}"`);
  const certify = options.certify ? { timeLimit: options.timeLimit ? numberOption(options.timeLimit, '--time-limit', POSITIVE) : undefined, distance: options.distance as 'l1' | 'linf' | undefined } : null;
  if (method === 'inverse-net' && !options.proposer) throw new UsageError('--method inverse-net needs --proposer INVERSE.onnx');
  assertRegularFile(options.targets, '--targets');

  const writer = options.out ? openAtomicWriter(options.out) : null;
  // HiGHS runs in worker threads of its own (it is single-threaded and blocks): one per --threads,
  // each answering whole targets (the answers do not depend on how many; a worker starts on first use).
  const milpSolvers = certify ? Array.from({ length: resolveThreads(threads) }, () => new WorkerSolver()) : [];
  let outcome: InvertOutcome;
  try {
    writer?.write(`${solutionsHeader(model)}\n`);
    outcome = options.trajectory
      ? await invertTrajectory(model, options, solveOptions, start, writer, threads)
      : await invertStreaming(model, options, solveOptions, start, writer, threads, shard, certify ? { certify: true, ...certify, milpSolvers } : null);
    writer?.commit();
  } catch (error) {
    writer?.abort();
    throw error;
  } finally {
    await Promise.all(milpSolvers.map((solver) => solver.close()));
  }
  const { shown, all, solutions, message, warnings } = outcome;
  // Exit code 1 when any target was not met (the output file is still written); a smoothness
  // trade-off is what --smoothness asks for, not a failure.
  if (outcome.counts.converged + outcome.counts.optimal + outcome.counts['trade-off'] < outcome.count) process.exitCode = 1;
  if (options.json) {
    // `parallel`: where the chunks ran (like a run time, it depends on the run; the results do not).
    process.stdout.write(stringifyJson({ message, warnings, results: all, solutions: solutions ?? null, parallel: parallelUsageSince(poolBefore, resolveThreads(threads)) }));
    return;
  }
  for (const warning of warnings) process.stderr.write(`inversa: warning: ${warning}\n`);
  process.stdout.write(`${summaryText(model, shown, outcome)}\n${message}${options.out ? `\nsolutions written to ${options.out}` : ''}\n`);
}

/** Training data: the input columns (by name, else the first n), and the output columns when the header names them all. */
async function readTrainingData(model: Model, path: string): Promise<{ x: Matrix; y?: Matrix }> {
  const n = model.inputNames.length, m = model.outputNames.length;
  const first = await peekFirstRecord(path);
  const header = first?.isHeader ? first.record : [];
  const both = headerColumns(header, [...model.inputNames, ...model.outputNames]);
  if (both.columns) {
    const table = (await readNumericCsv({ path }, { expectedColumns: n + m, columns: both.columns })).rows;
    const x = new Matrix(table.rows, n), y = new Matrix(table.rows, m);
    for (let k = 0; k < table.rows; k++) {
      x.data.set(table.data.subarray(k * (n + m), k * (n + m) + n), k * n);
      y.data.set(table.data.subarray(k * (n + m) + n, (k + 1) * (n + m)), k * m);
    }
    return { x, y };
  }
  const inputs = headerColumns(header, model.inputNames);
  if (!inputs.columns) throw new UsageError(`--data ${path}: the header must name the model's inputs (${model.inputNames.join(', ')}), and optionally its outputs (${model.outputNames.join(', ')})`);
  return { x: (await readNumericCsv({ path }, { expectedColumns: n, columns: inputs.columns })).rows };
}

/** Select columns by name when the header names all of them. */
function headerColumns(header: readonly string[], names: readonly string[]): { columns?: readonly string[] } {
  return names.every((name) => header.includes(name)) ? { columns: names } : {};
}

interface InvertOutcome {
  /** The first SHOWN_ROWS results (for the text table). */
  shown: SolveResult[];
  /** Every result, kept only for --json. */
  all: SolveResult[];
  solutions?: SolveResult[][];
  count: number;
  counts: SolveSummary['counts'];
  /** Results inside / outside the training range (the rest: unknown). */
  inside: number;
  outside: number;
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
async function invertStreaming(model: Model, options: InvertCliOptions, solveOptions: SolveOptions, start: Matrix | undefined, writer: AtomicFileWriter | null, threads: number | undefined, shard: Shard | undefined, certify: CertifyOptions | null): Promise<InvertOutcome> {
  const m = model.outputNames.length, n = model.inputNames.length;
  const band = options.band === true;
  const names = band ? model.outputNames.flatMap((name) => [`${name}_lower`, `${name}_upper`]) : model.outputNames;
  const bar = process.stderr.isTTY ? progressBar(await approximateRows(options.targets)) : null;
  const shown: SolveResult[] = [], all: SolveResult[] = [];
  const allSolutions: SolveResult[][] = [];
  let residuals: Float64Array = new Float64Array(1024);
  let startsTried: Int32Array = new Int32Array(1024);
  const counts: SolveSummary['counts'] = emptyCounts();
  // The outputs'-range warning counts the targets of the whole file (each chunk solves without it).
  const domain: Domain = solveOptions.domain ?? modelDomain(model);
  const outsideRange = { outside: 0, rows: [] as number[] };
  let inside = 0, outside = 0, rowsRead = 0;
  const evaluations = { f: 0, jacobian: 0 };
  const warnings = new Set<string>();
  let multiStart = false, count = 0;
  try {
    await streamNumericCsv({ path: options.targets }, { columns: names, expectedColumns: names.length, byPosition: options.byPosition === true, missingHint: BY_POSITION_HINT, chunkRows: Math.max(1, Math.floor(TARGET_CHUNK_ROWS / (solveOptions.starts ?? 1))) }, async (fileChunk, fileFirst) => {
      rowsRead = fileFirst + fileChunk.rows;
      // A shard keeps the rows with index ≡ K (mod N); target numbers and random starts follow the row of the whole file.
      const rows = shard ? shardRows(fileFirst, fileChunk.rows, shard) : null;
      if (rows && rows.length === 0) return;
      const chunk = rows ? pickRows(fileChunk, rows.map((row) => row - fileFirst)) : fileChunk;
      const targets: TargetsInput = band ? splitBands(chunk, m) : chunk;
      const low = band ? (targets as { lower: Matrix }).lower.data : chunk.data, high = band ? (targets as { upper: Matrix }).upper.data : chunk.data;
      const chunkOutside = targetsOutsideOutputRange(domain, low, high, chunk.rows);
      if (chunkOutside) {
        for (const row of chunkOutside.rows) if (outsideRange.rows.length < 5) outsideRange.rows.push(rows ? rows[row] : fileFirst + row);
        outsideRange.outside += chunkOutside.outside;
      }
      const chunkStart = start && start.rows > 1 ? (rows ? pickRows(start, rows, options.start!) : rowsOf(start, fileFirst, chunk.rows, n, options.start!)) : start;
      const chunkOptions = {
        ...solveOptions, start: chunkStart, checkTargetRange: false,
        ...(rows ? { targetIndices: Int32Array.from(rows) } : { firstTargetIndex: fileFirst }),
      };
      // Certified answers run one MILP at a time in HiGHS's worker; local solves go to the worker pool.
      const report = certify ? await solve(model, targets, { ...chunkOptions, ...certify }) : await solveParallel(model, targets, { ...chunkOptions, threads });
      const groups = report.solutions ?? report.results.map((result) => [result]);
      multiStart ||= report.solutions !== undefined;
      const globalRow = (k: number): number => (rows ? rows[k] : fileFirst + k);
      for (const [k, result] of report.results.entries()) {
        for (const other of groups[k]) if (other !== result) other.target = globalRow(k);
        result.target = globalRow(k);
        if (shown.length < SHOWN_ROWS) shown.push(result);
        if (options.json) all.push(result);
        counts[result.status]++;
        if (result.inTrainingRange === true) inside++;
        else if (result.inTrainingRange === false) outside++;
        evaluations.f += result.evaluations.f;
        evaluations.jacobian += result.evaluations.jacobian;
        if (count === residuals.length) { residuals = growTo(residuals, 2 * count); startsTried = growIntegers(startsTried, 2 * count); }
        startsTried[count] = result.startsTried;
        residuals[count++] = result.residualNorm;
      }
      if (options.json && report.solutions) allSolutions.push(...report.solutions);
      writer?.write(solutionsRows(groups));
      for (const warning of report.warnings) warnings.add(warning);
      bar?.update(Math.min(count, bar.getTotal()));
    });
  } finally {
    bar?.stop();
  }
  if (start && start.rows > 1 && start.rows !== rowsRead) {
    throw new ShapeError(`--start ${options.start} has ${start.rows} rows but there are ${rowsRead} targets; give one start row (used for all) or ${rowsRead} rows`);
  }
  if (outsideRange.outside > 0) {
    warnings.add(`${outsideRange.outside} of ${count} target(s) lie outside ${domain.outputRange!.origin} (first rows ${outsideRange.rows.map((row) => row + 1).join(', ')}): the model was not trained there, so an answer is an extrapolation`);
  }
  const sorted = residuals.slice(0, count).sort();
  const summary: SolveSummary = {
    method: solveOptions.method!, targets: count, startsPerTarget: solveOptions.starts ?? 1, counts,
    medianResidual: median(sorted), maxResidual: count ? sorted[count - 1] : NaN, evaluations,
  };
  const message = `${shard ? `shard ${shard.index}/${shard.count}: ` : ''}${summaryMessage(summary, startsTried.subarray(0, count))}`;
  return { shown, all, ...(multiStart && options.json ? { solutions: allSolutions } : {}), count, counts, inside, outside, message, warnings: [...warnings] };
}

/** A trajectory is one warm-started chain: all targets are read and solved together. */
async function invertTrajectory(model: Model, options: InvertCliOptions, solveOptions: SolveOptions, start: Matrix | undefined, writer: AtomicFileWriter | null, threads: number | undefined): Promise<InvertOutcome> {
  const targets = (await readNumericCsv({ path: options.targets }, { expectedColumns: model.outputNames.length, columns: model.outputNames, byPosition: options.byPosition === true, missingHint: BY_POSITION_HINT })).rows;
  const smoothness = options.smoothness ? numberOption(options.smoothness, '--smoothness', { min: 0 }) : 0;
  const segmentLength = options.segmentLength ? integerOption(options.segmentLength, '--segment-length', 1) : undefined;
  const bar = progressBar(targets.rows);
  let report;
  try {
    report = await solveTrajectoryParallel(model, targets, { ...solveOptions, ...(start ? { start } : {}), smoothness, segmentLength, threads, onProgress: bar ? (done: number) => bar.update(done) : undefined });
  } finally {
    bar?.stop();
  }
  writer?.write(solutionsRows(report.results.map((result) => [result])));
  const results = report.results;
  const counts = emptyCounts();
  for (const result of results) counts[result.status]++;
  return {
    shown: results.slice(0, SHOWN_ROWS), all: results, count: results.length, counts,
    inside: results.filter((result) => result.inTrainingRange === true).length, outside: results.filter((result) => result.inTrainingRange === false).length,
    message: report.message, warnings: report.warnings,
  };
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

/** The rows of a chunk (first … first + count − 1 of the file) that belong to the shard: index ≡ K (mod N). */
function shardRows(first: number, count: number, shard: Shard): number[] {
  const rows: number[] = [];
  for (let row = first + ((shard.index - (first % shard.count)) + shard.count) % shard.count; row < first + count; row += shard.count) rows.push(row);
  return rows;
}

/** The given rows of a matrix, in order. */
function pickRows(matrix: Matrix, rows: readonly number[], file?: string): Matrix {
  const out = new Matrix(rows.length, matrix.cols);
  rows.forEach((row, k) => {
    if (row >= matrix.rows) throw new ShapeError(`--start ${file} has ${matrix.rows} rows but there are more targets; give one start row (used for all) or one per target`);
    out.data.set(matrix.data.subarray(row * matrix.cols, (row + 1) * matrix.cols), k * matrix.cols);
  });
  return out;
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

function growIntegers(values: Int32Array, length: number): Int32Array {
  const out = new Int32Array(length);
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
  return ['target', 'solution', ...model.inputNames, ...model.outputNames.map((name) => `f_${name}`), 'residual_norm', 'status', 'reason', 'cost', 'optimality', 'iterations', 'rank', 'cond', 'cond_standardized', 'cond_basis', 'manifold_dimension', 'active_bounds', 'objective', 'in_training_range', 'domain_basis', 'starts_tried'].map(csvField).join(',');
}

/** Lines of the solutions CSV for a group of targets (numbered by their row of the whole targets file, from 1). */
function solutionsRows(groups: SolveResult[][]): string {
  const lines: string[] = [];
  groups.forEach((group) => group.forEach((result, index) => {
    lines.push([
      result.target + 1, index + 1, ...Array.from(result.x, String), ...Array.from(result.y, String), result.residualNorm, result.status, result.reason, result.cost, result.optimality, result.iterations,
      result.rank, result.cond.raw, result.cond.standardized, result.cond.basis, result.manifoldDimension, result.activeBounds.join(' '), result.objective ?? '', result.inTrainingRange ?? 'unknown', result.domainBasis, result.startsTried,
    ].map((value) => csvField(String(value))).join(','));
  }));
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function summaryText(model: Model, shown: SolveResult[], outcome: InvertOutcome): string {
  const { count, inside, outside } = outcome;
  const table = textTable(['target', 'status', '‖f(x) − y*‖', 'iterations', 'rank', 'cond (std)', 'cond (raw)', ...model.inputNames], shown.map((result) => [
    result.target + 1, result.status, result.residualNorm, result.iterations, result.rank, result.cond.standardized, result.cond.raw, ...Array.from(result.x),
  ]));
  const more = count > shown.length ? `\n… ${count - shown.length} more (see --out or --json)` : '';
  const notes = shown.filter((result) => result.status !== 'converged' || result.certificate).slice(0, 5).map((result) => `target ${result.target + 1}: ${result.message}`);
  const range = shown.length === 0 ? '' : shown[0].domainBasis === 'none'
    ? 'inside the training range: unknown (the model carries no operating box or training statistics; give --data train.csv or use inversa annotate)'
    : `inside the training range (${shown[0].domainBasis}): ${inside} of ${count}${outside ? `, ${outside} outside — extrapolating there` : ''}`;
  const basis = shown.length ? `\ncond (std) uses the scales: ${shown[0].cond.basis}${shown[0].cond.basis === 'none' ? ' (no training std, box or data known: it equals the raw number)' : ''}` : '';
  return `${table}${more}${basis}${notes.length ? `\n${notes.join('\n')}` : ''}${range ? `\n${range}` : ''}`;
}
