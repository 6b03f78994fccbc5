// Entry of src/solve/: inverse solvers (`methods/`: lm, gauss-newton, min-norm, jacobian-transpose, nio), the iteration loop, small SVD, bounds, objectives, starts and escalation, certified solving, trajectories.
// Other folders import from this folder only through this file (test/architecture.test.ts), so it
// lists what they use: add a name here when another folder needs it.
export { resolveBounds } from './bounds.ts';
export { SOLVE_METHODS } from './options.ts';
export type { CertifyOptions, SolveMethod, SolveOptions } from './options.ts';
export { parseTargets, scalesFrom } from './problem.ts';
export type { SolveProblem, TargetsInput } from './problem.ts';
export { emptyCounts } from './result.ts';
export type { SolveReason, SolveResult, SolveStatus } from './result.ts';
export { solve, summarize, summaryMessage, targetRangeWarning } from './solve.ts';
export type { SolveReport, SolveSummary } from './solve.ts';
export { latinHypercube, resolveStarts } from './starts.ts';
export { solveSegment, solveTrajectory, trajectoryReport, trajectorySegments } from './trajectory.ts';
export type { TrajectoryOptions, TrajectoryReport } from './trajectory.ts';
