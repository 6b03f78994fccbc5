// Test helper: a seeded random MlpSpec of any shape, activation and options.
import { Random } from '../../src/linalg/random.ts';
import type { Activation, DenseLayer, MlpSpec } from '../../src/model/mlp-spec.ts';

export interface RandomSpecOptions {
  kind?: 'mlp' | 'resmlp';
  inputs?: number;
  hidden?: number[];
  outputs?: number;
  activation?: Activation;
  activationParameter?: number;
  scaling?: boolean;
  inputProjection?: number; // projected width
  outputProjection?: number; // width before the output projection
  seed?: number;
}

export function randomLayer(random: Random, inputs: number, outputs: number, gain = 1): DenseLayer {
  const weight = new Float64Array(inputs * outputs);
  for (let k = 0; k < weight.length; k++) weight[k] = random.normal(0, gain / Math.sqrt(inputs));
  const bias = new Float64Array(outputs);
  for (let k = 0; k < outputs; k++) bias[k] = random.normal(0, 0.3);
  return { inputs, outputs, weight, bias };
}

export function randomMlpSpec(options: RandomSpecOptions = {}): MlpSpec {
  const random = new Random(options.seed ?? 1);
  const n = options.inputs ?? 7, m = options.outputs ?? 4, hidden = options.hidden ?? [16, 16];
  const kind = options.kind ?? 'mlp';
  const projected = options.inputProjection ?? n;
  const beforeOutput = options.outputProjection ?? m;
  const widths = [projected, ...hidden, beforeOutput];
  const layers = widths.slice(1).map((width, k) => randomLayer(random, widths[k], width, 1.5));
  const spec: MlpSpec = {
    kind,
    inputNames: Array.from({ length: n }, (_, k) => `x${k + 1}`),
    outputNames: Array.from({ length: m }, (_, k) => `y${k + 1}`),
    layers,
    activation: options.activation ?? 'tanh',
    activationParameter: options.activationParameter,
  };
  if (kind === 'resmlp') spec.skip = randomLayer(random, projected, hidden[hidden.length - 1]);
  if (options.inputProjection !== undefined) spec.inputProjection = randomLayer(random, n, projected);
  if (options.outputProjection !== undefined) spec.outputProjection = randomLayer(random, beforeOutput, m);
  if (options.scaling) {
    spec.inputScaling = {
      mean: Float64Array.from({ length: n }, () => random.normal(0, 50)),
      std: Float64Array.from({ length: n }, () => Math.exp(random.normal(0, 2))),
    };
    spec.outputScaling = {
      mean: Float64Array.from({ length: m }, () => random.normal(0, 100)),
      std: Float64Array.from({ length: m }, () => Math.exp(random.normal(0, 2))),
    };
  }
  return spec;
}

/** N points around the input scaling mean (or the origin), spread by its std (or 1). */
export function randomPoints(spec: MlpSpec, count: number, seed = 2): Float64Array {
  const random = new Random(seed);
  const n = spec.inputNames.length;
  const out = new Float64Array(count * n);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < n; j++) {
      const mean = spec.inputScaling?.mean[j] ?? 0, std = spec.inputScaling?.std[j] ?? 1;
      out[i * n + j] = mean + std * random.normal();
    }
  }
  return out;
}
