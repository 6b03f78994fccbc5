// Entry of src/apps/benchmark/: the standard inverse-problem tasks and the r̂_T score.
// Other folders import from this folder only through this file (test/architecture.test.ts), so it
// lists what they use: add a name here when another folder needs it.
export { runMethodItem, trainNets } from './items.ts';
export { METHOD_NAMES } from './methods.ts';
export { decodeBenchmarkPart, encodeBenchmarkPart, isBenchmarkPart, mergeBenchmarkParts, runBenchmarkShard } from './parts.ts';
export { BENCHMARK_DEFAULTS, resolveMethods, runBenchmarks, suiteForFile } from './runner.ts';
export type { BenchmarkOptions } from './runner.ts';
export { benchmarkTable } from './table.ts';
export { TASK_NAMES } from './tasks.ts';
