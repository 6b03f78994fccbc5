// The package root for browsers and bundlers (`exports` condition "browser"): the whole public API
// except what reads or writes files. Reaches no node:* module (test/browser-entry.test.ts checks it).
// Re-exports the public API of every layer, left to right: linalg → model → onnx → analyze → solve →
// train → data. The LU `solve` of linalg is exported as `solveLinearSystem` so that `solve` is the
// inverse solver. In the browser, loadOnnxModel has no finite-difference fallback (it needs Node).
export { frobeniusNorm, Matrix, multiply, multiplyVector, norm2, toVector } from './linalg/index.ts';
export type { MatrixLike, VectorLike } from './linalg/index.ts';
export { MatrixBatch } from './linalg/index.ts';
export { assertFinite, InvalidArgumentError, InversaError, NonFiniteError, ShapeError, shapeText, SingularMatrixError, UsageError } from './core/index.ts';
export { checkChoice, checkFiniteArray, checkInteger, checkIntegerList, checkNonNegative, checkNumber, checkPositive, checkProbability, numberFromText, parseNumberText } from './core/index.ts';
export type { AcceptedRange } from './core/index.ts';
export { Random } from './linalg/index.ts';
export { defaultRtol, EPSILON, numericalRank } from './linalg/index.ts';
export { completeOrthonormalRow, JACOBI_MAX_SWEEPS, jacobiSingularValues, jacobiSvd, jacobiToleranceSquared, jacobiWorkSize, orthogonalizeRows, singularValues, spectrumBatch, svd, svdBatch, SvdWorkspace } from './linalg/index.ts';
export type { SpectrumBatchResult, SvdBatchResult, SvdOptions, SvdResult } from './linalg/index.ts';
export { adjugate, determinant, inverse, lu, solve as solveLinearSystem } from './linalg/index.ts';
export type { LuResult } from './linalg/index.ts';
export { cholesky, choleskyFactor, choleskyInPlace, choleskySolve, choleskySolveInPlace } from './linalg/index.ts';
export { cond, dampedPinv, nullSpace, nullSpaceProjector, pinv, pseudoInverseFromSvd, rank, svdRank } from './linalg/index.ts';
export type { RtolOptions } from './linalg/index.ts';
export { leftInverse, lstsq, rightInverse } from './linalg/index.ts';
export type { LstsqKind, LstsqResult } from './linalg/index.ts';
export { lowRank, rankForRelativeError } from './linalg/index.ts';
export type { LowRankResult } from './linalg/index.ts';
export { fitPca, LOST_VARIANCE_WARNING, SCALE_SPREAD_WARNING } from './linalg/index.ts';
export type { Pca, PcaOptions } from './linalg/index.ts';
export { DEFAULT_RMS_TOLERANCE, gradientDescentInverse, SEED_LEARNING_RATE, SEED_RANDOM_SEED, SEED_STEPS } from './apps/lab/index.ts';
export type { GradientDescentInverseOptions, GradientDescentInverseResult } from './apps/lab/index.ts';

export type { Bounds, Model, ModelMeta } from './model/index.ts';
export { evaluateWithJacobian } from './model/index.ts';
export type { Activation, DenseLayer, LayerNorm, MlpSpec, Scaling } from './model/index.ts';
export { jacobianModeFor, MlpModel } from './model/index.ts';
export type { JacobianMode } from './model/index.ts';
export { functionModel, kruseArm, linearModel, planarArm, sineModel } from './model/index.ts';
export type { FunctionModelSpec } from './model/index.ts';
export { ballisticsLanding, ballisticsModel } from './model/index.ts';
export { DensityCheck, domainBasis, inTrainingRange, modelDomain, targetsOutsideOutputRange, TRAINING_RANGE_STDS, trainingRange } from './model/index.ts';
export type { Domain, DomainBasis } from './model/index.ts';
export { activationInterval, affineInterval, outputBounds } from './model/index.ts';

export { annotateOnnx, DEFAULT_OPSET, exportMlpToOnnx, inspectOnnx, loadOnnxModel, METADATA_KEYS, OnnxFormatError, OnnxModel, SUPPORTED_OPERATORS, UnsupportedOperatorError } from './onnx/index.ts';
export type { ExportOptions, Knowledge, LoadOptions, OnnxInspection } from './onnx/index.ts';

export { analyzeInvertibility } from './analyze/index.ts';
export type { InvertibilityAnalysis, InvertibilityOptions } from './analyze/index.ts';
export { conditionSlice } from './analyze/index.ts';
export { domainCheck } from './analyze/index.ts';

export { extractNetwork } from './certify/index.ts';
export { certifyTarget, prepareNetwork, reachableRange } from './certify/index.ts';
export type { Certificate, PreparedNetwork, RangeEntry } from './certify/index.ts';
export { tightenWithLp } from './certify/index.ts';
export { InProcessSolver } from './certify/index.ts';
export type { MilpSolver } from './certify/index.ts';

export { solve } from './solve/index.ts';
export type { CertifyOptions, SolveMethod, SolveOptions, SolveReason, SolveReport, SolveResult, SolveStatus } from './solve/index.ts';
export { solveTrajectory } from './solve/index.ts';
export type { TrajectoryOptions, TrajectoryReport } from './solve/index.ts';

export { trainModels } from './train/index.ts';
export type { TrainingRun, TrainingRunOptions } from './train/index.ts';
export { trainForward } from './train/index.ts';
export { trainInverse } from './train/index.ts';
export { DATASETS, generateDataset, getDataset } from './data/index.ts';
