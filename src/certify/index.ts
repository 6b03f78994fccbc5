// Entry of src/certify/: exact MILP encodings of piecewise-linear networks, bound tightening, global questions answered by HiGHS with certificates.
// Other folders import from this folder only through this file (test/architecture.test.ts), so it
// lists what they use: add a name here when another folder needs it.
export { extractNetwork } from './extract.ts';
export type { MilpProblem } from './milp.ts';
export { certifyTarget, notCertified, prepareNetwork, reachableRange, targetObjectiveValue } from './questions.ts';
export type { Certificate, PreparedNetwork, RangeEntry, TargetObjective } from './questions.ts';
export { randomReluSpec } from './random-network.ts';
export { InProcessSolver, highsRequest, readAnswer, runHighs, runHighsObjectives } from './solver.ts';
export type { HighsAnswer, MilpOptions, MilpOutcome, MilpSolver, SparseObjective } from './solver.ts';
export { tightenWithLp } from './tighten-lp.ts';
