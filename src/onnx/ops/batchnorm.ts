// BatchNormalization in inference mode: y = scale·(x − mean)/√(var + ε) + B per channel (axis 1),
// i.e. an affine map per channel with factor scale/√(var + ε). Forward and derivative side by side.
import { OnnxFormatError } from '../errors.ts';
import { dimsText, sizeOf, type Tensor } from '../tensor.ts';
import { numberAttribute, requireInput, type OperatorRule } from './types.ts';

interface ChannelAffine {
  factor: Float64Array;
  shift: Float64Array;
}

function channelAffine(inputs: readonly (Tensor | undefined)[], channels: number, epsilon: number, nodeName: string): ChannelAffine {
  const names = ['scale', 'B', 'input_mean', 'input_var'];
  const [scale, bias, mean, variance] = [1, 2, 3, 4].map((k) => {
    const t = inputs[k];
    if (!t || t.data.length !== channels) {
      throw new OnnxFormatError(`operator BatchNormalization (node '${nodeName}'): ${names[k - 1]} must hold ${channels} values (one per channel), got ${t ? dimsText(t.dims) : 'none'}`);
    }
    return t.data;
  });
  const factor = new Float64Array(channels), shift = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    factor[c] = scale[c] / Math.sqrt(variance[c] + epsilon);
    shift[c] = bias[c] - mean[c] * factor[c];
  }
  return { factor, shift };
}

export const BatchNormalization: OperatorRule = {
  constantInputs: [1, 2, 3, 4],
  forward(inputs, context) {
    const { node } = context;
    if (numberAttribute(node, 'training_mode', 0) !== 0) {
      throw new OnnxFormatError(`operator BatchNormalization (node '${node.name}') is in training mode; export the model in eval() mode`);
    }
    const x = requireInput(inputs, 0, node);
    if (x.dims.length < 2) throw new OnnxFormatError(`operator BatchNormalization (node '${node.name}'): input ${dimsText(x.dims)} has no channel axis`);
    const channels = x.dims[1], inner = sizeOf(x.dims.slice(2));
    const { factor, shift } = context.memo('affine', () => channelAffine(inputs, channels, numberAttribute(node, 'epsilon', 1e-5), node.name));
    const y = context.buffer(0, x.data.length);
    const X = x.data;
    for (let start = 0; start < X.length; start += channels * inner) {
      for (let c = 0; c < channels; c++) {
        const f = factor[c], b = shift[c], offset = start + c * inner;
        for (let e = offset; e < offset + inner; e++) y[e] = X[e] * f + b;
      }
    }
    return [{ dims: x.dims, data: y }];
  },
  backward(context) {
    if (!context.needs[0]) return [];
    const x = context.inputs[0]!;
    const { factor } = context.memo<ChannelAffine>('affine', () => { throw new Error('BatchNormalization backward before forward'); });
    const channels = x.dims[1], inner = sizeOf(x.dims.slice(2)), size = x.data.length;
    const target = context.buffer(0, context.seeds * size);
    const G = context.outputAdjoint;
    for (let start = 0; start < target.length; start += channels * inner) {
      for (let c = 0; c < channels; c++) {
        const f = factor[c], offset = start + c * inner;
        for (let e = offset; e < offset + inner; e++) target[e] = G[e] * f;
      }
    }
    return [target];
  },
};
