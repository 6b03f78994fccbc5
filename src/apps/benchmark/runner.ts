// A benchmark run: for every task and seed, draw the seeded samples from the task's prior, train the
// surrogate forward net (and the inverse net when a method needs it), draw the test targets
// y* = f_true(x) from fresh prior samples, let every method propose candidates on the surrogate, and
// score them with r̂_T. The work is split into items (tasks × seeds × methods, src/apps/benchmark/items.ts)
// that run on the worker pool (`threads`) or only in part (`shard`, joined by src/apps/benchmark/parts.ts);
// the report is the same for any thread count and for merged shards. Timings (`seconds`) are
// measurements of this run: printed and in --json, never in the written file (`reportForFile`).
import { InvalidArgumentError, checkInteger, checkIntegerList } from '../../core/index.ts';
import { resolveThreads, runTaskOr } from '../../io/index.ts';
import type { NetworkOptions } from '../../train/index.ts';
import {
  type BenchmarkRequest, INVERSE_NET_ALPHA, ITEMS_MODULE, type MethodItemInput, type MethodOutcome, needsInverseNet, runMethodItem, type TrainedNets,
  trainNets, type TrainingInput, type WorkItem, workItems,
} from './items.ts';
import { METHOD_NAMES, type MethodName } from './methods.ts';
import { getTask, type PublishedFigures, TASK_NAMES, type TaskName } from './tasks.ts';

export { INVERSE_NET_ALPHA, SURROGATE_NETWORK, TASK_SURROGATE_NETWORK, trainingBox } from './items.ts';
export type { BenchmarkRequest, MethodOutcome, WorkItem } from './items.ts';

export const BENCHMARK_DEFAULTS = {
  tValues: [1, 10, 50],
  targets: 200,
  seed: 0,
  trainingSamples: 10_000,
  methods: METHOD_NAMES,
} as const;

export interface BenchmarkOptions {
  /** One task or several (each run with every seed). */
  task?: TaskName | string;
  tasks?: (TaskName | string)[];
  tValues?: number[];
  targets?: number;
  /** One seed or several (`seeds`); default 0. */
  seed?: number;
  seeds?: number[];
  methods?: MethodName[];
  trainingSamples?: number;
  /** Override the surrogate/inverse network settings (e.g. fewer epochs in tests). */
  network?: NetworkOptions;
  /** Worker threads (default: the available cores). The report does not depend on it. */
  threads?: number;
  /** Stage messages ("arm seed 0: training nets", …) for a progress display. */
  onStage?: (stage: string) => void;
}

/** The report of one (task, seed). */
export interface BenchmarkReport {
  task: TaskName;
  description: string;
  seed: number;
  trainingSamples: number;
  targets: number;
  tValues: number[];
  surrogate: { testMse: number; seconds: number; epochs: number; network: NetworkOptions };
  inverseNet?: { seconds: number; alpha: number };
  methods: MethodOutcome[];
  published: PublishedFigures;
  /** Training plus methods, summed (with several threads they overlap: not a wall time). */
  seconds: number;
  message: string;
}

/** Every (task, seed) of a run, in the order tasks × seeds, and the run's wall time. */
export interface BenchmarkSuite {
  runs: BenchmarkReport[];
  seconds: number;
  threads: number;
}

export function resolveMethods(methods: readonly string[]): MethodName[] {
  for (const method of methods) {
    if (!METHOD_NAMES.includes(method as MethodName)) {
      throw new InvalidArgumentError(`--methods: unknown method '${method}'; available: ${METHOD_NAMES.join(', ')}`);
    }
  }
  if (methods.length === 0) throw new InvalidArgumentError(`--methods is empty; give one or more of ${METHOD_NAMES.join(', ')}`);
  return [...new Set(methods)] as MethodName[];
}

/** The options checked and resolved into plain data (what workers and shard parts carry). */
export function resolveRequest(options: BenchmarkOptions): BenchmarkRequest {
  const taskNames = options.tasks ?? (options.task !== undefined ? [options.task] : []);
  if (taskNames.length === 0) throw new InvalidArgumentError(`give a benchmark task: ${TASK_NAMES.join(', ')}`);
  const tasks = [...new Set(taskNames.map((name) => getTask(name).name))];
  const tValues = [...new Set(options.tValues ?? BENCHMARK_DEFAULTS.tValues)].sort((a, b) => a - b);
  checkIntegerList(tValues, '--T values', 1);
  if (tValues.length === 0) throw new InvalidArgumentError('--T is empty; give one or more numbers of candidates per target');
  const targets = options.targets ?? BENCHMARK_DEFAULTS.targets;
  checkInteger(targets, '--targets', 1);
  const seeds = [...new Set(options.seeds ?? [options.seed ?? BENCHMARK_DEFAULTS.seed])];
  for (const seed of seeds) checkInteger(seed, '--seed');
  if (seeds.length === 0) throw new InvalidArgumentError('--seed is empty; give one or more seeds');
  const trainingSamples = options.trainingSamples ?? BENCHMARK_DEFAULTS.trainingSamples;
  checkInteger(trainingSamples, 'trainingSamples', 20);
  const methods = resolveMethods(options.methods ?? [...BENCHMARK_DEFAULTS.methods]);
  const { onEpoch: _onEpoch, ...network } = options.network ?? {};
  void _onEpoch; // a callback cannot travel to workers; progress comes from onStage
  return { tasks, seeds, methods, tValues, targets, trainingSamples, network };
}

/** The answer of one work item, as a shard part records it (the nets' facts, the method's outcome). */
export interface ItemAnswer {
  item: WorkItem;
  surrogate: TrainedNets['surrogate'];
  inverseSeconds?: number;
  outcome: MethodOutcome;
}

/**
 * Run `items` of the request on `threads` threads (1: in this thread). Each (task, seed) trains its
 * nets once, as one task; its method items start as soon as the nets are there. Answers in item order.
 */
export async function runItems(request: BenchmarkRequest, items: WorkItem[], threads: number, stage: (text: string) => void = () => {}): Promise<ItemAnswer[]> {
  const call = <I, O>(name: string, local: (input: I) => O, input: I): Promise<O> =>
    threads === 1
      ? new Promise((resolve) => resolve(local(input)))
      // An error crossing threads loses its class: if the worker fails, the task is redone here, where it is thrown as itself (a one-line CLI error).
      : runTaskOr<I, O>(threads, { module: ITEMS_MODULE, name, input }, () => local(input));
  const trainings = new Map<string, Promise<TrainedNets>>();
  const netsOf = (task: TaskName, seed: number): Promise<TrainedNets> => {
    const key = `${task}|${seed}`;
    let nets = trainings.get(key);
    if (!nets) {
      const inverse = items.some((item) => item.task === task && item.seed === seed && needsInverseNet(item.method));
      stage(`${task} seed ${seed}: training surrogate on ${request.trainingSamples} samples${inverse ? ' and inverse net' : ''}`);
      nets = call<TrainingInput, TrainedNets>('trainNets', trainNets, { request, task, seed, inverse });
      trainings.set(key, nets);
    }
    return nets;
  };
  const answers: ItemAnswer[] = [];
  if (threads === 1) {
    // One after the other, in item order (a stage message per item as it starts).
    for (const item of items) answers.push(await answerOf(item));
    return answers;
  }
  return Promise.all(items.map(answerOf));

  async function answerOf(item: WorkItem): Promise<ItemAnswer> {
    const nets = await netsOf(item.task, item.seed);
    stage(`${item.task} seed ${item.seed}: method ${item.method}`);
    const outcome = await call<MethodItemInput, MethodOutcome>('runMethodItem', runMethodItem, { request, item, nets });
    return { item, surrogate: nets.surrogate, inverseSeconds: nets.inverseSeconds, outcome };
  }
}

/** The reports of every (task, seed) from the answers of all items (any order), as one run writes them. */
export function assembleRuns(request: BenchmarkRequest, answers: ItemAnswer[]): BenchmarkReport[] {
  const byIndex = new Map(answers.map((answer) => [answer.item.index, answer]));
  const items = workItems(request);
  const runs: BenchmarkReport[] = [];
  const perRun = request.methods.length;
  for (let first = 0; first < items.length; first += perRun) {
    const group = items.slice(first, first + perRun).map((item) => {
      const answer = byIndex.get(item.index);
      if (!answer) throw new InvalidArgumentError(`benchmark work item ${item.index} (${item.task}, seed ${item.seed}, ${item.method}) has no answer`);
      return answer;
    });
    const { task: taskName, seed } = group[0].item;
    const task = getTask(taskName);
    const surrogate = group[0].surrogate;
    const inverseSeconds = group.find((answer) => answer.inverseSeconds !== undefined)?.inverseSeconds ?? 0;
    const methods = group.map(({ outcome }): MethodOutcome => ({
      method: outcome.method, description: outcome.description, scores: outcome.scores, invalidCandidates: outcome.invalidCandidates, candidatesPerTarget: outcome.candidatesPerTarget, seconds: outcome.seconds,
    }));
    const hasInverse = request.methods.some(needsInverseNet);
    runs.push({
      task: task.name,
      description: task.description,
      seed,
      trainingSamples: request.trainingSamples,
      targets: request.targets,
      tValues: request.tValues,
      surrogate: { testMse: surrogate.testMse, seconds: surrogate.seconds, epochs: surrogate.epochs, network: surrogate.network },
      ...(hasInverse ? { inverseNet: { seconds: inverseSeconds, alpha: INVERSE_NET_ALPHA } } : {}),
      methods,
      published: task.published,
      seconds: surrogate.seconds + inverseSeconds + methods.reduce((total, method) => total + method.seconds, 0),
      message: `${task.name}: ${request.methods.length} methods on ${request.targets} targets, surrogate trained on ${request.trainingSamples} samples (seed ${seed})`,
    });
  }
  return runs;
}

/** The whole benchmark: every task × seed × method, on `threads` worker threads. */
export async function runBenchmarks(options: BenchmarkOptions): Promise<BenchmarkSuite> {
  const started = performance.now();
  const request = resolveRequest(options);
  const threads = resolveThreads(options.threads);
  const answers = await runItems(request, workItems(request), threads, options.onStage);
  return { runs: assembleRuns(request, answers), seconds: (performance.now() - started) / 1000, threads };
}

/** One task and one seed (the suite's single run). */
export async function runBenchmark(options: BenchmarkOptions): Promise<BenchmarkReport> {
  return (await runBenchmarks(options)).runs[0];
}

type Timeless<T> = T extends (infer E)[] ? Timeless<E>[] : T extends object ? { [K in keyof T as K extends 'seconds' ? never : K]: Timeless<T[K]> } : T;

/** A report without its timings (every `seconds`): what `--out` writes, the same bytes on every run and for merged shards. */
export function reportForFile(report: BenchmarkReport): Timeless<BenchmarkReport> {
  const { seconds: _seconds, surrogate: { seconds: _surrogateSeconds, ...surrogate }, inverseNet, methods, ...rest } = report;
  void _seconds; void _surrogateSeconds;
  const { task, description, seed, trainingSamples, targets, tValues, published, message } = rest;
  return {
    task, description, seed, trainingSamples, targets, tValues, surrogate,
    ...(inverseNet ? { inverseNet: { alpha: inverseNet.alpha } } : {}),
    methods: methods.map(({ seconds: _methodSeconds, ...outcome }) => { void _methodSeconds; return outcome; }),
    published, message,
  };
}

/** The file of a run: one (task, seed) → its report; several → { runs: [...] } in the order tasks × seeds. */
export function suiteForFile(runs: BenchmarkReport[]): unknown {
  return runs.length === 1 ? reportForFile(runs[0]) : { runs: runs.map(reportForFile) };
}
