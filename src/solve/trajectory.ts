// Trajectories: a sequence of targets y*(t), t = 1..T (seed 000: p(t) = G(t)x(t), t = 1..1000),
// solved in order with warm starts — x(t−1) starts t — and an optional smoothness weight w that adds
// w·‖(x(t) − x(t−1))/s‖² to the cost, trading exactness of the fit for a calmer path.
import { InvalidArgumentError } from '../linalg/errors.ts';
import { Matrix, type MatrixLike } from '../linalg/matrix.ts';
import type { Model } from '../model/model.ts';
import type { SolveOptions } from './options.ts';
import type { SolveResult, SolveStatus } from './result.ts';
import { solve, type SolveReport } from './solve.ts';

export interface TrajectoryOptions extends SolveOptions {
  /** Weight w ≥ 0 of ‖(x(t) − x(t−1))/s‖² (0: exact fit at every step, warm starts only). */
  smoothness?: number;
}

export interface TrajectoryReport {
  results: SolveResult[];
  summary: {
    steps: number;
    counts: Record<SolveStatus, number>;
    /** Largest ‖x(t) − x(t−1)‖ and its step index t. */
    largestJump: { size: number; step: number };
    /** Σ ‖x(t) − x(t−1)‖. */
    pathLength: number;
    maxResidual: number;
  };
  message: string;
  warnings: string[];
}

export function solveTrajectory(model: Model, targets: MatrixLike, options: TrajectoryOptions = {}): TrajectoryReport {
  const matrix = Matrix.from(targets, 'targets');
  const smoothness = options.smoothness ?? 0;
  if (!(smoothness >= 0 && Number.isFinite(smoothness))) throw new InvalidArgumentError(`smoothness must be a finite number ≥ 0, got ${smoothness}`);
  if (options.starts !== undefined && options.starts > 1) throw new InvalidArgumentError('a trajectory is warm-started step by step; give one start, not several (starts)');
  const n = model.inputNames.length, m = matrix.cols;
  const results: SolveResult[] = [];
  const warnings: string[] = [];
  const counts: Record<SolveStatus, number> = { 'converged': 0, 'max-iterations': 0, 'stalled': 0, 'infeasible-within-bounds': 0, 'optimal': 0, 'infeasible': 0 };
  let previous: Float64Array | null = null;
  let largestJump = { size: 0, step: 0 }, pathLength = 0, maxResidual = 0;
  const { smoothness: _unused, onProgress, ...rest } = options;
  void _unused;
  for (let t = 0; t < matrix.rows; t++) {
    const row = matrix.data.subarray(t * m, (t + 1) * m);
    const report: SolveReport = solve(model, new Matrix(1, m, row.slice()), {
      ...rest,
      start: previous ?? options.start,
      penalty: previous && smoothness > 0 ? { weight: smoothness, reference: previous } : undefined,
    });
    const result = report.results[0];
    result.target = t;
    if (t === 0) warnings.push(...report.warnings);
    results.push(result);
    counts[result.status]++;
    maxResidual = Math.max(maxResidual, result.residualNorm);
    if (previous) {
      let jump = 0;
      for (let j = 0; j < n; j++) jump += (result.x[j] - previous[j]) ** 2;
      jump = Math.sqrt(jump);
      pathLength += jump;
      if (jump > largestJump.size) largestJump = { size: jump, step: t };
    }
    previous = result.x;
    onProgress?.(t + 1, matrix.rows);
  }
  const message = `${counts.converged} of ${matrix.rows} trajectory step(s) converged with warm starts${smoothness > 0 ? ` and smoothness weight ${smoothness}` : ''}; `
    + `largest jump ${largestJump.size.toPrecision(3)} at step ${largestJump.step}, path length ${pathLength.toPrecision(4)}, largest residual ${maxResidual.toExponential(2)}`;
  return { results, summary: { steps: matrix.rows, counts, largestJump, pathLength, maxResidual }, message, warnings };
}
