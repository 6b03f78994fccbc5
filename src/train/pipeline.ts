// One training run end to end: check every option first (so bad input fails before any training
// starts), prepare the data (seeded split, standardization, optional PCA), train the forward net,
// then optionally the inverse net against it. Used by `inversa train`, `inversa demo` and the web
// worker; the pieces (prepareData, trainForward, trainInverse) stay usable on their own.
import { InversaError, checkInteger, budgetText, formatBytes, memoryBudgetBytes, ResourceLimitError } from '../core/index.ts';
import type { Model } from '../model/index.ts';
import { trainingDataHash } from './data-hash.ts';
import { type ForwardTrainingResult, type NetworkOptions, resolveNetworkOptions, trainForward } from './forward.ts';
import { type AlphaSchedule, checkAlpha, DEFAULT_ALPHA, type InverseTrainingResult, trainInverse } from './inverse.ts';
import type { EpochProgress } from './loop.ts';
import { checkPcaOptions, type PcaOptions } from './pca-projection.ts';
import { type PreparedData, prepareData, type TrainingTable } from './prepare.ts';
import { DEFAULT_SEED } from './seeds.ts';

export type TrainingStage = 'forward' | 'inverse';

export interface TrainingRunOptions {
  /** One seed for the split, initializations, shuffles and dropout (default 42). */
  seed?: number;
  validationFraction?: number;
  testFraction?: number;
  pca?: PcaOptions;
  /** Architecture and optimizer settings of the forward net (and of the inverse net unless `inverseNetwork`). */
  network?: Omit<NetworkOptions, 'seed' | 'onEpoch'>;
  inverseNetwork?: Omit<NetworkOptions, 'seed' | 'onEpoch'>;
  /** Also train the inverse net y → x. */
  inverse?: boolean;
  alpha?: number;
  alphaSchedule?: AlphaSchedule;
  /** The true forward function, when known (built-in datasets): inverses are also re-simulated through it. */
  referenceModel?: Model;
  onEpoch?: (stage: TrainingStage, progress: EpochProgress) => void;
}

export interface TrainingRun {
  data: PreparedData;
  forward: ForwardTrainingResult;
  inverse?: InverseTrainingResult;
  seed: number;
  /** "sha256:…" of names + x + y (see data-hash.ts). */
  dataHash: string;
  durationMs: number;
}

/** Every check that does not need the data split: options of both nets, α, schedule, PCA against the column count. */
export function checkTrainingRunOptions(table: Pick<TrainingTable, 'inputNames'>, options: TrainingRunOptions): void {
  const seed = options.seed ?? DEFAULT_SEED;
  checkInteger(seed, '--seed', 0);
  resolveNetworkOptions({ ...options.network, seed });
  if (options.pca) checkPcaOptions(options.pca, table.inputNames.length);
  if (options.inverse) {
    checkAlpha(options.alpha ?? DEFAULT_ALPHA);
    resolveNetworkOptions({ ...(options.inverseNetwork ?? options.network), seed });
    const schedule = options.alphaSchedule;
    if (schedule?.kind === 'linear') checkInteger(schedule.endEpoch, '--alpha-schedule linear:E', 1);
  } else if (options.alpha !== undefined) {
    checkAlpha(options.alpha);
  }
}

/** Check, prepare, train forward (and inverse). Deterministic: same table + options → identical weights. */
export function trainModels(table: TrainingTable, options: TrainingRunOptions = {}): TrainingRun {
  const start = performance.now();
  checkTrainingRunOptions(table, options);
  const seed = options.seed ?? DEFAULT_SEED;
  const data = prepareData(table, { seed, validationFraction: options.validationFraction, testFraction: options.testFraction, pca: options.pca });
  checkTrainingMemory(data, options);
  const dataHash = trainingDataHash(data.table.x, data.table.y, data.table.inputNames, data.table.outputNames);
  const forward = trainForward(data, { ...options.network, seed, onEpoch: options.onEpoch && ((progress) => options.onEpoch!('forward', progress)) });
  checkNotDiverged('forward', forward.loop.bestMonitor, forward.test.map((score) => score.r2));
  const inverse = options.inverse
    ? trainInverse(data, forward, {
        ...(options.inverseNetwork ?? options.network),
        seed,
        alpha: options.alpha,
        alphaSchedule: options.alphaSchedule,
        referenceModel: options.referenceModel,
        onEpoch: options.onEpoch && ((progress) => options.onEpoch!('inverse', progress)),
      })
    : undefined;
  if (inverse) checkNotDiverged('inverse', inverse.loop.bestMonitor, inverse.test.resimulation.map((score) => score.r2));
  return { data, forward, inverse, seed, dataHash, durationMs: performance.now() - start };
}

/**
 * Refuse networks whose training memory would not fit: parameters ×8 (values, gradients, two Adam
 * moments, best snapshot, frozen and exported copies) plus activations of one batch ×4 (forward,
 * backward, float32 and scoring copies), in float64, against the memory budget (core/limits.ts).
 */
function checkTrainingMemory(data: PreparedData, options: TrainingRunOptions): void {
  const network = resolveNetworkOptions(options.network ?? {});
  const widths = [Math.max(data.featureCount, data.table.y.cols), ...network.hidden, Math.max(data.table.x.cols, data.table.y.cols)];
  let parameters = 0;
  for (let layer = 1; layer < widths.length; layer++) parameters += widths[layer - 1] * widths[layer] + widths[layer];
  if (network.arch === 'resmlp') parameters += widths[0] * widths[widths.length - 1];
  const batch = Math.min(network.batchSize, Math.max(1, data.split.train.length));
  const activations = batch * widths.reduce((sum, width) => sum + width, 0);
  const bytes = 8 * (8 * parameters + 4 * activations) * (options.inverse ? 2 : 1);
  const budget = memoryBudgetBytes();
  if (bytes > budget) {
    throw new ResourceLimitError(
      `--hidden ${network.hidden.join(',')} with --batch ${batch} needs about ${formatBytes(bytes)} to train, more than the budget of ${budgetText()}; use narrower layers or a smaller batch`,
    );
  }
}

/**
 * Validation loss (mean squared error in standardized units) above which a run counts as diverged:
 * predicting the mean scores about 1, so 100 means errors of 10 standard deviations.
 */
export const DIVERGED_VALIDATION_LOSS = 100;

/** Training that blew up: an error (exit 1), so nothing is written and earlier artifacts stay. */
export class TrainingDivergedError extends InversaError {}

function checkNotDiverged(net: 'forward' | 'inverse', validationLoss: number, r2: number[]): void {
  if (!(validationLoss <= DIVERGED_VALIDATION_LOSS) || r2.some((value) => !Number.isFinite(value))) {
    const worst = Math.min(...r2);
    throw new TrainingDivergedError(
      `training diverged: the ${net} net's best validation loss is ${validationLoss.toPrecision(3)} in standardized units (limit ${DIVERGED_VALIDATION_LOSS}; predicting the mean scores ≈ 1), test R² down to ${worst.toPrecision(3)}; nothing was written — lower the learning rate (--lr)`,
    );
  }
}
