// Trajectory segments on every core. A warm-started trajectory is one sequence, so without
// `segmentLength` this is solveTrajectory in the calling thread (threads change nothing). With
// `segmentLength` L the trajectory is cut into independent segments of L steps — boundaries fixed
// by L, never by the thread count — each cold-started (trajectory.ts), solved in a worker on a model
// rebuilt from its portable recipe, and put back in step order: the same report, byte for byte,
// for any thread count (test/solve/parallel-trajectory.test.ts). Models without a recipe and
// inverse-net solves stay in the calling thread, with the same result.
import { Matrix, type MatrixLike } from '../linalg/index.ts';
import { type Model, portableModel, type PortableModel } from '../model/index.ts';
import { rebuildModel } from '../onnx/index.ts';
import { resolveThreads, runTaskOr } from './pool.ts';
import type { ParallelOptions } from './solve-parallel.ts';
import { type SolveResult, solveSegment, solveTrajectory, type TrajectoryOptions, trajectoryReport, type TrajectoryReport, trajectorySegments } from '../solve/index.ts';

/** What a worker needs to solve one segment. */
interface SegmentInput {
  model: PortableModel;
  /** The segment's target rows (rows×m) and the index of its first step in the whole trajectory. */
  targets: Float64Array;
  rows: number;
  m: number;
  first: number;
  options: TrajectoryOptions;
}

/** solveTrajectory with its independent segments (segmentLength) on `threads` worker threads; the same report for any thread count. */
export async function solveTrajectoryParallel(model: Model, targets: MatrixLike, options: TrajectoryOptions & ParallelOptions = {}): Promise<TrajectoryReport> {
  const { threads: threadOption, onProgress, ...trajectoryOptions } = options;
  const threads = resolveThreads(threadOption);
  const matrix = Matrix.from(targets, 'targets');
  const segments = trajectorySegments(matrix.rows, trajectoryOptions);
  const recipe = portableModel(model);
  const start = plainStart(trajectoryOptions.start);
  if (threads === 1 || segments.length < 2 || !recipe || start === null || (trajectoryOptions.method ?? 'lm') === 'inverse-net') return solveTrajectory(model, matrix, options);
  const m = matrix.cols;
  let done = 0;
  const parts = await Promise.all(segments.map(async ([first, end]) => {
    const input: SegmentInput = { model: recipe, targets: matrix.data.slice(first * m, end * m), rows: end - first, m, first, options: { ...trajectoryOptions, start } };
    // If the worker fails, the segment is redone here (an error is then thrown as itself; pool.ts counts a worker fault).
    const part = await runTaskOr<SegmentInput, { results: SolveResult[]; warnings: string[] }>(threads, { module: import.meta.url, name: 'trajectorySegment', input }, () => segmentHere(model, input));
    done += end - first;
    onProgress?.(done, matrix.rows);
    return part;
  }));
  return trajectoryReport(model.inputNames.length, parts.flatMap((part) => part.results), parts[0].warnings, trajectoryOptions);
}

/** Worker side: solve one segment (exported for the pool; not part of the library API). */
export async function trajectorySegment(input: SegmentInput): Promise<{ results: SolveResult[]; warnings: string[] }> {
  return segmentHere(await rebuildModel(input.model), input);
}

/** Solve one segment with `model`; step numbers are those of the whole trajectory. */
function segmentHere(model: Model, input: SegmentInput): { results: SolveResult[]; warnings: string[] } {
  return solveSegment(model, new Matrix(input.rows, input.m, input.targets), input.first, input.options);
}

/** The start as plain data a worker receives unchanged (a one-row Matrix becomes its row); null when it is not one start. */
function plainStart(start: TrajectoryOptions['start']): TrajectoryOptions['start'] | null {
  if (start === undefined || start instanceof Float64Array) return start;
  if (start instanceof Matrix) return start.rows === 1 ? start.data.slice() : null;
  if (Array.isArray(start) && start.every((value) => typeof value === 'number')) return start;
  if (Array.isArray(start) && start.length === 1 && Array.isArray(start[0])) return (start[0] as number[]).slice();
  return null;
}
