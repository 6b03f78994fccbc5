// Entry of src/io/: node-only: atomic file writes, CSV files and streams, streamed CSV analysis, model files, onnxruntime-node and the finite-difference fallback, thread pools, the HiGHS worker thread.
// Other folders import from this folder only through this file (test/architecture.test.ts), so it
// lists what they use: add a name here when another folder needs it.
export { checkParts, decodePart, encodePart, isPart } from './analysis-part-file.ts';
export { ANALYZE_TASK_MODULE, analyzeChunk } from './analyze-parallel.ts';
export { writeTrainingArtifacts } from './artifacts.ts';
export type { WrittenArtifacts } from './artifacts.ts';
export { openAtomicWriter, writeFileAtomic } from './atomic.ts';
export type { AtomicFileWriter } from './atomic.ts';
export { peekFirstRecord } from './columns.ts';
export { analyzeCsv, analyzeCsvPart, countLines, finishCsvAnalysis, optionsOfPart } from './csv-analysis.ts';
export type { CsvAnalysisOptions, CsvAnalysisReport } from './csv-analysis.ts';
export { parseNumberList, readCsvTable, readNumericCsv, streamNumericCsv, writeCsv } from './csv.ts';
export { evaluateBlock, evaluateParallel } from './evaluate-parallel.ts';
export { WorkerSolver } from './highs-worker.ts';
export type { WorkerSolverOptions } from './highs-worker.ts';
export { MAX_MODEL_FILE_BYTES, assertRegularFile } from './input-file.ts';
export { writeJson } from './json-file.ts';
export { loadModelFile, loadOnnxModel } from './model-file.ts';
export { isOsError, osErrorText } from './os-error.ts';
export { availableThreads, closePools, poolUsage, prewarmPool, resolveThreads, runTask, runTaskOr } from './pool.ts';
export type { PoolUsage } from './pool.ts';
export { SOLVE_TASK_MODULE, solveChunk, solveParallel } from './solve-parallel.ts';
export type { ParallelOptions } from './solve-parallel.ts';
export { solveTrajectoryParallel, trajectorySegment } from './trajectory-parallel.ts';
