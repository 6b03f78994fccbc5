// Trajectories: a sequence of targets y*(t), t = 1..T (seed 000: p(t) = G(t)x(t), t = 1..1000),
// solved in order with warm starts — x(t−1) starts t — and an optional smoothness weight w that adds
// w·‖(x(t) − x(t−1))/s‖² to the cost, trading exactness of the fit for a calmer path.
// A warm-started trajectory is one sequence: it runs on one thread. Only when asked (segmentLength
// L) is it cut into independent segments of L steps, each cold-started from `start` — a different
// answer at every segment's first step — which solveTrajectoryParallel (src/io/trajectory-parallel.ts)
// runs on the worker pool with the same bytes for any thread count.
import { InvalidArgumentError, checkInteger, checkNonNegative } from '../core/index.ts';
import { Matrix, type MatrixLike } from '../linalg/index.ts';
import type { Model } from '../model/index.ts';
import type { SolveOptions } from './options.ts';
import { emptyCounts, type SolveResult, type SolveStatus } from './result.ts';
import { solve, type SolveReport } from './solve.ts';

export interface TrajectoryOptions extends SolveOptions {
  /** Weight w ≥ 0 of ‖(x(t) − x(t−1))/s‖² (0: exact fit at every step, warm starts only). */
  smoothness?: number;
  /**
   * Cut the trajectory into independent segments of this many steps (steps 0…L−1, L…2L−1, …), each
   * cold-started from `start` with no smoothness pull toward the previous segment's last step. Changes
   * the answer at each segment's first step (and what follows from it) against one sequential run;
   * lets the segments run in parallel. Default: one segment (the sequential run).
   */
  segmentLength?: number;
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
    /** Present when the trajectory was cut into independent segments: their length. */
    segmentLength?: number;
  };
  message: string;
  warnings: string[];
}

export function solveTrajectory(model: Model, targets: MatrixLike, options: TrajectoryOptions = {}): TrajectoryReport {
  const matrix = Matrix.from(targets, 'targets');
  const segments = trajectorySegments(matrix.rows, options);
  const results: SolveResult[] = [];
  let warnings: string[] = [];
  for (const [first, end] of segments) {
    const rows = new Matrix(end - first, matrix.cols, matrix.data.subarray(first * matrix.cols, end * matrix.cols));
    const segment = solveSegment(model, rows, first, options, (done) => options.onProgress?.(first + done, matrix.rows));
    if (first === 0) warnings = segment.warnings;
    results.push(...segment.results);
  }
  return trajectoryReport(model.inputNames.length, results, warnings, options);
}

/** Checks the trajectory options; [first, end) of each independent segment (one when no segmentLength). */
export function trajectorySegments(steps: number, options: TrajectoryOptions): [number, number][] {
  const smoothness = options.smoothness ?? 0;
  checkNonNegative(smoothness, 'smoothness');
  if (options.starts !== undefined && options.starts > 1) throw new InvalidArgumentError('a trajectory is warm-started step by step; give one start, not several (starts)');
  const length = options.segmentLength ?? steps;
  if (options.segmentLength !== undefined) checkInteger(length, 'segmentLength', 1);
  const segments: [number, number][] = [];
  for (let first = 0; first < steps; first += Math.max(1, length)) segments.push([first, Math.min(steps, first + Math.max(1, length))]);
  return segments;
}

/** The steps of one segment (its target rows) in order, warm-started after its first step (which starts from options.start); `first` numbers the steps. */
export function solveSegment(model: Model, matrix: Matrix, first: number, options: TrajectoryOptions, onStep?: (done: number) => void): { results: SolveResult[]; warnings: string[] } {
  const m = matrix.cols;
  const smoothness = options.smoothness ?? 0;
  const { smoothness: _smoothness, segmentLength: _segmentLength, onProgress: _onProgress, ...rest } = options;
  void _smoothness; void _segmentLength; void _onProgress;
  const results: SolveResult[] = [];
  let warnings: string[] = [];
  let previous: Float64Array | null = null;
  for (let t = 0; t < matrix.rows; t++) {
    const row = matrix.data.subarray(t * m, (t + 1) * m);
    const report: SolveReport = solve(model, new Matrix(1, m, row.slice()), {
      ...rest,
      start: previous ?? options.start,
      nearest: false,
      penalty: previous && smoothness > 0 ? { weight: smoothness, reference: previous } : undefined,
    });
    const result = report.results[0];
    result.target = first + t;
    if (t === 0) warnings = report.warnings;
    results.push(result);
    previous = result.x;
    onStep?.(t + 1);
  }
  return { results, warnings };
}

/** Counts, jumps (across segment boundaries too), path length and the message of a solved trajectory. */
export function trajectoryReport(n: number, results: SolveResult[], warnings: string[], options: TrajectoryOptions): TrajectoryReport {
  const smoothness = options.smoothness ?? 0;
  const counts: Record<SolveStatus, number> = emptyCounts();
  let largestJump = { size: 0, step: 0 }, pathLength = 0, maxResidual = 0;
  results.forEach((result, t) => {
    counts[result.status]++;
    maxResidual = Math.max(maxResidual, result.residualNorm);
    if (t === 0) return;
    const previous = results[t - 1].x;
    let jump = 0;
    for (let j = 0; j < n; j++) jump += (result.x[j] - previous[j]) ** 2;
    jump = Math.sqrt(jump);
    pathLength += jump;
    if (jump > largestJump.size) largestJump = { size: jump, step: t };
  });
  const steps = results.length;
  const segmented = options.segmentLength !== undefined && options.segmentLength < steps;
  const message = `${counts.converged} of ${steps} trajectory step(s) converged with warm starts${smoothness > 0 ? ` and smoothness weight ${smoothness}` : ''}`
    + `${counts['trade-off'] ? ` (${counts['trade-off']} stopped at a fit/smoothness trade-off, fit not within tolerance)` : ''}`
    + `${segmented ? ` in ${Math.ceil(steps / options.segmentLength!)} independent segments of ${options.segmentLength} steps (each cold-started)` : ''}; `
    + `largest jump ${largestJump.size.toPrecision(3)} at step ${largestJump.step}, path length ${pathLength.toPrecision(4)}, largest residual ${maxResidual.toExponential(2)}`;
  return { results, summary: { steps, counts, largestJump, pathLength, maxResidual, ...(segmented ? { segmentLength: options.segmentLength } : {}) }, message, warnings };
}
