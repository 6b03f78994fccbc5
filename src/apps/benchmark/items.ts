// The benchmark's work items: one per (task, seed, method), numbered in the order tasks × seeds ×
// methods. An item's answer depends only on the request and the item — never on which thread,
// process or machine computes it — so items can go to the worker pool (--threads) or to other
// machines (--shard K/N) and the report is the same bytes. Everything an item needs is rebuilt from
// the request where it runs: the seeded training data and targets (cheap), and the nets, which are
// trained once per (task, seed) by `trainNets` (deterministic, so the same weights everywhere).
// The functions exported here are the pool's task entries; they also run in the calling thread.
import { Matrix, Random } from '../../linalg/index.ts';
import { MlpModel, type MlpSpec, type Bounds } from '../../model/index.ts';
import { type NetworkOptions, trainForward, trainInverse, prepareData, type PreparedData } from '../../train/index.ts';
import { METHOD_DESCRIPTIONS, type MethodContext, type MethodName, runMethod, trainingStatistics } from './methods.ts';
import { type CandidateSet, type ScoreReport, scoreCandidates } from './score.ts';
import { getTask, type TaskName } from './tasks.ts';

/** A whole benchmark run, resolved and validated: plain data (it is sent to workers and written into shard parts). */
export interface BenchmarkRequest {
  tasks: TaskName[];
  seeds: number[];
  methods: MethodName[];
  tValues: number[];
  targets: number;
  trainingSamples: number;
  /** Overrides of the surrogate/inverse network settings (plain data: no callbacks). */
  network: NetworkOptions;
}

export interface WorkItem {
  index: number;
  task: TaskName;
  seed: number;
  method: MethodName;
}

/** What one method scored on one (task, seed). `seconds` is a timing, never written to files. */
export interface MethodOutcome {
  method: MethodName;
  description: string;
  scores: ScoreReport['scores'];
  invalidCandidates: number;
  candidatesPerTarget: number;
  seconds: number;
}

/** The nets of one (task, seed), trained once and sent to the items that need them. */
export interface TrainedNets {
  surrogateSpec: MlpSpec;
  inverseSpec?: MlpSpec;
  surrogate: { testMse: number; epochs: number; network: NetworkOptions; seconds: number };
  /** Training time of the inverse net, when it was trained. */
  inverseSeconds?: number;
}

/**
 * Surrogate and inverse-net settings: tanh MLP 64→64 (smooth tasks, so a smooth network), Adam
 * batch 64, lr 1e-3, 150 epochs with early stopping — about 15 s per net on this machine.
 */
export const SURROGATE_NETWORK: NetworkOptions = { arch: 'mlp', activation: 'tanh', hidden: [64, 64], epochs: 150, batchSize: 64, learningRate: 1e-3, patience: 30 };
/**
 * Per-task surrogate changes: sine's landscape (3 periods per unit on both inputs) needs a wider
 * net — the 64×64 MLP reaches MSE ≈ 5e-4 on it, the 128×128 residual MLP ≈ 1e-4 (measured, seed 0).
 */
export const TASK_SURROGATE_NETWORK: Partial<Record<TaskName, NetworkOptions>> = {
  sine: { arch: 'resmlp', hidden: [128, 128] },
};
/** Weight of the consistency term of the inverse net (tandem-like: mostly F(I(y)) ≈ y). */
export const INVERSE_NET_ALPHA = 0.9;

/** Seed offsets so training data, targets and method randomness never share a stream. */
const TARGET_SEED_OFFSET = 1_000_003;
const METHOD_SEED_OFFSET = 2_000_003;

/** The module of the pool tasks below (its own URL: .ts from sources, .js when compiled). */
export const ITEMS_MODULE = import.meta.url;

/** Every work item of the request, in the order tasks × seeds × methods (the index is the shard key). */
export function workItems(request: BenchmarkRequest): WorkItem[] {
  const items: WorkItem[] = [];
  for (const task of request.tasks) for (const seed of request.seeds) for (const method of request.methods) items.push({ index: items.length, task, seed, method });
  return items;
}

/** Methods that need the inverse net. */
export function needsInverseNet(method: MethodName): boolean {
  return method === 'inverse-net' || method === 'hybrid';
}

/** Per-column min/max of the training inputs: the box inside which the surrogate was trained. */
export function trainingBox(x: Matrix): Bounds {
  const lower = new Float64Array(x.cols).fill(Infinity), upper = new Float64Array(x.cols).fill(-Infinity);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < x.cols; j++) {
      const value = x.data[i * x.cols + j];
      if (value < lower[j]) lower[j] = value;
      if (value > upper[j]) upper[j] = value;
    }
  }
  return { lower, upper };
}

/** The seeded data of one (task, seed): training data from the prior, test targets through the true function. */
interface Setup {
  data: PreparedData;
  targetInputs: Matrix;
  targets: Matrix;
}

/** Setups recently built in this thread (an item of the same (task, seed) reuses it; a few only). */
const setups = new Map<string, Setup>();
const KEEP = 8;

function remember<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
    if (cache.size > KEEP) cache.delete(cache.keys().next().value as string);
  }
  return value;
}

function setupOf(request: BenchmarkRequest, taskName: TaskName, seed: number): Setup {
  return remember(setups, `${taskName}|${seed}|${request.trainingSamples}|${request.targets}`, () => {
    const task = getTask(taskName);
    const x = task.sampleInputs(request.trainingSamples, new Random(seed));
    const y = task.model.forward(x);
    const data = prepareData({ x, y, inputNames: [...task.model.inputNames], outputNames: [...task.model.outputNames], source: `benchmark:${task.name}` }, { seed });
    const targetInputs = task.sampleInputs(request.targets, new Random(seed + TARGET_SEED_OFFSET));
    return { data, targetInputs, targets: task.model.forward(targetInputs) };
  });
}

/** Input of `trainNets`: which (task, seed), and whether the inverse net is needed too. */
export interface TrainingInput {
  request: BenchmarkRequest;
  task: TaskName;
  seed: number;
  inverse: boolean;
}

/** Pool task: train the surrogate (and the inverse net when asked) of one (task, seed). */
export function trainNets(input: TrainingInput): TrainedNets {
  const { request, task, seed } = input;
  const setup = setupOf(request, task, seed);
  const network: NetworkOptions = { ...SURROGATE_NETWORK, ...TASK_SURROGATE_NETWORK[task], ...request.network, seed };
  let clock = performance.now();
  const forward = trainForward(setup.data, network);
  const surrogateSeconds = (performance.now() - clock) / 1000;
  const testMse = meanSquaredDifference(new MlpModel(forward.spec).forward(setup.targetInputs), setup.targets);
  const nets: TrainedNets = { surrogateSpec: forward.spec, surrogate: { testMse, epochs: forward.loop.epochsRun, network, seconds: surrogateSeconds } };
  if (input.inverse) {
    clock = performance.now();
    const inverse = trainInverse(setup.data, forward, { ...SURROGATE_NETWORK, ...request.network, seed, alpha: INVERSE_NET_ALPHA });
    nets.inverseSpec = inverse.spec;
    nets.inverseSeconds = (performance.now() - clock) / 1000;
  }
  return nets;
}

/** Input of `runMethodItem`: one item and the nets of its (task, seed). */
export interface MethodItemInput {
  request: BenchmarkRequest;
  item: WorkItem;
  nets: TrainedNets;
}

/** lm candidates recently computed in this thread, so 'hybrid' reuses them instead of solving again. */
const lmRuns = new Map<string, CandidateSet>();

/** Pool task: run one method on the surrogate and score its candidates with the true function. */
export function runMethodItem(input: MethodItemInput): MethodOutcome {
  const { request, item, nets } = input;
  const task = getTask(item.task);
  const setup = setupOf(request, item.task, item.seed);
  const surrogate = new MlpModel(nets.surrogateSpec);
  const context: MethodContext = {
    surrogate,
    trainingInputs: setup.data.table.x,
    bounds: trainingBox(setup.data.table.x),
    inverseNet: nets.inverseSpec ? new MlpModel(nets.inverseSpec) : undefined,
    seed: item.seed + METHOD_SEED_OFFSET,
    statistics: trainingStatistics(setup.data.table.x, setup.data.table.y),
  };
  const perTarget = request.tValues[request.tValues.length - 1];
  // 'hybrid' takes the lm candidates when lm is one of the methods (the same candidates whether the
  // lm item ran here or elsewhere: lm is deterministic), otherwise it solves perTarget − 1 starts itself.
  const lmKey = `${item.task}|${item.seed}|${JSON.stringify(request)}`;
  const lmCandidates = (): CandidateSet => remember(lmRuns, lmKey, () => runMethod('lm', context, setup.targets, perTarget));
  const clock = performance.now();
  let candidates: CandidateSet;
  if (item.method === 'lm') candidates = lmCandidates();
  else candidates = runMethod(item.method, context, setup.targets, perTarget, item.method === 'hybrid' && request.methods.includes('lm') ? lmCandidates() : undefined);
  const seconds = (performance.now() - clock) / 1000;
  const scored = scoreCandidates(task.model, candidates, request.tValues);
  return { method: item.method, description: METHOD_DESCRIPTIONS[item.method], scores: scored.scores, invalidCandidates: scored.invalidCandidates, candidatesPerTarget: candidates.perTarget, seconds };
}

function meanSquaredDifference(a: Matrix, b: Matrix): number {
  let sum = 0;
  for (let k = 0; k < a.data.length; k++) sum += (a.data[k] - b.data[k]) ** 2;
  return sum / a.data.length;
}
