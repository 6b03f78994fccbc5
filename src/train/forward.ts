// Forward training x → y: an MLP or residual MLP on standardized (optionally PCA-projected) inputs
// and standardized outputs, MSE loss, Adam, mini-batches, early stopping on the validation loss
// (best weights kept), and per-output R²/RMSE/MAE on the test split in the outputs' own units.
// The result is an MlpSpec carrying the standardization and projection, evaluated by MlpModel.
import { InvalidArgumentError, checkChoice, checkInteger, checkIntegerList, checkNumber, checkPositive } from '../core/index.ts';
import { Matrix, Random } from '../linalg/index.ts';
import type { Bounds, ModelMeta, MlpSpec } from '../model/index.ts';
import { Adam } from './adam.ts';
import { meanSquaredError, meanSquaredErrorGradient } from './loss.ts';
import { type EpochProgress, type LoopResult, checkLoopOptions, runEpochs } from './loop.ts';
import { type OutputScore, regressionScores } from './metrics.ts';
import { createTrainingNetwork, defaultPrecision, float64Copy, TRAINING_PRECISIONS, type TrainingPrecision } from './precision.ts';
import { type NetworkArchitecture, type TrainableNetwork, TRAINING_ACTIVATIONS, type TrainingActivation } from './network.ts';
import type { PreparedData } from './prepare.ts';
import { unstandardizeInPlace } from './scaling.ts';
import { DEFAULT_SEED, derivedSeed } from './seeds.ts';
import { selectRows } from './split.ts';

export interface NetworkOptions {
  /** 'resmlp' (default, the reference shape: hidden layers plus a linear skip) or 'mlp'. */
  arch?: 'mlp' | 'resmlp';
  /** Hidden widths (default [64, 64]). */
  hidden?: readonly number[];
  activation?: TrainingActivation;
  /** Dropout on hidden activations while training only (default 0). */
  dropout?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Early stopping: epochs without a better validation loss before stopping (default 50). */
  patience?: number;
  seed?: number;
  /** Training arithmetic: 'float32' (WebAssembly SIMD, default where available) or 'float64'. */
  precision?: TrainingPrecision;
  onEpoch?: (progress: EpochProgress) => void;
}

export const NETWORK_DEFAULTS = {
  arch: 'resmlp',
  hidden: [64, 64],
  activation: 'relu',
  dropout: 0,
  epochs: 200,
  batchSize: 64,
  learningRate: 1e-3,
  patience: 50,
} as const;

export interface ForwardTrainingResult {
  spec: MlpSpec;
  /** The trained network (standardized units, dropout off outside training). */
  network: TrainableNetwork;
  loop: LoopResult;
  /** Per-output scores of the forward net on the test split (outputs' own units). */
  test: OutputScore[];
  /** Mean squared error on the standardized test outputs. */
  testLoss: number;
  options: ResolvedNetworkOptions;
}

export type ResolvedNetworkOptions = Required<Omit<NetworkOptions, 'onEpoch' | 'hidden'>> & { hidden: number[] };

/** Fill defaults and check ranges (before any training starts). */
export function resolveNetworkOptions(options: NetworkOptions): ResolvedNetworkOptions {
  const resolved: ResolvedNetworkOptions = {
    arch: options.arch ?? NETWORK_DEFAULTS.arch,
    hidden: options.hidden ? [...options.hidden] : [...NETWORK_DEFAULTS.hidden],
    activation: options.activation ?? NETWORK_DEFAULTS.activation,
    dropout: options.dropout ?? NETWORK_DEFAULTS.dropout,
    epochs: options.epochs ?? NETWORK_DEFAULTS.epochs,
    batchSize: options.batchSize ?? NETWORK_DEFAULTS.batchSize,
    learningRate: options.learningRate ?? NETWORK_DEFAULTS.learningRate,
    patience: options.patience ?? NETWORK_DEFAULTS.patience,
    seed: options.seed ?? DEFAULT_SEED,
    precision: options.precision ?? defaultPrecision(),
  };
  checkChoice(resolved.precision, '--precision', TRAINING_PRECISIONS);
  checkChoice(resolved.arch, '--arch', ['mlp', 'resmlp']);
  checkChoice(resolved.activation, '--activation', TRAINING_ACTIVATIONS);
  if (resolved.hidden.length === 0) throw new InvalidArgumentError('--hidden must be one or more integer widths ≥ 1 separated by commas (e.g. 64,64), got none');
  checkIntegerList(resolved.hidden, '--hidden widths', 1, 'separated by commas, e.g. 64,64');
  checkNumber(resolved.dropout, '--dropout', { min: 0, max: 1, maxOpen: true });
  checkPositive(resolved.learningRate, '--lr');
  checkInteger(resolved.seed, '--seed');
  checkLoopOptions(resolved.epochs, resolved.batchSize, resolved.patience);
  return resolved;
}

export function architectureOf(options: ResolvedNetworkOptions, inputs: number, outputs: number): NetworkArchitecture {
  return { kind: options.arch, inputs, hidden: options.hidden, outputs, activation: options.activation, dropout: options.dropout };
}

/** Train the forward net F: x → y on prepared data. */
export function trainForward(data: PreparedData, networkOptions: NetworkOptions = {}): ForwardTrainingResult {
  const options = resolveNetworkOptions(networkOptions);
  const { split, features, featureCount: k, yStandardized } = data;
  const m = data.table.y.cols;
  const batch = Math.min(options.batchSize, Math.max(1, split.train.length)); // a batch never exceeds the rows
  const network = createTrainingNetwork(architectureOf(options, k, m), batch, options.precision);
  network.initialize(new Random(derivedSeed(options.seed, 'forward-init')));
  const adam = new Adam(network.parameters.length, { learningRate: options.learningRate });
  const dropoutRandom = new Random(derivedSeed(options.seed, 'forward-dropout'));
  const batchX = new Float64Array(batch * k);
  const batchY = new Float64Array(batch * m);
  const outputGradient = new Float64Array(batch * m);
  const validationX = gatherRows(features, k, split.validation);
  const validationY = gatherRows(yStandardized, m, split.validation);

  const loop = runEpochs(split.train.length, { epochs: options.epochs, batchSize: options.batchSize, patience: options.patience, seed: derivedSeed(options.seed, 'forward-shuffle'), onEpoch: networkOptions.onEpoch }, {
    trainBatch(indices, count) {
      for (let b = 0; b < count; b++) {
        const row = split.train[indices[b]];
        batchX.set(features.subarray(row * k, (row + 1) * k), b * k);
        batchY.set(yStandardized.subarray(row * m, (row + 1) * m), b * m);
      }
      const predicted = network.forward(batchX, count, true, dropoutRandom);
      const loss = meanSquaredErrorGradient(predicted, batchY, count * m, outputGradient);
      network.backward(outputGradient);
      adam.step(network.parameters, network.gradients);
      return loss;
    },
    validate() {
      const predicted = network.predict(validationX, split.validation.length);
      const loss = meanSquaredError(predicted, validationY, predicted.length);
      return { validationLoss: loss, monitor: loss };
    },
    snapshot: () => network.parameters.slice(),
    restore: (parameters) => network.parameters.set(parameters),
  });

  // Scores of what is exported: the float64 weights, evaluated in float64.
  const testX = gatherRows(features, k, split.test);
  const predictedTest = float64Copy(network).predict(testX, split.test.length);
  const testLoss = meanSquaredError(predictedTest, gatherRows(yStandardized, m, split.test), predictedTest.length);
  unstandardizeInPlace(predictedTest, m, data.outputScaling);
  const test = regressionScores(selectRows(data.table.y, split.test), new Matrix(split.test.length, m, predictedTest), data.table.outputNames);
  const spec = forwardSpec(data, network, options);
  // Record the precision that ran (float32 falls back to float64 where WebAssembly SIMD is unavailable).
  return { spec, network, loop, test, testLoss, options: { ...options, precision: network.precision } };
}

/** The forward net as an MlpSpec: standardization, PCA projection, layers, metadata. */
function forwardSpec(data: PreparedData, network: TrainableNetwork, options: ResolvedNetworkOptions): MlpSpec {
  const { table, inputScaling, outputScaling, projection } = data;
  const { layers, skip } = network.denseLayers();
  const meta: ModelMeta = {
    ...(table.inputUnits ? { inputUnits: [...table.inputUnits] } : {}),
    ...(table.outputUnits ? { outputUnits: [...table.outputUnits] } : {}),
    bounds: table.bounds ?? dataBox(table.x),
    inputMean: inputScaling.mean.slice(),
    inputStd: inputScaling.std.slice(),
    outputMean: outputScaling.mean.slice(),
    outputStd: outputScaling.std.slice(),
    source: `inversa train: forward net (seed ${options.seed})`,
    notes: [
      `forward net ${table.inputNames.length}→${table.outputNames.length}, ${options.arch} ${options.hidden.join('×')} ${options.activation}, seed ${options.seed}`,
      ...(projection ? [`PCA on standardized inputs: ${projection.outputs} of ${projection.inputs} components keep ${(100 * projection.keptVarianceRatio).toFixed(1)}% of the variance`] : []),
    ],
  };
  return {
    kind: options.arch,
    inputNames: [...table.inputNames],
    outputNames: [...table.outputNames],
    layers,
    activation: options.activation,
    ...(skip ? { skip } : {}),
    inputScaling: { mean: inputScaling.mean.slice(), std: inputScaling.std.slice() },
    outputScaling: { mean: outputScaling.mean.slice(), std: outputScaling.std.slice() },
    ...(projection ? { inputProjection: { inputs: projection.inputs, outputs: projection.outputs, weight: projection.weight.slice(), bias: projection.bias.slice() } } : {}),
    meta,
  };
}

/** Copy the rows `indices` of a row-major rows×cols array into a new array. */
export function gatherRows(values: Float64Array, cols: number, indices: Int32Array): Float64Array {
  const out = new Float64Array(indices.length * cols);
  for (let k = 0; k < indices.length; k++) out.set(values.subarray(indices[k] * cols, (indices[k] + 1) * cols), k * cols);
  return out;
}

/** The smallest box containing every row of `matrix`. */
export function dataBox(matrix: Matrix): Bounds {
  const { rows, cols, data } = matrix;
  const lower = new Float64Array(cols).fill(Infinity);
  const upper = new Float64Array(cols).fill(-Infinity);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const value = data[i * cols + j];
      if (value < lower[j]) lower[j] = value;
      if (value > upper[j]) upper[j] = value;
    }
  }
  return { lower, upper };
}
