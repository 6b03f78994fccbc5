// The epoch loop shared by forward and inverse training: seeded shuffles, mini-batches (the last
// one may be smaller, like PyTorch's DataLoader with drop_last=False), a validation score after
// every epoch, early stopping with patience, and restoring the best validation weights at the end.
import { InvalidArgumentError, checkInteger } from '../core/index.ts';
import { Random } from '../linalg/index.ts';

export interface EpochRecord {
  epoch: number;
  /** Mean training loss over the epoch's mini-batches. */
  trainLoss: number;
  /** Validation loss with the epoch's own settings (e.g. its α). */
  validationLoss: number;
  /** The number early stopping compares across epochs (lower is better). */
  monitor: number;
  /** Extra per-epoch figures (e.g. α, the two loss parts). */
  [extra: string]: number;
}

export interface EpochProgress {
  epoch: number;
  epochs: number;
  record: EpochRecord;
  bestEpoch: number;
  elapsedMs: number;
}

export interface LoopOptions {
  epochs: number;
  batchSize: number;
  /** Stop after this many epochs without a better monitor value (default: never). */
  patience?: number;
  /** Seed of the per-epoch shuffles. */
  seed: number;
  onEpoch?: (progress: EpochProgress) => void;
}

export interface LoopCallbacks {
  /** Train on the rows `indices[0..count)`, return the batch loss. */
  trainBatch(indices: Int32Array, count: number, epoch: number): number;
  /** Score the validation rows after `epoch`. */
  validate(epoch: number): { validationLoss: number; monitor: number; [extra: string]: number };
  /** Copy of the current parameters, and a way to put a copy back. */
  snapshot(): Float64Array;
  restore(parameters: Float64Array): void;
}

export interface LoopResult {
  history: EpochRecord[];
  /** 1-based epoch whose weights were kept (best monitor value). */
  bestEpoch: number;
  bestMonitor: number;
  epochsRun: number;
  stoppedEarly: boolean;
  durationMs: number;
}

export function checkLoopOptions(epochs: number, batchSize: number, patience?: number): void {
  checkInteger(epochs, '--epochs', 1);
  checkInteger(batchSize, '--batch', 1);
  if (patience !== undefined) checkInteger(patience, '--patience', 1, Infinity, 'epochs without improvement');
}

/** Run up to `epochs` epochs over `rows` training rows; keeps the best validation weights. */
export function runEpochs(rows: number, options: LoopOptions, callbacks: LoopCallbacks): LoopResult {
  checkLoopOptions(options.epochs, options.batchSize, options.patience);
  const random = new Random(options.seed);
  const start = performance.now();
  const history: EpochRecord[] = [];
  // A batch never holds more than every row, so a huge --batch allocates no more than the data.
  const batchIndices = new Int32Array(Math.min(options.batchSize, Math.max(1, rows)));
  let best = { epoch: 0, monitor: Infinity, parameters: callbacks.snapshot() };
  let stoppedEarly = false;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const order = random.permutation(rows);
    let lossSum = 0, batches = 0;
    for (let begin = 0; begin < rows; begin += options.batchSize) {
      const count = Math.min(options.batchSize, rows - begin);
      batchIndices.set(order.subarray(begin, begin + count));
      lossSum += callbacks.trainBatch(batchIndices, count, epoch);
      batches++;
    }
    const scores = callbacks.validate(epoch);
    const record: EpochRecord = { ...scores, epoch, trainLoss: lossSum / batches };
    history.push(record);
    if (!Number.isFinite(record.trainLoss) || !Number.isFinite(record.monitor)) {
      throw new InvalidArgumentError(
        `training diverged at epoch ${epoch} (train loss ${record.trainLoss}, validation ${record.monitor}); lower the learning rate (--lr)`,
      );
    }
    if (record.monitor < best.monitor) best = { epoch, monitor: record.monitor, parameters: callbacks.snapshot() };
    options.onEpoch?.({ epoch, epochs: options.epochs, record, bestEpoch: best.epoch, elapsedMs: performance.now() - start });
    if (options.patience !== undefined && epoch - best.epoch >= options.patience) {
      stoppedEarly = epoch < options.epochs;
      break;
    }
  }
  callbacks.restore(best.parameters);
  return { history, bestEpoch: best.epoch, bestMonitor: best.monitor, epochsRun: history.length, stoppedEarly, durationMs: performance.now() - start };
}
