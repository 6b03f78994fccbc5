// Operators that compute shapes rather than values: Shape (with start/end from opset 15), Size,
// ConstantOfShape and Range. Their outputs depend only on the shape of the model input (for
// example its batch size), never on its values, so they carry no derivative; they feed the
// constant arguments of Reshape, Expand, Slice, … (what PyTorch exports for x.view(x.size(0), -1)).
import { OnnxFormatError } from '../errors.ts';
import { sizeOf } from '../tensor.ts';
import { numberAttribute, requireInput, type OperatorRule } from './types.ts';

export const Shape: OperatorRule = {
  shapeOnly: true,
  forward(inputs, context) {
    const dims = requireInput(inputs, 0, context.node).dims;
    const rank = dims.length;
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
    const start = clamp(numberAttribute(context.node, 'start', 0)), end = clamp(numberAttribute(context.node, 'end', rank));
    const picked = dims.slice(start, Math.max(start, end));
    const data = context.buffer(0, picked.length);
    data.set(picked);
    return [{ dims: [picked.length], data }];
  },
};

export const Size: OperatorRule = {
  shapeOnly: true,
  forward(inputs, context) {
    const data = context.buffer(0, 1);
    data[0] = sizeOf(requireInput(inputs, 0, context.node).dims);
    return [{ dims: [], data }];
  },
};

/** ConstantOfShape: a tensor of the given shape filled with `value` (a one-element tensor; default 0). */
export const ConstantOfShape: OperatorRule = {
  constantInputs: [0],
  forward(inputs, context) {
    const dims = Array.from(requireInput(inputs, 0, context.node).data);
    const value = context.node.attributes.get('value');
    let fill = 0;
    if (value && typeof value === 'object' && 'dims' in value) {
      if (value.data.length !== 1) throw new OnnxFormatError(`operator ConstantOfShape (node '${context.node.name}'): value must hold one element`);
      fill = value.data[0];
    }
    return [{ dims, data: context.buffer(0, sizeOf(dims)).fill(fill) }];
  },
};

/** Range(start, limit, delta): max(⌈(limit − start)/delta⌉, 0) elements start + k·delta. */
export const Range: OperatorRule = {
  constantInputs: [0, 1, 2],
  forward(inputs, context) {
    const [start, limit, delta] = [0, 1, 2].map((k) => requireInput(inputs, k, context.node).data[0]);
    if (delta === 0) throw new OnnxFormatError(`operator Range (node '${context.node.name}'): delta is 0`);
    const count = Math.max(Math.ceil((limit - start) / delta), 0);
    const data = context.buffer(0, count);
    for (let k = 0; k < count; k++) data[k] = start + k * delta;
    return [{ dims: [count], data }];
  },
};

