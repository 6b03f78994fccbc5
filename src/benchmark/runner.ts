// One benchmark run: draw 10,000 seeded samples from the task's prior, train the surrogate forward
// net (and the inverse net when a method needs it), draw the test targets y* = f_true(x) from fresh
// prior samples, let every method propose candidates on the surrogate, and score them with r̂_T.
// Everything is seeded; the report records sizes, seeds, times and the published figures.
import { InvalidArgumentError } from '../linalg/errors.ts';
import { Matrix } from '../linalg/matrix.ts';
import { Random } from '../linalg/random.ts';
import { MlpModel } from '../model/mlp.ts';
import type { Bounds } from '../model/model.ts';
import { trainForward, type NetworkOptions } from '../train/forward.ts';
import { trainInverse } from '../train/inverse.ts';
import { prepareData } from '../train/prepare.ts';
import { METHOD_DESCRIPTIONS, METHOD_NAMES, type MethodContext, type MethodName, runMethod, trainingStatistics } from './methods.ts';
import { type CandidateSet, type ScoreReport, scoreCandidates } from './score.ts';
import { getTask, type PublishedFigures, type TaskName } from './tasks.ts';

export const BENCHMARK_DEFAULTS = {
  tValues: [1, 10, 50],
  targets: 200,
  seed: 0,
  trainingSamples: 10_000,
  methods: METHOD_NAMES,
} as const;

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

export interface BenchmarkOptions {
  task: TaskName | string;
  tValues?: number[];
  targets?: number;
  seed?: number;
  methods?: MethodName[];
  trainingSamples?: number;
  /** Override the surrogate/inverse network settings (e.g. fewer epochs in tests). */
  network?: NetworkOptions;
  /** Stage messages ("training surrogate", "lm", …) for a progress display. */
  onStage?: (stage: string) => void;
}

export interface MethodOutcome {
  method: MethodName;
  description: string;
  scores: ScoreReport['scores'];
  invalidCandidates: number;
  candidatesPerTarget: number;
  seconds: number;
}

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
  seconds: number;
  message: string;
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

export function runBenchmark(options: BenchmarkOptions): BenchmarkReport {
  const started = performance.now();
  const task = getTask(options.task);
  const tValues = [...new Set(options.tValues ?? BENCHMARK_DEFAULTS.tValues)].sort((a, b) => a - b);
  for (const T of tValues) if (!Number.isInteger(T) || T < 1) throw new InvalidArgumentError(`--T values must be positive integers, got ${T}`);
  const targetCount = options.targets ?? BENCHMARK_DEFAULTS.targets;
  if (!Number.isInteger(targetCount) || targetCount < 1) throw new InvalidArgumentError(`--targets must be a positive integer, got ${targetCount}`);
  const seed = options.seed ?? BENCHMARK_DEFAULTS.seed;
  if (!Number.isInteger(seed)) throw new InvalidArgumentError(`--seed must be an integer, got ${seed}`);
  const trainingSamples = options.trainingSamples ?? BENCHMARK_DEFAULTS.trainingSamples;
  if (!Number.isInteger(trainingSamples) || trainingSamples < 20) throw new InvalidArgumentError(`trainingSamples must be an integer ≥ 20, got ${trainingSamples}`);
  const methods = resolveMethods(options.methods ?? [...BENCHMARK_DEFAULTS.methods]);
  const network: NetworkOptions = { ...SURROGATE_NETWORK, ...TASK_SURROGATE_NETWORK[task.name], ...options.network, seed };
  const inverseNetwork: NetworkOptions = { ...SURROGATE_NETWORK, ...options.network, seed };
  const stage = options.onStage ?? (() => {});

  // 1. Training data from the prior, and the surrogate.
  const x = task.sampleInputs(trainingSamples, new Random(seed));
  const y = task.model.forward(x);
  const data = prepareData({ x, y, inputNames: [...task.model.inputNames], outputNames: [...task.model.outputNames], source: `benchmark:${task.name}` }, { seed });
  stage(`training surrogate on ${trainingSamples} samples`);
  let clock = performance.now();
  const forward = trainForward(data, network);
  const surrogate = new MlpModel(forward.spec);
  const surrogateSeconds = (performance.now() - clock) / 1000;

  // 2. Test targets from fresh prior samples through the true function.
  const targetInputs = task.sampleInputs(targetCount, new Random(seed + TARGET_SEED_OFFSET));
  const targets = task.model.forward(targetInputs);
  const surrogateTestMse = meanSquaredDifference(surrogate.forward(targetInputs), targets);

  // 3. Inverse net, when a method needs it.
  let inverseNet: MethodContext['inverseNet'];
  let inverseInfo: BenchmarkReport['inverseNet'];
  if (methods.includes('inverse-net') || methods.includes('hybrid')) {
    stage('training inverse net');
    clock = performance.now();
    const inverse = trainInverse(data, forward, { ...inverseNetwork, alpha: INVERSE_NET_ALPHA });
    inverseNet = new MlpModel(inverse.spec);
    inverseInfo = { seconds: (performance.now() - clock) / 1000, alpha: INVERSE_NET_ALPHA };
  }

  // 4. Methods (surrogate only) and scores (true function).
  const context: MethodContext = { surrogate, trainingInputs: data.table.x, bounds: trainingBox(data.table.x), inverseNet, seed: seed + METHOD_SEED_OFFSET, statistics: trainingStatistics(data.table.x, data.table.y) };
  const perTarget = tValues[tValues.length - 1];
  const outcomes: MethodOutcome[] = [];
  let lmCandidates: CandidateSet | undefined;
  // lm first, so hybrid can reuse its candidates.
  const order = [...methods].sort((a, b) => Number(b === 'lm') - Number(a === 'lm'));
  for (const method of order) {
    stage(`method ${method}`);
    clock = performance.now();
    const candidates = runMethod(method, context, targets, perTarget, lmCandidates);
    if (method === 'lm') lmCandidates = candidates;
    const seconds = (performance.now() - clock) / 1000;
    const scored = scoreCandidates(task.model, candidates, tValues);
    outcomes.push({ method, description: METHOD_DESCRIPTIONS[method], scores: scored.scores, invalidCandidates: scored.invalidCandidates, candidatesPerTarget: candidates.perTarget, seconds });
  }
  outcomes.sort((a, b) => methods.indexOf(a.method) - methods.indexOf(b.method));
  const seconds = (performance.now() - started) / 1000;
  return {
    task: task.name,
    description: task.description,
    seed,
    trainingSamples,
    targets: targetCount,
    tValues,
    surrogate: { testMse: surrogateTestMse, seconds: surrogateSeconds, epochs: forward.loop.epochsRun, network },
    ...(inverseInfo ? { inverseNet: inverseInfo } : {}),
    methods: outcomes,
    published: task.published,
    seconds,
    message: `${task.name}: ${methods.length} methods on ${targetCount} targets, surrogate trained on ${trainingSamples} samples (seed ${seed}) in ${seconds.toFixed(1)} s total`,
  };
}

function meanSquaredDifference(a: Matrix, b: Matrix): number {
  let sum = 0;
  for (let k = 0; k < a.data.length; k++) sum += (a.data[k] - b.data[k]) ** 2;
  return sum / a.data.length;
}
