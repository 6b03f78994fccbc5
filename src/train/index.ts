// Entry of src/train/: forward and inverse network training, precision choice (`float32/` WebAssembly SIMD path).
// Other folders import from this folder only through this file (test/architecture.test.ts), so it
// lists what they use: add a name here when another folder needs it.
export { Adam } from './adam.ts';
export { NETWORK_DEFAULTS, trainForward } from './forward.ts';
export type { NetworkOptions } from './forward.ts';
export { DEFAULT_ALPHA, parseAlphaSchedule, trainInverse } from './inverse.ts';
export type { EpochProgress } from './loop.ts';
export { meanSquaredErrorGradient } from './loss.ts';
export type { PcaOptions } from './pca-projection.ts';
export { trainModels } from './pipeline.ts';
export type { TrainingRun, TrainingRunOptions, TrainingStage } from './pipeline.ts';
export { createTrainingNetwork } from './precision.ts';
export type { TrainingPrecision } from './precision.ts';
export { prepareData } from './prepare.ts';
export type { PreparedData, TrainingTable } from './prepare.ts';
export { trainingReport } from './report.ts';
export { DEFAULT_SEED } from './seeds.ts';
