// What the numerics worker does for each request: thin adapters from the page's plain-data protocol
// to the inversa core (ONNX loading, solve, analyze, train). No numerics of their own beyond the
// re-simulation check f(x) − y*, which is deliberately done here, outside the solver, so the page
// never reports the solver's own idea of how good its answer is.
import { InvalidArgumentError } from '../../src/core/index.ts';
import { Matrix, Random } from '../../src/linalg/index.ts';
import { type Model, outputBounds } from '../../src/model/index.ts';
import { loadOnnxModel, exportMlpToOnnx } from '../../src/onnx/index.ts';
import { solve, type SolveOptions, type SolveResult } from '../../src/solve/index.ts';
import { analyzeInvertibility, conditionSlice } from '../../src/analyze/index.ts';
import { prepareData, trainForward, trainInverse } from '../../src/train/index.ts';
import { generateDataset } from '../../src/data/index.ts';
import { extractNetwork, prepareNetwork, reachableRange, InProcessSolver, tightenWithLp } from '../../src/certify/index.ts';
import { annotateOnnx, cardProblems } from './annotate-onnx.ts';
import { describeColumns, parseCsvText, selectColumns, statedRoles, toCsvText } from './csv-text.ts';
import { describeModel } from './model-info.ts';
import { resimulate } from './resimulate.ts';
import type {
  AnalyzeRequest, AnalyzeResponse, AnnotateRequest, AnnotateResponse, CallKind, CompareInverseRequest, CompareInverseResponse, ConvergenceHistory, Calls,
  CsvHeaderRequest, CsvHeaderResponse, ForwardRequest, ProveResponse, ReachRequest, ReachResponse, ForwardResponse, InverseRow, LoadRequest, ModelInfo, SampleCsvRequest, SampleCsvResponse,
  SliceRequest, SliceResponse, SolutionView, SolveRequest, SolveResponse, TrainProgress, TrainRequest, TrainResponse,
} from './protocol.ts';

/**
 * The models the worker holds between requests: the forward model (as loaded, with the Model card
 * applied), its original ONNX bytes (for re-annotation), and the inverse nets by file name.
 */
const state: { forward: Model | null; forwardInfo: ModelInfo | null; forwardBytes: Uint8Array | null; inverses: Map<string, Model> } = {
  forward: null, forwardInfo: null, forwardBytes: null, inverses: new Map(),
};

/** Fraction of the training split held out for validation curves while training in the browser. */
const BROWSER_VALIDATION_FRACTION = 0.2;
/** Hidden layers of browser-trained nets: two of the chosen width. */
const BROWSER_HIDDEN_LAYERS = 2;

function requireForward(): Model {
  if (!state.forward) throw new InvalidArgumentError('no forward model is loaded: load an ONNX file in the Model tab first');
  return state.forward;
}

function checkLength(values: readonly unknown[], expected: number, name: string): void {
  if (values.length !== expected) throw new InvalidArgumentError(`${name} has ${values.length} values, the model needs ${expected}`);
}

async function load(request: LoadRequest): Promise<ModelInfo> {
  const original = new Uint8Array(request.bytes);
  let bytes: Uint8Array = original;
  if (request.role === 'forward' && request.card) {
    // Check names/units/box against the model's shape before annotating.
    const probe = await loadOnnxModel(original, { source: request.name });
    const problems = cardProblems(request.card, probe.inputNames.length, probe.outputNames.length);
    if (problems.length) throw new InvalidArgumentError(`the model card cannot be applied: ${problems.join('; ')}`);
    bytes = annotateOnnx(original, request.card);
  }
  const model = await loadOnnxModel(bytes, { source: request.name });
  const info = describeModel(model, request.role, request.name);
  info.boxStored = Boolean(model.meta?.bounds);
  if (request.role === 'forward') {
    if (request.card) {
      info.cardApplied = true;
      if (info.bounds && model.meta?.bounds) info.bounds.origin = 'from the Model card';
    }
    state.forward = model;
    state.forwardInfo = info;
    state.forwardBytes = original;
    // An inverse net belongs to the forward model it was trained with: a new forward model drops it
    // (unless it is the same file again with a new card: the page reloads the inverse nets then).
    state.inverses.clear();
  } else {
    const forward = state.forward;
    if (forward && (model.inputNames.length !== forward.outputNames.length || model.outputNames.length !== forward.inputNames.length)) {
      throw new InvalidArgumentError(
        `${request.name} maps ${model.inputNames.length} → ${model.outputNames.length} values, but an inverse of the loaded forward model must map its ${forward.outputNames.length} outputs to its ${forward.inputNames.length} inputs`,
      );
    }
    state.inverses.set(request.name, model);
  }
  return info;
}

function annotate(request: AnnotateRequest): AnnotateResponse {
  if (!state.forwardBytes || !state.forward) throw new InvalidArgumentError('no forward model is loaded: load an ONNX file in the Model tab first');
  const problems = cardProblems(request.card, state.forward.inputNames.length, state.forward.outputNames.length);
  if (problems.length) throw new InvalidArgumentError(`the model card cannot be written: ${problems.join('; ')}`);
  return { bytes: annotateOnnx(state.forwardBytes, request.card) };
}

/** Each inverse net proposes x = I(y*); each proposal (and their mean, with ≥ 2 nets) is re-simulated through the forward model. */
function compareInverse(request: CompareInverseRequest): CompareInverseResponse {
  const model = requireForward();
  const n = model.inputNames.length;
  checkLength(request.targets, model.outputNames.length, 'targets');
  if (state.inverses.size === 0) throw new InvalidArgumentError('no inverse model is loaded: load one or more in the Model tab');
  const scale = outputScales(model, request.targets, request.targets);
  const row = (name: string, x: ArrayLike<number>): InverseRow => {
    const check = resimulate(model, x, request.targets, request.targets, scale);
    const outsideBounds = check.x.flatMap((value, i) => (value < request.bounds.lower[i] || value > request.bounds.upper[i] ? [i] : []));
    return {
      name, x: check.x, y: check.y, residual: check.residual, tolerance: check.tolerance, withinTolerance: check.withinTolerance, outsideBounds,
      scaledResidualNorm: Math.hypot(...check.residual.map((value, i) => value / scale[i])),
    };
  };
  const rows: InverseRow[] = [];
  const sum = new Float64Array(n);
  for (const [name, inverse] of state.inverses) {
    const x = inverse.forward(new Matrix(1, request.targets.length, Float64Array.from(request.targets))).data;
    for (let j = 0; j < n; j++) sum[j] += x[j];
    rows.push(row(name, x));
  }
  if (state.inverses.size > 1) rows.push(row(`mean of the ${state.inverses.size} inverse models`, sum.map((value) => value / state.inverses.size)));
  return { rows };
}

function forward(request: ForwardRequest): ForwardResponse {
  const model = requireForward();
  checkLength(request.x, model.inputNames.length, 'x');
  const start = performance.now();
  const y = model.forward(new Matrix(1, request.x.length, Float64Array.from(request.x)));
  const bounds = state.forwardInfo?.bounds;
  const outOfRange = request.x.map((value, i) => (bounds ? value < bounds.lower[i] || value > bounds.upper[i] : false));
  return { y: Array.from(y.data), outOfRange, elapsedMs: performance.now() - start };
}

function solveRequest(request: SolveRequest): SolveResponse {
  const model = requireForward();
  const n = model.inputNames.length;
  const m = model.outputNames.length;
  checkLength(request.targets, m, 'targets');
  checkLength(request.weights, m, 'weights');
  checkLength(request.bounds.lower, n, 'lower bounds');
  checkLength(request.bounds.upper, n, 'upper bounds');
  const proposer = request.method === 'inverse-net' ? (request.inverseModel ? state.inverses.get(request.inverseModel) : state.inverses.values().next().value) : undefined;
  if (request.method === 'inverse-net' && !proposer) throw new InvalidArgumentError(`method "inverse-net" needs an inverse model${request.inverseModel ? ` ("${request.inverseModel}" is not loaded)` : ''}: load one in the Model tab`);
  const low = request.targets.map((target) => (target.mode === 'point' ? target.value : target.low));
  const high = request.targets.map((target) => (target.mode === 'point' ? target.value : target.high));
  const targets = { lower: [low], upper: [high] };
  const options: SolveOptions = {
    method: request.method,
    starts: request.starts,
    seed: request.seed,
    lower: Float64Array.from(request.bounds.lower),
    upper: Float64Array.from(request.bounds.upper),
    weights: Float64Array.from(request.weights),
    keepHistory: true,
    ...(request.objective.kind === 'cost' ? { cost: Float64Array.from(request.objective.cost) } : {}),
    ...(request.objective.kind === 'reference' ? { reference: Float64Array.from(request.objective.reference) } : {}),
    ...(proposer ? { proposer } : {}),
  };
  const start = performance.now();
  const report = solve(model, targets, options);
  const elapsedMs = performance.now() - start;
  const outputScale = outputScales(model, low, high);
  const domainKnown = Boolean(model.meta?.bounds || (model.meta?.inputMean && model.meta?.inputStd));
  // The library judges against the stored box when there is one, else the training mean ± k std (solve/result.ts).
  const rangeBasis = model.meta?.bounds ? (model.meta.inputStd ? 'the operating box' : 'the operating box (no training statistics known)')
    : model.meta?.inputMean && model.meta?.inputStd ? 'the training mean ± a few std' : null;
  const view = (solution: SolveResult, history: ConvergenceHistory): SolutionView => ({
    ...resimulate(model, solution.x, low, high, outputScale),
    status: solution.status,
    message: solution.message,
    iterations: solution.iterations,
    singularValues: Array.from(solution.singularValues),
    rank: solution.rank,
    condRaw: solution.cond.raw,
    condStandardized: solution.cond.standardized,
    activeBounds: solution.activeBounds.map((name) => model.inputNames.indexOf(name)).filter((index) => index >= 0),
    objective: solution.objective ?? null,
    criterionValue: solution.objective ?? solution.scaledResidualNorm,
    // Unknown (null) when the model carries neither a box nor training statistics: nothing to compare with.
    inTrainingRange: domainKnown ? (solution.inTrainingRange ?? null) : null,
    rangeBasis: domainKnown ? rangeBasis : null,
    history,
  });
  const result = report.results[0];
  const distinct = report.solutions?.[0] ?? [result];
  // Best first: solutions whose re-simulated outputs all match, then the named criterion (lower is better).
  const solutions = distinct.map((solution) => view(solution, convergenceHistory(solution)))
    .sort((a, b) => Number(b.withinTolerance.every(Boolean)) - Number(a.withinTolerance.every(Boolean)) || a.criterionValue - b.criterionValue);
  const best = solutions[0];
  const warnings = [...new Set([...report.warnings, ...result.warnings])];
  if (best.inTrainingRange === false) warnings.push('The proposed x lies outside the training range: the forward model is extrapolating there.');
  if (!best.withinTolerance.every(Boolean)) warnings.push('Not every re-simulated output is within the tolerance of its target. Nothing here proves the target unreachable: more starts or wider bounds may reach it.');
  // The units solve() measures distances in (src/solve/solve.ts solveScales): training std, else the box's uniform std.
  const boxFinite = request.bounds.lower.every((lo, j) => Number.isFinite(lo) && Number.isFinite(request.bounds.upper[j]) && request.bounds.upper[j] > lo);
  const unit = model.meta?.inputStd ? 'in training std units' : boxFinite ? 'in units of box width/√12 per input' : 'in raw input units';
  const criterion = request.objective.kind === 'cost' ? 'cost c·x'
    : request.objective.kind === 'reference' ? `distance to the reference point (${unit})`
      : 'residual ‖f(x) − y*‖ (weighted, in output scale units)';
  const startsRun = request.method === 'inverse-net' ? 1 : request.starts;
  return { best, solutions, criterion, startsRun, warnings, elapsedMs };
}

/** Wall-clock limit per MILP in the page (seconds): past it the answer is 'time-limit' with the best bound. */
export const PROVE_TIME_LIMIT_S = 60;

/**
 * The certified solve of src/solve/certified.ts for one target, HiGHS running in this worker
 * (InProcessSolver: WebAssembly, blocks this worker only, never the page).
 */
async function prove(request: SolveRequest): Promise<ProveResponse> {
  const model = requireForward();
  const n = model.inputNames.length, m = model.outputNames.length;
  checkLength(request.targets, m, 'targets');
  checkLength(request.weights, m, 'weights');
  checkLength(request.bounds.lower, n, 'lower bounds');
  checkLength(request.bounds.upper, n, 'upper bounds');
  const low = request.targets.map((target) => (target.mode === 'point' ? target.value : target.low));
  const high = request.targets.map((target) => (target.mode === 'point' ? target.value : target.high));
  const start = performance.now();
  const report = await solve(model, { lower: [low], upper: [high] }, {
    certify: true,
    timeLimit: PROVE_TIME_LIMIT_S,
    method: 'lm',
    starts: request.starts,
    seed: request.seed,
    lower: Float64Array.from(request.bounds.lower),
    upper: Float64Array.from(request.bounds.upper),
    weights: Float64Array.from(request.weights),
    ...(request.objective.kind === 'cost' ? { cost: Float64Array.from(request.objective.cost) } : {}),
    ...(request.objective.kind === 'reference' ? { reference: Float64Array.from(request.objective.reference) } : {}),
  });
  const elapsedMs = performance.now() - start;
  const result = report.results[0];
  const certificate = result.certificate;
  const check = resimulate(model, result.x, low, high, outputScales(model, low, high));
  return {
    certificate: certificate?.status ?? 'not-certified',
    proof: certificate?.proof ?? 'none',
    gap: certificate?.gap ?? NaN,
    bound: certificate?.bound ?? NaN,
    status: result.status,
    message: result.message,
    certificateMessage: certificate?.message ?? 'no certificate',
    x: check.x, y: check.y, residual: check.residual, withinTolerance: check.withinTolerance, tolerance: check.tolerance,
    seconds: certificate?.seconds ?? 0,
    nodes: certificate?.nodes ?? 0,
    binaries: certificate?.binaries ?? 0,
    elapsedMs,
  };
}

/**
 * The reachable range of every output over the box: certified min/max by MILP for piecewise-linear
 * models, else the model's sound interval bound (a bound, not a range), else nothing.
 */
async function reach(request: ReachRequest): Promise<ReachResponse> {
  const model = requireForward();
  const n = model.inputNames.length;
  checkLength(request.bounds.lower, n, 'lower bounds');
  checkLength(request.bounds.upper, n, 'upper bounds');
  const box = { lower: Float64Array.from(request.bounds.lower), upper: Float64Array.from(request.bounds.upper) };
  const infinite = request.bounds.lower.findIndex((lo, j) => !Number.isFinite(lo) || !Number.isFinite(request.bounds.upper[j]) || lo > request.bounds.upper[j]);
  if (infinite >= 0) throw new InvalidArgumentError(`the reachable range needs a finite box: give both bounds of ${model.inputNames[infinite]}`);
  const start = performance.now();
  const extraction = extractNetwork(model, box);
  if ('network' in extraction) {
    const prepared = prepareNetwork(extraction.network, box);
    const solver = new InProcessSolver();
    try {
      await tightenWithLp(prepared, solver);
      const ranges = await reachableRange(prepared, solver, { timeLimit: PROVE_TIME_LIMIT_S });
      // A time-limited end is reported by its proven bound (still sound), never by the best point alone.
      const outputs = ranges.map((entry) => ({
        kind: 'range' as const,
        min: entry.min.status === 'optimal' ? entry.min.objective : entry.min.bound,
        max: entry.max.status === 'optimal' ? entry.max.objective : entry.max.bound,
        minStatus: entry.min.status,
        maxStatus: entry.max.status,
      }));
      return { outputs, reason: null, elapsedMs: performance.now() - start };
    } finally {
      await solver.close();
    }
  }
  const bound = outputBounds(model, box);
  const outputs = model.outputNames.map((_, i) => (bound
    ? { kind: 'bound' as const, min: bound.lower[i], max: bound.upper[i], minStatus: '', maxStatus: '' }
    : { kind: 'none' as const, min: NaN, max: NaN, minStatus: '', maxStatus: '' }));
  return { outputs, reason: extraction.reason, elapsedMs: performance.now() - start };
}

/** Scaled residual norm after each accepted step (iteration 0 is the start), from the solver's own record. */
function convergenceHistory(result: SolveResult): ConvergenceHistory {
  const recorded = result.history ?? [result.scaledResidualNorm];
  return { iteration: recorded.map((_, k) => k), residual: recorded.slice() };
}

/**
 * Per-output scale for the match tolerance: the model's training std of that output when known,
 * else the magnitude of the target (at least 1).
 */
function outputScales(model: Model, low: number[], high: number[]): number[] {
  const std = model.meta?.outputStd;
  return low.map((value, i) => (std && Number.isFinite(std[i]) && std[i] > 0 ? std[i] : Math.max(1, Math.abs(value), Math.abs(high[i]))));
}

function slice(request: SliceRequest): SliceResponse {
  const model = requireForward();
  checkLength(request.base, model.inputNames.length, 'base point');
  const start = performance.now();
  const [i, j] = request.inputs;
  const grid = conditionSlice(model, Float64Array.from(request.base), i, j, { resolution: request.resolution, bounds: request.ranges });
  return {
    xs: Array.from(grid.xs),
    ys: Array.from(grid.ys),
    log10Cond: Array.from(grid.log10Cond),
    rank: Array.from(grid.rank),
    basis: grid.basis,
    message: grid.message,
    elapsedMs: performance.now() - start,
  };
}

function analyze(request: AnalyzeRequest): AnalyzeResponse {
  const model = requireForward();
  const bounds = state.forwardInfo?.bounds;
  if (!bounds) throw new InvalidArgumentError('the model has no operating box (no bounds in its metadata and no training mean/std): nothing to sample');
  const n = model.inputNames.length;
  const start = performance.now();
  const random = new Random(request.seed);
  const points = new Matrix(request.samples, n);
  for (let r = 0; r < request.samples; r++) {
    for (let c = 0; c < n; c++) points.data[r * n + c] = random.between(bounds.lower[c], bounds.upper[c]);
  }
  const analysis = analyzeInvertibility(model, points);
  const { summary } = analysis;
  const log10Cond = Array.from(analysis.points.condStandardized, (value) => Math.log10(value));
  const condQuantiles = summary.condQuantiles.levels.map((q, k) => ({ q, value: summary.condQuantiles.standardized[k] }));
  const rankHistogram = summary.rankHistogram.map((bin) => ({ rank: bin.rank, count: bin.count }));
  const verdicts = Object.entries(summary.verdictShares).map(([verdict, share]) => ({ verdict, share: share.share }));
  return {
    rankHistogram,
    log10Cond,
    condQuantiles,
    verdicts,
    summaryText: `${request.samples} points sampled uniformly in the operating box (seed ${request.seed}). ${analysis.message}`,
    elapsedMs: performance.now() - start,
  };
}

function csvHeader(request: CsvHeaderRequest): CsvHeaderResponse {
  const table = parseCsvText(request.csvText, 'CSV file', []);
  const stated = statedRoles(request.csvText);
  return { columns: table.header, rows: table.rows.rows, delimiter: table.delimiter, info: describeColumns(table), statedInputs: stated.inputs, statedOutputs: stated.outputs };
}

function train(request: TrainRequest, progress: (progress: TrainProgress) => void): TrainResponse {
  const overlap = request.inputColumns.filter((name) => request.outputColumns.includes(name));
  if (overlap.length) throw new InvalidArgumentError(`a column cannot be both input and output: ${overlap.join(', ')}`);
  const table = parseCsvText(request.csvText, 'CSV file', [...request.inputColumns, ...request.outputColumns]);
  const x = selectColumns(table, request.inputColumns);
  const y = selectColumns(table, request.outputColumns);
  const units = (values: string[] | undefined, count: number) => (values && values.length === count && values.some(Boolean) ? [...values] : undefined);
  const inputUnits = units(request.inputUnits, request.inputColumns.length), outputUnits = units(request.outputUnits, request.outputColumns.length);
  const data = prepareData({
    x, y, inputNames: [...request.inputColumns], outputNames: [...request.outputColumns], source: 'browser upload',
    ...(inputUnits ? { inputUnits } : {}), ...(outputUnits ? { outputUnits } : {}),
  }, {
    seed: request.seed,
    validationFraction: BROWSER_VALIDATION_FRACTION,
  });
  const hidden = new Array<number>(BROWSER_HIDDEN_LAYERS).fill(request.hidden);
  const forwardLoss = { train: [] as number[], validation: [] as number[] };
  const inverseLoss = { train: [] as number[], validation: [] as number[] };
  const forwardResult = trainForward(data, {
    hidden,
    epochs: request.epochs,
    seed: request.seed,
    onEpoch: ({ epoch, epochs, record }) => {
      forwardLoss.train.push(record.trainLoss);
      forwardLoss.validation.push(record.validationLoss);
      progress({ stage: 'forward', epoch, epochs, trainLoss: record.trainLoss, validationLoss: record.validationLoss });
    },
  });
  const inverseResult = trainInverse(data, forwardResult, {
    hidden,
    epochs: request.epochs,
    seed: request.seed,
    alpha: request.alpha,
    alphaSchedule: { kind: 'constant' },
    onEpoch: ({ epoch, epochs, record }) => {
      inverseLoss.train.push(record.trainLoss);
      inverseLoss.validation.push(record.validationLoss);
      progress({ stage: 'inverse', epoch, epochs, trainLoss: record.trainLoss, validationLoss: record.validationLoss });
    },
  });
  const forwardOnnx = exportMlpToOnnx(forwardResult.spec, {});
  const inverseOnnx = exportMlpToOnnx(inverseResult.spec, {});
  const forwardR2 = forwardResult.test.map((score) => `${score.name} R² ${score.r2.toFixed(3)}`).join(', ');
  return {
    forwardOnnx,
    inverseOnnx,
    forwardLoss,
    inverseLoss,
    summary: `Forward net on the test split: ${forwardR2}. Inverse net re-simulation error ‖F(I(y)) − y‖ (RMS, standardized): ${inverseResult.test.resimulationError.toPrecision(3)} with α = ${request.alpha}.`,
  };
}

function sampleCsv(request: SampleCsvRequest): SampleCsvResponse {
  const dataset = generateDataset('plant', request.rows, request.seed);
  const names = [...dataset.inputNames, ...dataset.outputNames];
  const n = dataset.inputs.cols, m = dataset.outputs.cols;
  const joined = new Matrix(dataset.inputs.rows, n + m);
  for (let r = 0; r < joined.rows; r++) {
    joined.data.set(dataset.inputs.data.subarray(r * n, (r + 1) * n), r * (n + m));
    joined.data.set(dataset.outputs.data.subarray(r * m, (r + 1) * m), r * (n + m) + n);
  }
  return { csvText: toCsvText(names, joined), inputColumns: [...dataset.inputNames], outputColumns: [...dataset.outputNames] };
}

type Handler<K extends CallKind> = (request: Calls[K]['request'], progress: (progress: TrainProgress) => void) => Promise<Calls[K]['response']> | Calls[K]['response'];

export const handlers: { [K in CallKind]: Handler<K> } = {
  load,
  annotate,
  compareInverse,
  forward,
  solve: solveRequest,
  prove,
  reach,
  slice,
  analyze,
  csvHeader,
  train,
  sampleCsv,
};
