// Options of `solve` and their defaults, in one place. Every tolerance here is relative (to the
// target size, to σ_max of the Jacobian, or to the current cost) and named.
import type { MatrixLike, VectorLike } from '../linalg/index.ts';
import type { Domain, Model } from '../model/index.ts';

export type SolveMethod = 'lm' | 'gauss-newton' | 'min-norm' | 'jacobian-transpose' | 'nio' | 'inverse-net';
export const SOLVE_METHODS: readonly SolveMethod[] = ['lm', 'gauss-newton', 'min-norm', 'jacobian-transpose', 'nio', 'inverse-net'];

/** Iteration caps per method (rounds of "propose a step, evaluate, accept or reject"). */
export const DEFAULT_MAX_ITERATIONS: Record<SolveMethod, number> = {
  'lm': 200,
  'gauss-newton': 200,
  'min-norm': 1,
  'jacobian-transpose': 20_000,
  'nio': 300,
  'inverse-net': 200,
};

/** Seed 000 §3 settings of Neural Input Optimization: Adam lr 0.01, 300 steps, λ = 0.01. */
export const NIO_DEFAULTS = { learningRate: 0.01, steps: 300, lambda: 0.01 } as const;

/** Neural Input Optimization: Adam on x for ‖f(x) − y*‖² + λ‖x − x_ref‖² (seed 000 §3). */
export interface NioOptions {
  learningRate?: number;
  steps?: number;
  lambda?: number;
  /** x_ref of the penalty (default: 0, as in the seed). */
  reference?: VectorLike;
  /** 'projection': clamp after each Adam step; 'sigmoid': optimise u with x = lo + (hi − lo)·σ(u). */
  boxMode?: 'projection' | 'sigmoid';
}
import type { MilpSolver } from '../certify/index.ts';

export interface SolveOptions {
  /** Default 'lm' (damped least squares). */
  method?: SolveMethod;
  /** One start (length n, used for every target) or one per target (N×n). */
  start?: MatrixLike | VectorLike;
  /** K > 1: K seeded Latin-hypercube starts per target inside the bounds; all distinct solutions are reported. */
  starts?: number;
  /** Seed of every random choice (starts). Default 0. */
  seed?: number;
  lower?: VectorLike;
  upper?: VectorLike;
  /** false: ignore bounds stored in the model metadata. */
  useModelBounds?: boolean;
  /** Per-output weights (≥ 0) on the residual. */
  weights?: VectorLike;
  /** Secondary objective once the targets are met: linear cost pᵀx (one price per input). */
  cost?: VectorLike;
  /** Secondary objective once the targets are met: distance to this operating point. */
  reference?: VectorLike;
  maxIterations?: number;
  /** Relative tolerance: converged when ‖scaled residual‖ ≤ tolerance·(1 + ‖scaled target‖). */
  tolerance?: number;
  /** Largest step, in scaled input units (input std when known). Default: see engine. */
  maxStep?: number;
  /** Relative singular-value cutoff of pseudo-inverse steps (default max(m, n)·ε). */
  rtol?: number;
  /** Scale inputs and outputs by the training std from the model metadata (default true). */
  standardize?: boolean;
  nio?: NioOptions;
  /** Method 'inverse-net': a model y → x whose output is the start of the `lm` refinement. */
  proposer?: Model;
  /** Called after each round with (targets finished, targets total). */
  onProgress?: (done: number, total: number) => void;
  /** Keep the scaled residual norm of every accepted step (for plots and tests). */
  keepHistory?: boolean;
  /**
   * Escalation budget: most starts per target when the first one does not converge (default
   * DEFAULT_MAX_STARTS): the training mean, then seeded Latin-hypercube starts. 1 turns it off.
   */
  maxStarts?: number;
  /**
   * Index of the first target row in the whole problem (default 0). Random starts of target k come
   * from (seed, firstTargetIndex + k) alone, so a solve split into chunks gives the same bytes.
   */
  firstTargetIndex?: number;
  /** The global index of every target row (a shard of non-contiguous rows); overrides firstTargetIndex. */
  targetIndices?: ArrayLike<number>;
  /**
   * Without cost or reference, where the solution set has dimension > 0, return the solution nearest
   * (standardized units) to the default reference: the training mean, else the box centre (default
   * true). false: return the point the iteration reached.
   */
  nearest?: boolean;
  /** Where the model is valid (default: modelDomain(model), from its metadata and detected scaling). */
  domain?: Domain;
  /** false: skip the targets-outside-the-outputs'-range warning (a chunked solve checks all targets once). */
  checkTargetRange?: boolean;
}

/** solve(model, targets, { certify: true, … }): the extra options of certified answers. */
export interface CertifyOptions {
  /**
   * Answer globally with a certificate (piecewise-linear networks, finite box): a MILP per target
   * proves it infeasible or finds the optimal (cheapest / nearest) point, which the local solver
   * then polishes. solve() then returns a Promise. See src/solve/certified.ts.
   */
  certify: true;
  /** With certify: wall-clock limit per MILP in seconds. */
  timeLimit?: number;
  /** With certify and a reference: the distance minimized, 'l1' (default) or 'linf', in scaled input units. */
  distance?: 'l1' | 'linf';
  /** With certify: the MILP solver (default: HiGHS in this thread; Node shells pass WorkerSolver from src/io/highs-worker.ts). */
  milpSolver?: MilpSolver;
  /**
   * With certify: several MILP solvers (e.g. one WorkerSolver per core); targets are answered
   * concurrently, one per solver at a time, with the same results as on one solver. Overrides milpSolver.
   */
  milpSolvers?: MilpSolver[];
}

/** Starts per target the default solve may use before it says "not reached" (1 + mean + LHS). */
export const DEFAULT_MAX_STARTS = 16;
/** Latin-hypercube starts of the first escalation wave; the rest of the budget is the second wave. */
export const FIRST_LHS_WAVE = 3;
/** Methods that escalate to more starts by themselves (min-norm takes one step, NIO a fixed schedule). */
export const ESCALATING_METHODS: readonly SolveMethod[] = ['lm', 'gauss-newton', 'jacobian-transpose', 'inverse-net'];
