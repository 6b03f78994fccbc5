// `inversa benchmark TASK[,TASK…] [--T 1,10,50] [--targets 200] [--seed 0[,1,…]] [--methods lm,nio,inverse-net,hybrid]
// [--epochs N] [--threads N] [--shard K/N] [--json] [--out file.json]`: the standard inverse-problem
// benchmark (arm, sine, ballistics) scored with r̂_T, printed as a table beside the published
// figures. Work items (tasks × seeds × methods) run on --threads worker threads; --shard K/N runs
// the items with index ≡ K (mod N) and writes a part for `inversa merge`. The written file has no
// timings (same bytes for any thread count and for merged shards); the printed table and --json keep
// them. A thin shell over src/apps/benchmark/runner.ts; stage messages go to stderr only on a terminal.
import type { Command } from 'commander';
import { parseNumberList, writeFileAtomic, writeJson } from '../../io/index.ts';
import { checkWithinLimit, formatSeconds, stringifyJson, UsageError, checkIntegerList } from '../../core/index.ts';

/** Generous working memory of one candidate or sample row of a benchmark task (≤ 16 inputs and outputs, 8 copies). */
const BENCHMARK_ROW_BYTES = 8 * 8 * 32;
import { METHOD_NAMES, encodeBenchmarkPart, runBenchmarkShard, BENCHMARK_DEFAULTS, type BenchmarkOptions, resolveMethods, runBenchmarks, suiteForFile, benchmarkTable, TASK_NAMES } from '../benchmark/index.ts';
import { parseShard, parseThreads } from './parallel-options.ts';
import { asUsage, integerOption } from './option-text.ts';

interface BenchmarkCliOptions {
  T: string;
  targets: string;
  seed: string;
  methods: string;
  epochs?: string;
  samples: string;
  threads?: string;
  shard?: string;
  json?: boolean;
  out?: string;
}


export function register(program: Command): void {
  program
    .command('benchmark <tasks...>')
    .description(`score inversa's inverse methods on standard tasks (${TASK_NAMES.join(', ')}) with r̂_T, beside the published neural-adjoint and tandem figures`)
    .option('--T <list>', 'numbers of candidates per target to score', BENCHMARK_DEFAULTS.tValues.join(','))
    .option('--targets <n>', 'number of test targets', String(BENCHMARK_DEFAULTS.targets))
    .option('--seed <list>', 'seed of training data, targets and methods; several (0,1,2) run every task with each', String(BENCHMARK_DEFAULTS.seed))
    .option('--methods <list>', `methods to run (${METHOD_NAMES.join(', ')})`, METHOD_NAMES.join(','))
    .option('--samples <n>', 'training samples for the surrogate', String(BENCHMARK_DEFAULTS.trainingSamples))
    .option('--epochs <n>', 'training epochs of the surrogate and inverse net (default: see runner)')
    .option('--threads <n>', 'worker threads for the work items (default: available cores; results do not depend on it)')
    .option('--shard <K/N>', 'run only the work items (tasks × seeds × methods) with index ≡ K mod N; write a part to --out for `inversa merge`')
    .option('--json', 'print the report as JSON (with timings)')
    .option('--out <file.json>', 'also write the JSON report to this file (without timings)')
    .action(async (taskArguments: string[], options: BenchmarkCliOptions) => {
      const tasks = taskArguments.flatMap((text) => text.split(',')).map((task) => task.trim()).filter(Boolean);
      for (const task of tasks) {
        if (!TASK_NAMES.includes(task as (typeof TASK_NAMES)[number])) throw new UsageError(`unknown task '${task}'; available: ${TASK_NAMES.join(', ')}`);
      }
      const tValues = Array.from(parseNumberList(options.T, '--T'));
      const targetCount = integerOption(options.targets, '--targets', 1);
      // Candidates (targets × T rows of inputs and outputs, with working copies) and training samples must fit in memory.
      for (const t of tValues) if (Number.isInteger(t) && t > 0) checkWithinLimit(t, '--T', targetCount * BENCHMARK_ROW_BYTES);
      checkWithinLimit(targetCount, '--targets', Math.max(...tValues.filter((t) => t > 0), 1) * BENCHMARK_ROW_BYTES);
      checkWithinLimit(integerOption(options.samples, '--samples', 20), '--samples', BENCHMARK_ROW_BYTES);
      asUsage(() => checkIntegerList(tValues, '--T values', 1));
      let methods: ReturnType<typeof resolveMethods>;
      try {
        methods = resolveMethods(options.methods.split(',').map((method) => method.trim()).filter(Boolean));
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const seeds = options.seed.split(',').map((seed) => integerOption(seed, '--seed', 0));
      const threads = parseThreads(options.threads);
      const shard = parseShard(options.shard);
      const showStages = process.stderr.isTTY && !options.json;
      const benchmark: BenchmarkOptions = {
        tasks,
        tValues,
        targets: integerOption(options.targets, '--targets', 1),
        seeds,
        methods,
        trainingSamples: integerOption(options.samples, '--samples', 20),
        network: options.epochs === undefined ? {} : { epochs: integerOption(options.epochs, '--epochs', 1) },
        threads,
        onStage: showStages ? (stage) => process.stderr.write(`  ${stage}…\n`) : undefined,
      };
      if (shard) {
        if (!options.out) throw new UsageError('--shard needs --out PART.json (the part that `inversa merge` joins)');
        if (options.json) throw new UsageError('--shard writes a part for `inversa merge`; ask for the report there');
        const { part, seconds } = await runBenchmarkShard(benchmark, shard);
        writeFileAtomic(options.out, encodeBenchmarkPart(part));
        process.stdout.write(`shard ${shard.index}/${shard.count}: ${part.items.length} work item(s) in ${formatSeconds(seconds)}; wrote ${options.out} (join the ${shard.count} parts with \`inversa merge\`)\n`);
        return;
      }
      const suite = await runBenchmarks(benchmark);
      if (options.out) writeJson(options.out, suiteForFile(suite.runs));
      if (options.json) process.stdout.write(stringifyJson(suite.runs.length === 1 ? suite.runs[0] : suite));
      else {
        process.stdout.write(suite.runs.map(benchmarkTable).join('\n\n') + '\n');
        process.stdout.write(`${suite.runs.length} run(s) (tasks × seeds), ${suite.runs.length * methods.length} work item(s) in ${formatSeconds(suite.seconds)} on ${suite.threads} thread(s)\n`);
        if (options.out) process.stdout.write(`report written to ${options.out}\n`);
      }
    });
}
