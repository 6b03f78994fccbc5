// An inversa MlpSpec as a PwlNetwork, following the evaluation order of src/model/mlp-spec.ts:
// input scaling, input projection, hidden layers, resmlp skip, output layer, output projection,
// output scaling. Only ReLU, LeakyReLU and identity hidden activations are piecewise linear.
import { type DenseLayer, type MlpSpec, DEFAULT_LEAKY_RELU_SLOPE } from '../model/index.ts';
import { NotPiecewiseLinearError, PwlBuilder, type Affine, type PwlNetwork } from './network.ts';

function dense(builder: PwlBuilder, layer: DenseLayer, inputs: Affine[]): Affine[] {
  const out: Affine[] = [];
  for (let i = 0; i < layer.outputs; i++) out.push(builder.combine(inputs, layer.weight.subarray(i * layer.inputs, (i + 1) * layer.inputs), layer.bias[i]));
  return out;
}

export function pwlNetworkFromMlp(spec: MlpSpec): PwlNetwork {
  const activation = spec.activation;
  if (activation !== 'relu' && activation !== 'leaky-relu' && activation !== 'identity') {
    throw new NotPiecewiseLinearError(`the MLP's hidden activation '${activation}' is smooth, not piecewise linear; a MILP certificate needs relu, leaky-relu or identity`);
  }
  if (spec.layerNorms?.some((norm) => norm)) {
    throw new NotPiecewiseLinearError('the MLP has layer normalizations, which are not piecewise linear; a MILP certificate needs Dense and ReLU-type layers only');
  }
  const slope = activation === 'leaky-relu' ? (spec.activationParameter ?? DEFAULT_LEAKY_RELU_SLOPE) : 0;
  const n = spec.inputNames.length;
  const builder = new PwlBuilder(n);
  let s: Affine[] = Array.from({ length: n }, (_, j) => builder.input(j));
  if (spec.inputScaling) s = s.map((e, j) => builder.scale(e, 1 / spec.inputScaling!.std[j], -spec.inputScaling!.mean[j] / spec.inputScaling!.std[j]));
  if (spec.inputProjection) s = dense(builder, spec.inputProjection, s);
  let h = s;
  const hidden = spec.layers.slice(0, -1);
  for (const layer of hidden) {
    const pre = dense(builder, layer, h);
    h = activation === 'identity' ? pre : pre.map((z) => (activation === 'relu' ? builder.relu(z) : builder.leakyRelu(z, slope)));
  }
  if (spec.kind === 'resmlp' && spec.skip) {
    const skip = dense(builder, spec.skip, s);
    h = h.map((e, i) => builder.add(e, skip[i]));
  }
  let z = dense(builder, spec.layers[spec.layers.length - 1], h);
  if (spec.outputProjection) z = dense(builder, spec.outputProjection, z);
  if (spec.outputScaling) z = z.map((e, i) => builder.scale(e, spec.outputScaling!.std[i], spec.outputScaling!.mean[i]));
  return builder.finish(z);
}
