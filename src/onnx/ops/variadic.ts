// Sum, Mean, Max and Min of any number of inputs with numpy broadcasting (opset ≥ 8; earlier
// versions required equal shapes, a special case). Sum and Mean have constant partial derivatives
// (1 and 1/count). Max and Min pass the adjoint to the FIRST input attaining the extremum at each
// element (ties: the lowest input index takes it all — the documented one-sided convention).
import { OnnxFormatError } from '../errors.ts';
import { broadcastDims, broadcastIndex, dimsText, sizeOf, type Tensor } from '../tensor.ts';
import type { BackwardContext, ForwardContext, OperatorRule } from './types.ts';

type VariadicKind = 'sum' | 'mean' | 'max' | 'min';

interface VariadicPlan { dims: number[]; size: number; maps: Int32Array[] }

function planOf(parts: readonly Tensor[], context: ForwardContext | BackwardContext): VariadicPlan {
  return context.memo(`variadic:${parts.map((p) => p.dims.join(',')).join('|')}`, () => {
    let dims: number[] | null = [...parts[0].dims];
    for (const part of parts.slice(1)) dims = dims && broadcastDims(dims, part.dims);
    if (!dims) {
      throw new OnnxFormatError(`operator ${context.node.opType} (node '${context.node.name}'): shapes ${parts.map((p) => dimsText(p.dims)).join(', ')} do not broadcast`);
    }
    const outDims = dims;
    return { dims: outDims, size: sizeOf(outDims), maps: parts.map((p) => broadcastIndex(outDims, p.dims)) };
  });
}

/** Index of the input that supplies the value at output element e (Max/Min), the first one on ties. */
function winner(kind: 'max' | 'min', parts: readonly Tensor[], plan: VariadicPlan, e: number): number {
  let best = 0, value = parts[0].data[plan.maps[0][e]];
  for (let k = 1; k < parts.length; k++) {
    const v = parts[k].data[plan.maps[k][e]];
    if (kind === 'max' ? v > value : v < value) { best = k; value = v; }
  }
  return best;
}

function variadicOperator(kind: VariadicKind): OperatorRule {
  return {
    forward(inputs, context) {
      const parts = inputs.filter((t): t is Tensor => !!t);
      if (parts.length === 0) throw new OnnxFormatError(`operator ${context.node.opType} (node '${context.node.name}') has no inputs`);
      const plan = planOf(parts, context);
      const y = context.buffer(0, plan.size);
      for (let e = 0; e < plan.size; e++) {
        if (kind === 'max' || kind === 'min') {
          let value = parts[0].data[plan.maps[0][e]];
          for (let k = 1; k < parts.length; k++) {
            const v = parts[k].data[plan.maps[k][e]];
            if (kind === 'max' ? v > value || Number.isNaN(v) : v < value || Number.isNaN(v)) value = v;
          }
          y[e] = value;
        } else {
          let sum = 0;
          for (let k = 0; k < parts.length; k++) sum += parts[k].data[plan.maps[k][e]];
          y[e] = kind === 'mean' ? sum / parts.length : sum;
        }
      }
      return [{ dims: plan.dims, data: y }];
    },
    backward(context) {
      const parts = context.inputs as Tensor[];
      const plan = planOf(parts, context);
      const G = context.outputAdjoint, seeds = context.seeds, size = plan.size;
      let chosen: Float64Array | null = null;
      if (kind === 'max' || kind === 'min') {
        chosen = context.scratch(0, size);
        for (let e = 0; e < size; e++) chosen[e] = winner(kind, parts, plan, e);
      }
      const factor = kind === 'mean' ? 1 / parts.length : 1;
      return parts.map((part, k) => {
        if (!context.needs[k]) return undefined;
        const inputSize = part.data.length, map = plan.maps[k];
        const target = context.buffer(k, seeds * inputSize).fill(0);
        for (let s = 0; s < seeds; s++) {
          const from = s * size, to = s * inputSize;
          for (let e = 0; e < size; e++) if (!chosen || chosen[e] === k) target[to + map[e]] += factor * G[from + e];
        }
        return target;
      });
    },
  };
}

export const Sum: OperatorRule = variadicOperator('sum');
export const Mean: OperatorRule = variadicOperator('mean');
export const Max: OperatorRule = variadicOperator('max');
export const Min: OperatorRule = variadicOperator('min');
