// `inversa benchmark TASK [--T 1,10,50] [--targets 200] [--seed 0] [--methods lm,nio,inverse-net,hybrid]
// [--epochs N] [--json] [--out file.json]`: the standard inverse-problem benchmark (arm, sine,
// ballistics) scored with r̂_T, printed as a table beside the published figures. A thin shell over
// src/benchmark/runner.ts; stage messages go to stderr only when it is a terminal.
import type { Command } from 'commander';
import { parseNumberList } from '../data/csv.ts';
import { checkWithinLimit } from '../common/limits.ts';

/** Generous working memory of one candidate or sample row of a benchmark task (≤ 16 inputs and outputs, 8 copies). */
const BENCHMARK_ROW_BYTES = 8 * 8 * 32;
import { METHOD_NAMES } from '../benchmark/methods.ts';
import { BENCHMARK_DEFAULTS, resolveMethods, runBenchmark } from '../benchmark/runner.ts';
import { benchmarkTable } from '../benchmark/table.ts';
import { TASK_NAMES } from '../benchmark/tasks.ts';
import { stringifyJson, writeJson } from '../common/json.ts';
import { UsageError } from './main.ts';

interface BenchmarkCliOptions {
  T: string;
  targets: string;
  seed: string;
  methods: string;
  epochs?: string;
  samples: string;
  json?: boolean;
  out?: string;
}

function positiveInteger(text: string, option: string, minimum = 1): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < minimum) {
    throw new UsageError(`${option} must be an integer ≥ ${minimum}, got '${text}'`);
  }
  return value;
}

export function register(program: Command): void {
  program
    .command('benchmark <task>')
    .description(`score inversa's inverse methods on a standard task (${TASK_NAMES.join(', ')}) with r̂_T, beside the published neural-adjoint and tandem figures`)
    .option('--T <list>', 'numbers of candidates per target to score', BENCHMARK_DEFAULTS.tValues.join(','))
    .option('--targets <n>', 'number of test targets', String(BENCHMARK_DEFAULTS.targets))
    .option('--seed <n>', 'seed of training data, targets and methods', String(BENCHMARK_DEFAULTS.seed))
    .option('--methods <list>', `methods to run (${METHOD_NAMES.join(', ')})`, METHOD_NAMES.join(','))
    .option('--samples <n>', 'training samples for the surrogate', String(BENCHMARK_DEFAULTS.trainingSamples))
    .option('--epochs <n>', 'training epochs of the surrogate and inverse net (default: see runner)')
    .option('--json', 'print the report as JSON')
    .option('--out <file.json>', 'also write the JSON report to this file')
    .action((task: string, options: BenchmarkCliOptions) => {
      if (!TASK_NAMES.includes(task as (typeof TASK_NAMES)[number])) {
        throw new UsageError(`unknown task '${task}'; available: ${TASK_NAMES.join(', ')}`);
      }
      const tValues = Array.from(parseNumberList(options.T, '--T'));
      const targetCount = positiveInteger(options.targets, '--targets');
      // Candidates (targets × T rows of inputs and outputs, with working copies) and training samples must fit in memory.
      for (const t of tValues) if (Number.isInteger(t) && t > 0) checkWithinLimit(t, '--T', targetCount * BENCHMARK_ROW_BYTES);
      checkWithinLimit(targetCount, '--targets', Math.max(...tValues.filter((t) => t > 0), 1) * BENCHMARK_ROW_BYTES);
      checkWithinLimit(positiveInteger(options.samples, '--samples', 20), '--samples', BENCHMARK_ROW_BYTES);
      for (const T of tValues) if (!Number.isInteger(T) || T < 1) throw new UsageError(`--T values must be positive integers, got ${T}`);
      let methods: ReturnType<typeof resolveMethods>;
      try {
        methods = resolveMethods(options.methods.split(',').map((method) => method.trim()).filter(Boolean));
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const showStages = process.stderr.isTTY && !options.json;
      const report = runBenchmark({
        task,
        tValues,
        targets: positiveInteger(options.targets, '--targets'),
        seed: positiveInteger(options.seed, '--seed', 0),
        methods,
        trainingSamples: positiveInteger(options.samples, '--samples', 20),
        network: options.epochs === undefined ? {} : { epochs: positiveInteger(options.epochs, '--epochs') },
        onStage: showStages ? (stage) => process.stderr.write(`  ${stage}…\n`) : undefined,
      });
      if (options.out) writeJson(options.out, report);
      process.stdout.write(options.json ? stringifyJson(report) : benchmarkTable(report) + '\n');
      if (options.out && !options.json) process.stdout.write(`report written to ${options.out}\n`);
    });
}
