// The package root for browsers and bundlers (`exports` condition "browser"): the whole public API
// except what reads or writes files. Reaches no node:* module (test/browser-entry.test.ts checks it).
// Re-exports the public API of every layer, left to right: linalg → model → onnx → analyze → solve →
// train → data. The LU `solve` of linalg is exported as `solveLinearSystem` so that `solve` is the
// inverse solver. In the browser, loadOnnxModel has no finite-difference fallback (it needs Node).
export * from './linalg/matrix.ts';
export * from './linalg/batch.ts';
export * from './linalg/errors.ts';
export * from './linalg/options.ts';
export * from './linalg/random.ts';
export * from './linalg/tolerance.ts';
export * from './linalg/svd.ts';
export { lu, inverse, determinant, adjugate, solve as solveLinearSystem, type LuResult } from './linalg/lu.ts';
export * from './linalg/cholesky.ts';
export * from './linalg/pinv.ts';
export * from './linalg/lstsq.ts';
export * from './linalg/low-rank.ts';
export * from './linalg/pca.ts';
export * from './linalg/gradient-descent-inverse.ts';

export type { Model, ModelMeta, Bounds } from './model/model.ts';
export { evaluateWithJacobian } from './model/model.ts';
export type { MlpSpec, DenseLayer, Activation, Scaling, LayerNorm } from './model/mlp-spec.ts';
export { MlpModel, jacobianModeFor, type JacobianMode } from './model/mlp.ts';
export { functionModel, linearModel, planarArm, kruseArm, sineModel, type FunctionModelSpec } from './model/functions.ts';
export { ballisticsModel, ballisticsLanding } from './model/ballistics.ts';
export { modelDomain, inTrainingRange, trainingRange, domainBasis, targetsOutsideOutputRange, DensityCheck, TRAINING_RANGE_STDS, type Domain, type DomainBasis } from './model/domain.ts';
export { outputBounds, affineInterval, activationInterval } from './model/intervals.ts';

export * from './onnx/index.ts';

export { analyzeInvertibility, type InvertibilityAnalysis, type InvertibilityOptions } from './analyze/invertibility.ts';
export { conditionSlice } from './analyze/slice.ts';
export { domainCheck } from './analyze/domain.ts';

export { extractNetwork } from './certify/extract.ts';
export { prepareNetwork, reachableRange, certifyTarget, type Certificate, type PreparedNetwork, type RangeEntry } from './certify/questions.ts';
export { tightenWithLp } from './certify/tighten-lp.ts';
export { InProcessSolver, type MilpSolver } from './certify/solver.ts';

export { solve, type SolveReport, type CertifyOptions, type SolveOptions, type SolveMethod, type SolveResult, type SolveStatus, type SolveReason } from './solve/solve.ts';
export { solveTrajectory, type TrajectoryOptions, type TrajectoryReport } from './solve/trajectory.ts';

export { trainModels, type TrainingRun, type TrainingRunOptions } from './train/pipeline.ts';
export { trainForward } from './train/forward.ts';
export { trainInverse } from './train/inverse.ts';
export { DATASETS, getDataset, generateDataset } from './data/datasets/index.ts';
