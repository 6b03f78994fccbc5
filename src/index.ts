// The package root in Node: `import { svd, solve, loadModelFile } from 'inversa'`. Everything of the
// browser entry (src/browser.ts) plus the node-only API of src/io/: model and CSV files, and
// loadOnnxModel with the finite-difference fallback through onnxruntime-node (an optional peer
// dependency, imported only when a graph needs it).
export * from './browser.ts';
export { loadOnnxModel, loadModelFile } from './io/model-file.ts';
export { readNumericCsv, streamNumericCsv, writeCsv } from './io/csv.ts';
// Every core (docs/scaling.md): the same results as the one-thread calls, for any `threads`.
export { solveParallel, type ParallelOptions } from './io/solve-parallel.ts';
export { solveTrajectoryParallel } from './io/trajectory-parallel.ts';
export { evaluateParallel } from './io/evaluate-parallel.ts';
export { analyzeCsv, type CsvAnalysisOptions, type CsvAnalysisReport } from './io/csv-analysis.ts';
export { availableThreads, closePools } from './io/pool.ts';
// Certification's MILP solver in a worker thread (the browser entry has the in-process one).
export { WorkerSolver, type WorkerSolverOptions } from './certify/highs-node.ts';
