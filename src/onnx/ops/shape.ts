// Operators that only move or relabel values: Identity, Dropout (inference), Cast (between number
// types; the interpreter computes in Float64 throughout), Flatten, Reshape, Squeeze, Unsqueeze,
// Concat, and Constant. Relabelling ops share the data array and pass the adjoint through unchanged
// (row-major order is preserved), so they cost nothing.
import { OnnxFormatError } from '../errors.ts';
import { ELEMENT_TYPES, isFloatType, type GraphNode } from '../graph.ts';
import { dimsText, sizeOf, type Tensor } from '../tensor.ts';
import { intsAttribute, normalizeAxis, numberAttribute, requireInput, type OperatorRule } from './types.ts';

/** An operator that keeps the data and changes only the dims. */
function relabel(dimsFor: (input: Tensor, inputs: readonly (Tensor | undefined)[], node: GraphNode) => number[], constantInputs?: number[]): OperatorRule {
  return {
    constantInputs,
    forward(inputs, context) {
      const input = requireInput(inputs, 0, context.node);
      const dims = dimsFor(input, inputs, context.node);
      if (sizeOf(dims) !== input.data.length) {
        throw new OnnxFormatError(`operator ${context.node.opType} (node '${context.node.name}'): cannot reshape ${dimsText(input.dims)} to ${dimsText(dims)}`);
      }
      return [{ dims, data: input.data }];
    },
    backward(context) {
      return context.needs[0] ? [context.outputAdjoint] : [];
    },
  };
}

export const Identity: OperatorRule = relabel((input) => [...input.dims]);

/** Dropout at inference is the identity (a requested mask output is all ones). */
export const Dropout: OperatorRule = {
  constantInputs: [1, 2],
  constantOutputs: [1],
  forward(inputs, context) {
    const input = requireInput(inputs, 0, context.node);
    if (inputs[2] && inputs[2].data[0] !== 0) {
      throw new OnnxFormatError(`operator Dropout (node '${context.node.name}') is in training mode; export the model in eval() mode`);
    }
    const outputs: Tensor[] = [{ dims: input.dims, data: input.data }];
    if (context.node.outputs.length > 1 && context.node.outputs[1]) {
      outputs.push({ dims: input.dims, data: context.buffer(1, input.data.length).fill(1) });
    }
    return outputs;
  },
  backward(context) {
    return context.needs[0] ? [context.outputAdjoint] : [];
  },
};

/** Cast between floating types is the identity in Float64; to an integer type it truncates (derivative 0). */
export const Cast: OperatorRule = {
  forward(inputs, context) {
    const input = requireInput(inputs, 0, context.node);
    const to = ELEMENT_TYPES[numberAttribute(context.node, 'to', 1)] ?? 'unknown';
    if (isFloatType(to)) return [{ dims: input.dims, data: input.data }];
    if (to === 'string' || to === 'unknown') {
      throw new OnnxFormatError(`operator Cast (node '${context.node.name}') casts to ${to}, which is not a number type`);
    }
    const y = context.buffer(0, input.data.length);
    for (let e = 0; e < y.length; e++) y[e] = to === 'bool' ? (input.data[e] !== 0 ? 1 : 0) : Math.trunc(input.data[e]);
    return [{ dims: input.dims, data: y }];
  },
  backward(context) {
    if (!context.needs[0]) return [];
    const to = ELEMENT_TYPES[numberAttribute(context.node, 'to', 1)] ?? 'unknown';
    return isFloatType(to) ? [context.outputAdjoint] : [undefined];
  },
};

export const Flatten: OperatorRule = relabel((input, _inputs, node) => {
  const rank = input.dims.length;
  const raw = numberAttribute(node, 'axis', 1);
  const axis = raw < 0 ? raw + rank : raw;
  if (axis < 0 || axis > rank) throw new OnnxFormatError(`operator Flatten (node '${node.name}'): axis ${raw} is outside a rank-${rank} tensor`);
  const outer = sizeOf(input.dims.slice(0, axis));
  return [outer, sizeOf(input.dims.slice(axis))];
});

/** Reshape with a constant target shape (0 copies the input dim unless allowzero; one −1 is inferred). */
export const Reshape: OperatorRule = relabel((input, inputs, node) => {
  const shape = Array.from(requireInput(inputs, 1, node).data);
  const allowZero = numberAttribute(node, 'allowzero', 0) !== 0;
  const dims = shape.map((d, k) => (d === 0 && !allowZero ? input.dims[k] : d));
  const unknown = dims.indexOf(-1);
  if (unknown >= 0) {
    const known = sizeOf(dims.filter((_, k) => k !== unknown));
    dims[unknown] = known === 0 ? 0 : input.data.length / known;
  }
  return dims;
}, [1]);

/** Axes from input 1 (opset ≥ 13) or the `axes` attribute (older opsets). */
function axesOf(inputs: readonly (Tensor | undefined)[], node: GraphNode): number[] | undefined {
  return inputs[1] ? Array.from(inputs[1].data) : intsAttribute(node, 'axes');
}

export const Squeeze: OperatorRule = relabel((input, inputs, node) => {
  const axes = axesOf(inputs, node);
  if (!axes) return input.dims.filter((d) => d !== 1);
  const drop = new Set(axes.map((a) => normalizeAxis(a, input.dims.length, node)));
  for (const axis of drop) {
    if (input.dims[axis] !== 1) throw new OnnxFormatError(`operator Squeeze (node '${node.name}'): axis ${axis} of ${dimsText(input.dims)} is not 1`);
  }
  return input.dims.filter((_, k) => !drop.has(k));
}, [1]);

export const Unsqueeze: OperatorRule = relabel((input, inputs, node) => {
  const axes = axesOf(inputs, node);
  if (!axes) throw new OnnxFormatError(`operator Unsqueeze (node '${node.name}') has no axes`);
  const rank = input.dims.length + axes.length;
  const insert = new Set(axes.map((a) => normalizeAxis(a, rank, node)));
  const dims: number[] = [];
  let next = 0;
  for (let k = 0; k < rank; k++) dims.push(insert.has(k) ? 1 : input.dims[next++]);
  return dims;
}, [1]);

/** Concat along `axis`: each input contributes a block of dims[axis]·inner per outer index. */
export const Concat: OperatorRule = {
  forward(inputs, context) {
    const { node } = context;
    const parts = inputs.map((t, k) => requireInput(inputs, k, node));
    const rank = parts[0].dims.length;
    const axis = normalizeAxis(numberAttribute(node, 'axis', 0), rank, node);
    const dims = [...parts[0].dims];
    dims[axis] = 0;
    for (const part of parts) {
      if (part.dims.length !== rank || part.dims.some((d, k) => k !== axis && d !== parts[0].dims[k])) {
        throw new OnnxFormatError(`operator Concat (node '${node.name}'): shapes ${parts.map((p) => dimsText(p.dims)).join(', ')} differ outside axis ${axis}`);
      }
      dims[axis] += part.dims[axis];
    }
    const outer = sizeOf(dims.slice(0, axis)), inner = sizeOf(dims.slice(axis + 1));
    const rowSize = dims[axis] * inner;
    const y = context.buffer(0, sizeOf(dims));
    let columnOffset = 0;
    for (const part of parts) {
      const block = part.dims[axis] * inner;
      for (let o = 0; o < outer; o++) y.set(part.data.subarray(o * block, (o + 1) * block), o * rowSize + columnOffset);
      columnOffset += block;
    }
    return [{ dims, data: y }];
  },
  backward(context) {
    const { node, seeds, outputAdjoint } = context;
    const out = context.outputs[0];
    const axis = normalizeAxis(numberAttribute(node, 'axis', 0), out.dims.length, node);
    const outer = sizeOf(out.dims.slice(0, axis)), inner = sizeOf(out.dims.slice(axis + 1));
    const rowSize = out.dims[axis] * inner, outSize = out.data.length;
    let columnOffset = 0;
    return context.inputs.map((part, k) => {
      const block = part!.dims[axis] * inner;
      const offset = columnOffset;
      columnOffset += block;
      if (!context.needs[k]) return undefined;
      const size = part!.data.length;
      const target = context.buffer(k, seeds * size);
      for (let s = 0; s < seeds; s++) {
        for (let o = 0; o < outer; o++) {
          const from = s * outSize + o * rowSize + offset;
          target.set(outputAdjoint.subarray(from, from + block), s * size + o * block);
        }
      }
      return target;
    });
  },
};

/** Constant: its value from the attribute (value, value_float(s), value_int(s)). */
export const Constant: OperatorRule = {
  forward(_inputs, context) {
    const { node } = context;
    const value = node.attributes.get('value');
    if (value && typeof value === 'object' && 'dims' in value) return [{ dims: [...value.dims], data: value.data.slice() }];
    for (const key of ['value_float', 'value_int']) {
      const v = node.attributes.get(key);
      if (typeof v === 'number') return [{ dims: [], data: Float64Array.of(v) }];
    }
    for (const key of ['value_floats', 'value_ints']) {
      const v = node.attributes.get(key);
      if (Array.isArray(v)) return [{ dims: [v.length], data: Float64Array.from(v as number[]) }];
    }
    throw new OnnxFormatError(`operator Constant (node '${node.name}') has no numeric value attribute`);
  },
};
