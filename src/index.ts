// The package root in Node: `import { svd, solve, loadModelFile } from 'inversa'`. Everything of the
// browser entry (src/browser.ts) plus the node-only API of src/io/: model and CSV files, and
// loadOnnxModel with the finite-difference fallback through onnxruntime-node (an optional peer
// dependency, imported only when a graph needs it).
export * from './browser.ts';
export { loadModelFile, loadOnnxModel } from './io/index.ts';
export { readNumericCsv, streamNumericCsv, writeCsv } from './io/index.ts';
// Every core (docs/scaling.md): the same results as the one-thread calls, for any `threads`.
export { solveParallel } from './io/index.ts';
export type { ParallelOptions } from './io/index.ts';
export { solveTrajectoryParallel } from './io/index.ts';
export { evaluateParallel } from './io/index.ts';
export { analyzeCsv } from './io/index.ts';
export type { CsvAnalysisOptions, CsvAnalysisReport } from './io/index.ts';
export { availableThreads, closePools } from './io/index.ts';
// Certification's MILP solver in a worker thread (the browser entry has the in-process one).
export { WorkerSolver } from './io/index.ts';
export type { WorkerSolverOptions } from './io/index.ts';
