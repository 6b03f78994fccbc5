// The operator set of the Float64 interpreter (default ONNX domain): name → forward + derivative rule.
import { Elu, Erf, Gelu, LeakyRelu, Relu, Sigmoid, Softplus, Tanh } from './activations.ts';
import { BatchNormalization } from './batchnorm.ts';
import { Add, Div, Mul, Sub } from './binary.ts';
import { Gemm, MatMul } from './linear.ts';
import { Abs, Clip, Exp, Log, Neg, Pow, Reciprocal, Sqrt } from './math.ts';
import { Cast, Concat, Constant, Dropout, Flatten, Identity, Reshape, Squeeze, Unsqueeze } from './shape.ts';
import type { OperatorRule } from './types.ts';

export const OPERATORS: ReadonlyMap<string, OperatorRule> = new Map(Object.entries({
  Gemm, MatMul, Add, Sub, Mul, Div, Neg, Abs, Exp, Log, Sqrt, Reciprocal, Pow, Clip,
  Relu, LeakyRelu, Tanh, Sigmoid, Elu, Softplus, Erf, Gelu,
  Identity, Dropout, Constant, Cast, Flatten, Reshape, Squeeze, Unsqueeze, Concat, BatchNormalization,
}));

/** The rule for a node, or undefined when the operator (or its domain) is not supported. */
export function operatorRule(opType: string, domain: string): OperatorRule | undefined {
  if (domain !== '' && domain !== 'ai.onnx') return undefined;
  return OPERATORS.get(opType);
}

export const SUPPORTED_OPERATORS: readonly string[] = [...OPERATORS.keys()].sort();
