// Seeded random ReLU MLPs (for tests, benchmarks and demos of certification): weight entries
// uniform in ±√(6/fan_in) (He-uniform, keeps activations O(1) through depth), biases uniform in
// ±0.5, from the project's seeded generator — same seed, same network, everywhere.
import { Random } from '../linalg/index.ts';
import type { MlpSpec } from '../model/index.ts';

/** widths = [n, hidden…, m]; kind 'resmlp' adds a linear skip from the input to the last hidden layer. */
export function randomReluSpec(widths: readonly number[], seed: number, kind: 'mlp' | 'resmlp' = 'mlp'): MlpSpec {
  const random = new Random(seed);
  const layer = (inputs: number, outputs: number) => {
    const limit = Math.sqrt(6 / inputs);
    return {
      inputs, outputs,
      weight: Float64Array.from({ length: inputs * outputs }, () => random.between(-limit, limit)),
      bias: Float64Array.from({ length: outputs }, () => random.between(-0.5, 0.5)),
    };
  };
  const layers = [];
  for (let l = 1; l < widths.length; l++) layers.push(layer(widths[l - 1], widths[l]));
  const n = widths[0], m = widths[widths.length - 1];
  const spec: MlpSpec = {
    kind,
    inputNames: Array.from({ length: n }, (_, j) => `x${j + 1}`),
    outputNames: Array.from({ length: m }, (_, i) => `y${i + 1}`),
    layers,
    activation: 'relu',
  };
  if (kind === 'resmlp') spec.skip = layer(n, widths[widths.length - 2]);
  return spec;
}
