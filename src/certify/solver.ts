// The MILP solver behind certification: HiGHS (WebAssembly, npm `highs`). This file holds what is
// solver-independent and browser-safe — the outcome record, the request sent to HiGHS (the plain
// ModelData its createModel takes, with options) and the reading of its answer — plus an
// in-process runner (for a browser Web Worker or tests). Node runs HiGHS in a worker thread
// (io/highs-worker.ts), since a solve is single-threaded and blocks.
import type { MilpProblem } from './milp.ts';

export interface MilpOptions {
  /** Wall-clock limit per MILP in seconds (default none). */
  timeLimit?: number;
  /** Stop when (primal − dual bound)/|primal| ≤ this (default 1e-9). */
  relativeGap?: number;
  /** Or when |primal − dual bound| ≤ this (default 1e-9). */
  absoluteGap?: number;
  /** A feasible column vector to start from (HiGHS setSolution). */
  start?: Float64Array;
  /** HiGHS's mip_feasibility_tolerance (default HiGHS's, 1e-6; its pruning can then leave gaps of that order). */
  feasibilityTolerance?: number;
  /** Further HiGHS options (names as in HiGHS), set after the ones above; they change speed, not answers. */
  highs?: Record<string, number | boolean | string>;
}

export type MilpStatus = 'optimal' | 'infeasible' | 'time-limit' | 'error';

export interface MilpOutcome {
  status: MilpStatus;
  /** Objective of the best solution found (NaN without one). */
  objective: number;
  /** Best proven bound on the objective (lower when minimizing, upper when maximizing). */
  bound: number;
  /** Relative gap |objective − bound| / max(1, |objective|) (0 when proven optimal to tolerance, NaN without a solution). */
  gap: number;
  /** Column values of the best solution, or null. */
  x: Float64Array | null;
  nodes: number;
  seconds: number;
  /** HiGHS's status text and any error. */
  message: string;
}

/** A linear objective Σ coef·column (constant offsets are the caller's). */
export interface SparseObjective {
  index: Int32Array;
  coef: Float64Array;
}

export interface MilpSolver {
  solve(problem: MilpProblem, options?: MilpOptions): Promise<MilpOutcome>;
  /**
   * Minimize each objective in turn over the LP relaxation of `problem` (integrality dropped), one
   * model warm-started from objective to objective. NaN where HiGHS did not report optimal.
   * options.highs: further HiGHS options (e.g. presolve off, so each LP starts from the last basis).
   */
  minimizeEach(problem: MilpProblem, objectives: SparseObjective[], options?: MilpOptions): Promise<Float64Array>;
  /** Release the solver (terminate a worker). */
  close(): Promise<void>;
}

/** What one solve sends to HiGHS: ModelData fields plus the options to set. */
export interface HighsRequest {
  model: Omit<MilpProblem, 'starts' | 'indices' | 'values' | 'sense'> & { sense: 'minimize' | 'maximize'; matrix: { format: 'csr'; numRows: number; numCols: number; starts: Int32Array; indices: Int32Array; values: Float64Array } };
  options: Record<string, number | boolean | string>;
  start?: Float64Array;
}

/** HiGHS's raw answer (numbers only, so it crosses a worker boundary cheaply). */
export interface HighsAnswer {
  modelStatus: number;
  objective: number;
  colValue: Float64Array | null;
  dualBound: number;
  nodes: number;
  seconds: number;
  error?: string;
}

/** HiGHS model-status codes (highs.constants.modelStatus). */
const STATUS = { optimal: 7, infeasible: 8, timeLimit: 13, iterationLimit: 14, solutionLimit: 16, interrupted: 17 } as const;

export function highsRequest(problem: MilpProblem, options: MilpOptions = {}): HighsRequest {
  const { starts, indices, values, ...rest } = problem;
  const settings: Record<string, number | boolean | string> = {
    output_flag: false,
    mip_rel_gap: options.relativeGap ?? 1e-9,
    mip_abs_gap: options.absoluteGap ?? 1e-9,
    random_seed: 0,
  };
  if (options.timeLimit !== undefined) settings.time_limit = options.timeLimit;
  if (options.feasibilityTolerance !== undefined) settings.mip_feasibility_tolerance = options.feasibilityTolerance;
  if (options.highs) Object.assign(settings, options.highs);
  return { model: { ...rest, matrix: { format: 'csr', numRows: problem.numRows, numCols: problem.numCols, starts, indices, values } }, options: settings, start: options.start };
}

/**
 * Solve one request with a loaded HiGHS module. Self-contained (no reference to anything outside its
 * body) so the Node worker (io/highs-worker.ts) runs this very function from its source text.
 */
export function runHighs(highs: HighsModule, request: HighsRequest): HighsAnswer {
  const model = highs.createModel({
    ...request.model,
    sense: request.model.sense === 'maximize' ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
  });
  try {
    model.options.set(request.options);
    if (request.start) model.setSolution({ colValue: request.start });
    const start = Date.now();
    model.run();
    const seconds = (Date.now() - start) / 1000;
    const modelStatus = Number(model.getModelStatus());
    let colValue: Float64Array | null = null;
    try { colValue = Number(model.info.get('primal_solution_status')) === 2 ? model.getSolution().colValue : null; } catch { colValue = null; }
    const info = (name: string) => { try { return Number(model.info.get(name)); } catch { return NaN; } };
    return { modelStatus, objective: model.getObjectiveValue(), colValue, dualBound: info('mip_dual_bound'), nodes: info('mip_node_count'), seconds };
  } finally {
    model.dispose();
  }
}

/** runHighs for many objectives over one LP (self-contained too: the Node worker runs its source text). */
export function runHighsObjectives(highs: HighsModule, request: HighsRequest, objectives: SparseObjective[]): Float64Array {
  const { integrality: _integrality, ...continuous } = request.model;
  const model = highs.createModel({ ...continuous, sense: highs.constants.objectiveSense.minimize });
  const values = new Float64Array(objectives.length).fill(NaN);
  try {
    model.options.set(request.options);
    let previous: Int32Array | null = null;
    for (let o = 0; o < objectives.length; o++) {
      if (previous) for (let t = 0; t < previous.length; t++) model.changeColCost(previous[t], 0);
      const { index, coef } = objectives[o];
      for (let t = 0; t < index.length; t++) model.changeColCost(index[t], coef[t]);
      previous = index;
      model.run();
      if (Number(model.getModelStatus()) === highs.constants.modelStatus.optimal) values[o] = model.getObjectiveValue() - request.model.offset;
    }
  } finally {
    model.dispose();
  }
  return values;
}

/** The outcome record of a HiGHS answer. */
export function readAnswer(answer: HighsAnswer): MilpOutcome {
  const x = answer.colValue ? Float64Array.from(answer.colValue) : null;
  const base = { objective: x ? answer.objective : NaN, bound: answer.dualBound, x, nodes: answer.nodes, seconds: answer.seconds };
  const gapOf = () => (x ? Math.abs(answer.objective - answer.dualBound) / Math.max(1, Math.abs(answer.objective)) : NaN);
  if (answer.error) return { ...base, status: 'error', gap: NaN, message: `HiGHS failed: ${answer.error}` };
  switch (answer.modelStatus) {
    case STATUS.optimal: return { ...base, status: 'optimal', bound: Number.isFinite(answer.dualBound) ? answer.dualBound : answer.objective, gap: Number.isFinite(answer.dualBound) ? gapOf() : 0, message: 'HiGHS: optimal' };
    case STATUS.infeasible: return { ...base, status: 'infeasible', gap: NaN, message: 'HiGHS: infeasible' };
    case STATUS.timeLimit: case STATUS.iterationLimit: case STATUS.solutionLimit: case STATUS.interrupted:
      return { ...base, status: 'time-limit', gap: gapOf(), message: `HiGHS stopped at a limit (status ${answer.modelStatus})` };
    default: return { ...base, status: 'error', gap: NaN, message: `HiGHS ended with model status ${answer.modelStatus}` };
  }
}

/** The subset of the `highs` module API used here. */
export interface HighsModule {
  createModel(data: unknown): {
    options: { set(values: Record<string, unknown>): void };
    run(): void;
    getModelStatus(): number;
    getObjectiveValue(): number;
    getSolution(): { colValue: Float64Array };
    changeColCost(index: number, cost: number): void;
    setSolution(solution: { colValue: Float64Array }): void;
    info: { get(name: string): number | bigint };
    dispose(): void;
  };
  constants: { objectiveSense: { minimize: unknown; maximize: unknown }; modelStatus: { optimal: number } };
}

/** HiGHS in this thread (blocks while solving): for Web Workers and tests. */
export class InProcessSolver implements MilpSolver {
  private module: Promise<HighsModule> | null = null;

  async solve(problem: MilpProblem, options: MilpOptions = {}): Promise<MilpOutcome> {
    this.module ??= import('highs').then((loaded) => (loaded.default as unknown as () => Promise<HighsModule>)());
    const highs = await this.module;
    try {
      return readAnswer(runHighs(highs, highsRequest(problem, options)));
    } catch (error) {
      this.module = null; // a failed WebAssembly instance is not reused
      return readAnswer({ modelStatus: -1, objective: NaN, colValue: null, dualBound: NaN, nodes: 0, seconds: 0, error: (error as Error).message });
    }
  }

  async minimizeEach(problem: MilpProblem, objectives: SparseObjective[], options: MilpOptions = {}): Promise<Float64Array> {
    this.module ??= import('highs').then((loaded) => (loaded.default as unknown as () => Promise<HighsModule>)());
    const highs = await this.module;
    try {
      return runHighsObjectives(highs, highsRequest({ ...problem, colCost: new Float64Array(problem.numCols), offset: 0 }, options), objectives);
    } catch {
      this.module = null;
      return new Float64Array(objectives.length).fill(NaN);
    }
  }

  async close(): Promise<void> {
    this.module = null;
  }
}
