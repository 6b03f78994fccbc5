// Inverse training y → x with the consistency loss of seed 001:
//   loss = (1 − α)·MSE(I(y), x) + α·MSE(F(I(y)), y),   F frozen (dropout off), both MSEs in
// standardized units so that outputs of very different scales weigh alike. α is constant or
// decays linearly to 0 by a given epoch (the reference used 0.1 → 0 at epoch 500).
// The inverse of a many-to-one map is not unique, so the score that matters is re-simulation,
// ‖F(I(y)) − y‖ per output on the test split; the x-space scores are reported too.
// Early stopping monitors the validation loss at the user's α (constant across epochs, so epochs
// with different scheduled α are compared on one scale).
import { InvalidArgumentError, checkInteger, checkProbability } from '../core/index.ts';
import { Matrix, Random } from '../linalg/index.ts';
import type { Model, ModelMeta, MlpSpec } from '../model/index.ts';
import { Adam } from './adam.ts';
import { type ForwardTrainingResult, type NetworkOptions, type ResolvedNetworkOptions, architectureOf, dataBox, gatherRows, resolveNetworkOptions } from './forward.ts';
import { meanSquaredError, meanSquaredErrorGradient } from './loss.ts';
import { type LoopResult, runEpochs } from './loop.ts';
import { type OutputScore, regressionScores, rootMeanRowNorm } from './metrics.ts';
import { createTrainingNetwork, float64Copy } from './precision.ts';
import type { TrainableNetwork } from './network.ts';
import type { PreparedData } from './prepare.ts';
import { unstandardizeInPlace } from './scaling.ts';
import { derivedSeed } from './seeds.ts';
import { selectRows } from './split.ts';

export type AlphaSchedule = { kind: 'constant' } | { kind: 'linear'; endEpoch: number };

export const DEFAULT_ALPHA = 0.1;

export interface InverseOptions extends NetworkOptions {
  /** Weight of the consistency term, in [0, 1] (default 0.1). */
  alpha?: number;
  /** How α changes over the epochs (default constant). */
  alphaSchedule?: AlphaSchedule;
  /** A known forward function (e.g. a built-in dataset's) to re-simulate the test inverses exactly. */
  referenceModel?: Model;
}

export interface InverseScores {
  /** I(y) against the x of the test rows (inputs' units): low scores are expected when x is not unique. */
  x: OutputScore[];
  /** F(I(y)) against y on the test rows, F = the trained forward net (outputs' units). */
  resimulation: OutputScore[];
  /** Root mean over test rows of ‖F(I(y)) − y‖ in standardized output units. */
  resimulationError: number;
  /** Same through the reference (true) forward function, when one was given. */
  referenceResimulation?: OutputScore[];
  referenceResimulationError?: number;
}

export interface InverseTrainingResult {
  spec: MlpSpec;
  network: TrainableNetwork;
  loop: LoopResult;
  test: InverseScores;
  alpha: number;
  alphaSchedule: AlphaSchedule;
  options: ResolvedNetworkOptions;
}

/** Parse `constant` or `linear:E` (α decays linearly from --alpha to 0 at epoch E). */
export function parseAlphaSchedule(text: string): AlphaSchedule {
  const trimmed = text.trim();
  if (trimmed === 'constant') return { kind: 'constant' };
  const match = /^linear:(\d+)$/.exec(trimmed);
  if (match && Number(match[1]) >= 1) return { kind: 'linear', endEpoch: Number(match[1]) };
  throw new InvalidArgumentError(`--alpha-schedule must be 'constant' or 'linear:E' with E ≥ 1 the epoch where α reaches 0 (e.g. linear:500), got '${text}'`);
}

/** α at 1-based `epoch`: constant, or α·max(0, 1 − (epoch − 1)/E) for linear:E. */
export function alphaAt(alpha: number, schedule: AlphaSchedule, epoch: number): number {
  if (schedule.kind === 'constant') return alpha;
  return alpha * Math.max(0, 1 - (epoch - 1) / schedule.endEpoch);
}

export function checkAlpha(alpha: number): void {
  checkProbability(alpha, '--alpha', '0: fit x only; 1: consistency F(I(y)) ≈ y only');
}

/** Train the inverse net I: y → x against the frozen forward net of `forward`. */
export function trainInverse(data: PreparedData, forward: ForwardTrainingResult, inverseOptions: InverseOptions = {}): InverseTrainingResult {
  const alpha = inverseOptions.alpha ?? DEFAULT_ALPHA;
  checkAlpha(alpha);
  const schedule = inverseOptions.alphaSchedule ?? { kind: 'constant' };
  if (schedule.kind === 'linear') checkInteger(schedule.endEpoch, 'alpha schedule linear:E', 1);
  const options = resolveNetworkOptions(inverseOptions);
  const { split, xStandardized, yStandardized, projection } = data;
  const n = data.table.x.cols, m = data.table.y.cols, k = data.featureCount;
  const batch = Math.min(options.batchSize, Math.max(1, split.train.length)); // a batch never exceeds the rows

  const inverse = createTrainingNetwork(architectureOf(options, m, n), batch, options.precision);
  inverse.initialize(new Random(derivedSeed(options.seed, 'inverse-init')));
  // F frozen: a copy of the forward net without dropout, sized for this batch.
  const frozen = createTrainingNetwork({ ...forward.network.architecture, dropout: 0 }, batch, options.precision);
  frozen.parameters.set(forward.network.parameters);
  const adam = new Adam(inverse.parameters.length, { learningRate: options.learningRate });
  const dropoutRandom = new Random(derivedSeed(options.seed, 'inverse-dropout'));

  const batchX = new Float64Array(batch * n);
  const batchY = new Float64Array(batch * m);
  const gradientX = new Float64Array(batch * n);
  const gradientY = new Float64Array(batch * m);
  const features = new Float64Array(batch * k);

  /** F(x̂) in standardized output units for `count` standardized x̂ rows (projection included). */
  const resimulate = (xHat: Float64Array, count: number, through: TrainableNetwork = frozen): Float64Array => {
    if (!projection) return through.forward(xHat, count, false);
    projectInto(xHat, count, projection.weight, projection.bias, n, k, features);
    return through.forward(features, count, false);
  };

  let currentAlpha = alpha;
  const validationX = gatherRows(xStandardized, n, split.validation);
  const validationY = gatherRows(yStandardized, m, split.validation);

  const loop = runEpochs(split.train.length, { epochs: options.epochs, batchSize: batch, patience: options.patience, seed: derivedSeed(options.seed, 'inverse-shuffle'), onEpoch: inverseOptions.onEpoch }, {
    trainBatch(indices, count, epoch) {
      currentAlpha = alphaAt(alpha, schedule, epoch);
      for (let b = 0; b < count; b++) {
        const row = split.train[indices[b]];
        batchX.set(xStandardized.subarray(row * n, (row + 1) * n), b * n);
        batchY.set(yStandardized.subarray(row * m, (row + 1) * m), b * m);
      }
      const xHat = inverse.forward(batchY, count, true, dropoutRandom);
      const lossX = meanSquaredErrorGradient(xHat, batchX, count * n, gradientX, 1 - currentAlpha);
      let lossY = 0;
      if (currentAlpha > 0) {
        const yHat = resimulate(xHat, count);
        lossY = meanSquaredErrorGradient(yHat, batchY, count * m, gradientY, currentAlpha);
        const featureGradient = frozen.backward(gradientY, { inputGradient: true, parameterGradients: false })!;
        addInputGradient(featureGradient, count, projection?.weight ?? null, n, k, gradientX);
      }
      inverse.backward(gradientX);
      adam.step(inverse.parameters, inverse.gradients);
      return (1 - currentAlpha) * lossX + currentAlpha * lossY;
    },
    validate(epoch) {
      const rows = split.validation.length;
      const xHat = inverse.predict(validationY, rows);
      const lossX = meanSquaredError(xHat, validationX, xHat.length);
      const lossY = meanSquaredError(resimulateAll(xHat, rows), validationY, rows * m);
      const epochAlpha = alphaAt(alpha, schedule, epoch);
      return {
        validationLoss: (1 - epochAlpha) * lossX + epochAlpha * lossY,
        monitor: (1 - alpha) * lossX + alpha * lossY,
        alpha: epochAlpha,
        validationXLoss: lossX,
        validationResimulationLoss: lossY,
      };
    },
    snapshot: () => inverse.parameters.slice(),
    restore: (parameters) => inverse.parameters.set(parameters),
  });

  /** F(x̂) for any number of rows, in chunks of the batch size. */
  function resimulateAll(xHat: Float64Array, rows: number, through: TrainableNetwork = frozen): Float64Array {
    const out = new Float64Array(rows * m);
    for (let start = 0; start < rows; start += batch) {
      const count = Math.min(batch, rows - start);
      out.set(resimulate(xHat.subarray(start * n, (start + count) * n), count, through), start * m);
    }
    return out;
  }

  // Scores on the test split, of what is exported: float64 weights evaluated in float64.
  const testRows = split.test.length;
  const testY = gatherRows(yStandardized, m, split.test);
  const xHat = float64Copy(inverse).predict(testY, testRows);
  const yHat = resimulateAll(xHat, testRows, float64Copy(frozen));
  const resimulationError = rootMeanRowNorm(new Matrix(testRows, m, testY), new Matrix(testRows, m, yHat));
  const xRaw = new Matrix(testRows, n, unstandardizeInPlace(xHat.slice(), n, data.inputScaling));
  const yRawTruth = selectRows(data.table.y, split.test);
  const test: InverseScores = {
    x: regressionScores(selectRows(data.table.x, split.test), xRaw, data.table.inputNames),
    resimulation: regressionScores(yRawTruth, new Matrix(testRows, m, unstandardizeInPlace(yHat.slice(), m, data.outputScaling)), data.table.outputNames),
    resimulationError,
  };
  if (inverseOptions.referenceModel) {
    const yReference = inverseOptions.referenceModel.forward(xRaw);
    test.referenceResimulation = regressionScores(yRawTruth, yReference, data.table.outputNames);
    const standardizedReference = new Float64Array(testRows * m);
    for (let i = 0; i < testRows * m; i++) {
      const j = i % m;
      standardizedReference[i] = (yReference.data[i] - data.outputScaling.mean[j]) / data.outputScaling.std[j];
    }
    test.referenceResimulationError = rootMeanRowNorm(new Matrix(testRows, m, testY), new Matrix(testRows, m, standardizedReference));
  }
  return { spec: inverseSpec(data, inverse, options, alpha, schedule), network: inverse, loop, test, alpha, alphaSchedule: schedule, options: { ...options, precision: inverse.precision } };
}

/** features (count×k) = x̂ (count×n) · Pᵀ + bias. */
function projectInto(xHat: Float64Array, count: number, weight: Float64Array, bias: Float64Array, n: number, k: number, out: Float64Array): void {
  for (let r = 0; r < count; r++) {
    for (let i = 0; i < k; i++) {
      let sum = bias[i];
      for (let j = 0; j < n; j++) sum += weight[i * n + j] * xHat[r * n + j];
      out[r * k + i] = sum;
    }
  }
}

/** gradientX (count×n) += featureGradient (count×k) · P (k×n), or += featureGradient without projection. */
function addInputGradient(featureGradient: Float64Array, count: number, weight: Float64Array | null, n: number, k: number, gradientX: Float64Array): void {
  if (weight === null) {
    for (let i = 0; i < count * n; i++) gradientX[i] += featureGradient[i];
    return;
  }
  for (let r = 0; r < count; r++) {
    for (let i = 0; i < k; i++) {
      const g = featureGradient[r * k + i];
      for (let j = 0; j < n; j++) gradientX[r * n + j] += g * weight[i * n + j];
    }
  }
}

/** The inverse net as an MlpSpec: y-standardization in, x-standardization out. */
function inverseSpec(data: PreparedData, network: TrainableNetwork, options: ResolvedNetworkOptions, alpha: number, schedule: AlphaSchedule): MlpSpec {
  const { table, inputScaling, outputScaling } = data;
  const { layers, skip } = network.denseLayers();
  const scheduleText = schedule.kind === 'constant' ? 'constant' : `linear to 0 at epoch ${schedule.endEpoch}`;
  const meta: ModelMeta = {
    ...(table.outputUnits ? { inputUnits: [...table.outputUnits] } : {}),
    ...(table.inputUnits ? { outputUnits: [...table.inputUnits] } : {}),
    bounds: dataBox(table.y),
    inputMean: outputScaling.mean.slice(),
    inputStd: outputScaling.std.slice(),
    outputMean: inputScaling.mean.slice(),
    outputStd: inputScaling.std.slice(),
    source: `inversa train: inverse net (seed ${options.seed})`,
    notes: [
      `inverse net ${table.outputNames.length}→${table.inputNames.length} trained with loss (1−α)·MSE(I(y), x) + α·MSE(F(I(y)), y), α = ${alpha} (${scheduleText}), seed ${options.seed}`,
      'the inverse is not unique: judge it by re-simulation F(I(y)) ≈ y, not by distance to one x',
    ],
  };
  return {
    kind: options.arch,
    inputNames: [...table.outputNames],
    outputNames: [...table.inputNames],
    layers,
    activation: options.activation,
    ...(skip ? { skip } : {}),
    inputScaling: { mean: outputScaling.mean.slice(), std: outputScaling.std.slice() },
    outputScaling: { mean: inputScaling.mean.slice(), std: inputScaling.std.slice() },
    meta,
  };
}
