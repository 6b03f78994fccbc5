// Entry of src/apps/lab/: the scientific-ML lab of the course notes, and the seed-004 gradient-descent inverse demo (public).
// Other folders import from this folder only through this file (test/architecture.test.ts), so it
// lists what they use: add a name here when another folder needs it.
export { runDoubleDescent } from './double-descent.ts';
export { runGdInverse } from './gd-inverse.ts';
export { DEFAULT_RMS_TOLERANCE, SEED_LEARNING_RATE, SEED_RANDOM_SEED, SEED_STEPS, gradientDescentInverse } from './gradient-descent-inverse.ts';
export type { GradientDescentInverseOptions, GradientDescentInverseResult } from './gradient-descent-inverse.ts';
export { runIntegrate } from './integrate.ts';
export type { KnownOdeName } from './integrate.ts';
export { runLowRank } from './lowrank.ts';
export { runRegression } from './regression.ts';
export type { FeatureBasis } from './regression.ts';
export { labHtml, labText } from './report.ts';
export type { LabResult } from './report.ts';
export { runSindy } from './sindy.ts';
export { runStability } from './stability.ts';
export type { EmulatorForm } from './stability.ts';
