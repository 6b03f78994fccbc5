// The operator registry of the Float64 interpreter (default ONNX domain): for each operator its
// rule (forward + derivative), the ai.onnx opset versions the rule implements, and a one-line
// statement of its derivative. docs/onnx-coverage.md is generated from this table
// (scripts/onnx-coverage.ts; test/onnx/coverage-table.test.ts fails when it is stale).
//
// Opset range: 7 (numpy broadcasting of Add/Sub/Mul/Div, Gemm without `broadcast`) to 22, the newest
// opset whose changes were checked against these rules (18: Reduce* axes as input, Split
// num_outputs; 21: GroupNormalization scale per channel; 19–22 otherwise only add element types).
// Outside that range every node is refused with its range, never evaluated with guessed semantics.
import { Celu, Elu, Erf, Gelu, HardSwish, LeakyRelu, Mish, Relu, Selu, Sigmoid, Softplus, Softsign, Tanh } from './activations.ts';
import { BatchNormalization } from './batchnorm.ts';
import { Add, Div, Mul, Sub } from './binary.ts';
import { Gemm, MatMul } from './linear.ts';
import { Equal, Greater, GreaterOrEqual, Less, LessOrEqual, Not } from './comparison.ts';
import { Abs, Clip, Cos, Exp, Log, Neg, Pow, Reciprocal, Sin, Sqrt } from './math.ts';
import { GroupNormalization, InstanceNormalization, LayerNormalization } from './normalization.ts';
import { Expand, Gather, Slice, Split, Tile, Transpose, Where } from './picking.ts';
import { HardSigmoid, PRelu, ThresholdedRelu } from './piecewise-linear.ts';
import { ReduceL2, ReduceMax, ReduceMean, ReduceMin, ReduceSum } from './reduce.ts';
import { Ceil, Floor, Round, Sign } from './rounding.ts';
import { Cast, Concat, Constant, Dropout, Flatten, Identity, Reshape, Squeeze, Unsqueeze } from './shape.ts';
import { ConstantOfShape, Range, Shape, Size } from './shape-values.ts';
import { LogSoftmax, Softmax } from './softmax.ts';
import type { OperatorRule } from './types.ts';
import { Max, Mean, Min, Sum } from './variadic.ts';

/** Oldest and newest ai.onnx opset any rule supports. */
export const MIN_OPSET = 7;
export const MAX_OPSET = 22;

export interface OperatorEntry {
  readonly rule: OperatorRule;
  /** Inclusive range of ai.onnx opset versions this rule implements. */
  readonly opsets: readonly [number, number];
  /** The derivative, in one line (kinks: left derivative; see docs/onnx-coverage.md). */
  readonly derivative: string;
  /** Where it matters that the derivative is zero or conventional (shown in the table). */
  readonly caveat?: string;
}

const ZERO = 'zero derivative (piecewise constant)';
const KINK = 'left derivative at the kink';
const TIES = 'ties: the first element takes the adjoint';
const PICK = 'exact: adjoint scattered back to the picked elements';
const SHAPE = 'none: depends only on shapes (usable as a constant argument)';
const BOOLEAN = 'none: boolean result (a Where condition only when computed from shapes or constants)';

function entry(rule: OperatorRule, since: number, derivative: string, caveat?: string): OperatorEntry {
  return { rule, opsets: [Math.max(MIN_OPSET, since), MAX_OPSET], derivative, ...(caveat ? { caveat } : {}) };
}

export const OPERATORS: ReadonlyMap<string, OperatorEntry> = new Map(Object.entries({
  // Dense layers and arithmetic.
  Gemm: entry(Gemm, 7, 'exact: G·Wᵀ (constant weight and bias)'),
  MatMul: entry(MatMul, 7, 'exact: G·Wᵀ (constant weight)'),
  Add: entry(Add, 7, 'exact (broadcast adjoints summed)'),
  Sub: entry(Sub, 7, 'exact (broadcast adjoints summed)'),
  Mul: entry(Mul, 7, 'exact (broadcast adjoints summed)'),
  Div: entry(Div, 7, 'exact (broadcast adjoints summed)'),
  Sum: entry(Sum, 7, 'exact: 1 per input (broadcasting from opset 8)'),
  Mean: entry(Mean, 7, 'exact: 1/count per input (broadcasting from opset 8)'),
  Max: entry(Max, 7, 'exact: 1 to the largest input', TIES),
  Min: entry(Min, 7, 'exact: 1 to the smallest input', TIES),
  // Elementwise functions.
  Neg: entry(Neg, 7, 'exact: −1'),
  Abs: entry(Abs, 7, 'exact: sign(x)', `${KINK}: −1 at 0 (PyTorch: 0)`),
  Exp: entry(Exp, 7, 'exact: eˣ'),
  Log: entry(Log, 7, 'exact: 1/x'),
  Sqrt: entry(Sqrt, 7, 'exact: 1/(2√x)'),
  Reciprocal: entry(Reciprocal, 7, 'exact: −1/x²'),
  Pow: entry(Pow, 7, 'exact: p·x^(p−1) (constant exponent p)'),
  Sin: entry(Sin, 7, 'exact: cos x'),
  Cos: entry(Cos, 7, 'exact: −sin x'),
  Clip: entry(Clip, 7, 'exact: 1 inside the bounds, 0 outside (constant bounds)', `${KINK}: 0 at min, 1 at max (PyTorch: 1 at both)`),
  Floor: entry(Floor, 7, ZERO, 'discontinuous at integers: 0 reported there'),
  Ceil: entry(Ceil, 7, ZERO, 'discontinuous at integers: 0 reported there'),
  Round: entry(Round, 11, ZERO, 'half to even; discontinuous at half-integers: 0 reported there'),
  Sign: entry(Sign, 9, ZERO, 'discontinuous at 0: 0 reported there'),
  // Activations.
  Relu: entry(Relu, 7, 'exact: 1 for x > 0, else 0', `${KINK}: 0 at 0`),
  LeakyRelu: entry(LeakyRelu, 7, 'exact: 1 for x > 0, else α', `${KINK}: α at 0`),
  PRelu: entry(PRelu, 7, 'exact: 1 for x > 0, else slope (constant slope, broadcast)', `${KINK}: slope at 0`),
  ThresholdedRelu: entry(ThresholdedRelu, 10, 'exact: 1 for x > α, else 0', `${KINK}: 0 at α (the function jumps there)`),
  HardSigmoid: entry(HardSigmoid, 7, 'exact: α on the linear piece, else 0', `${KINK}s`),
  HardSwish: entry(HardSwish, 14, 'exact: 0, x/3 + 1/2, 1 on the three pieces', `${KINK}s: 0 at −3, 3/2 at 3`),
  Tanh: entry(Tanh, 7, 'exact: 1 − y²'),
  Sigmoid: entry(Sigmoid, 7, 'exact: y(1 − y)'),
  Elu: entry(Elu, 7, 'exact: 1 for x > 0, else α·eˣ', `${KINK}: α at 0`),
  Selu: entry(Selu, 7, 'exact: γ for x > 0, else γα·eˣ', `${KINK}: γα at 0`),
  Celu: entry(Celu, 12, 'exact: 1 for x > 0, else e^(x/α)'),
  Softplus: entry(Softplus, 7, 'exact: σ(x)'),
  Softsign: entry(Softsign, 7, 'exact: 1/(1 + |x|)²'),
  Mish: entry(Mish, 18, 'exact: tanh(sp) + x(1 − tanh²(sp))σ(x), sp = softplus(x)'),
  Erf: entry(Erf, 9, 'exact: 2/√π·e^(−x²)'),
  Gelu: entry(Gelu, 20, 'exact (erf and tanh forms)'),
  Softmax: entry(Softmax, 7, 'exact: y ⊙ (g − Σ g·y) (2-D coercion before opset 13)'),
  LogSoftmax: entry(LogSoftmax, 7, 'exact: g − softmax ⊙ Σ g (2-D coercion before opset 13)'),
  // Normalizations.
  BatchNormalization: entry(BatchNormalization, 9, 'exact: per-channel affine (inference mode)'),
  LayerNormalization: entry(LayerNormalization, 17, 'exact: (g − mean g − x̂·mean(g x̂))/σ, g = adjoint·scale'),
  InstanceNormalization: entry(InstanceNormalization, 7, 'exact: as LayerNormalization, per (sample, channel)'),
  GroupNormalization: entry(GroupNormalization, 18, 'exact: as LayerNormalization, per (sample, group); scale per group < 21, per channel ≥ 21'),
  // Reductions.
  ReduceSum: entry(ReduceSum, 7, 'exact: 1 (axes attribute < 13, input ≥ 13)'),
  ReduceMean: entry(ReduceMean, 7, 'exact: 1/count (axes attribute < 18, input ≥ 18)'),
  ReduceMax: entry(ReduceMax, 7, 'exact: 1 at the maximum (axes attribute < 18, input ≥ 18)', TIES),
  ReduceMin: entry(ReduceMin, 7, 'exact: 1 at the minimum (axes attribute < 18, input ≥ 18)', TIES),
  ReduceL2: entry(ReduceL2, 7, 'exact: x/‖x‖ (axes attribute < 18, input ≥ 18)', '0 where ‖x‖ = 0 (a kink)'),
  // Moving and picking elements.
  Identity: entry(Identity, 7, 'exact: identity'),
  Dropout: entry(Dropout, 7, 'exact: identity (inference)'),
  Cast: entry(Cast, 7, 'exact: identity between float types; 0 to integer types'),
  Flatten: entry(Flatten, 7, 'exact: identity (relabel)'),
  Reshape: entry(Reshape, 7, 'exact: identity (relabel)'),
  Squeeze: entry(Squeeze, 7, 'exact: identity (relabel)'),
  Unsqueeze: entry(Unsqueeze, 7, 'exact: identity (relabel)'),
  Concat: entry(Concat, 7, 'exact: adjoint split back to the parts'),
  Transpose: entry(Transpose, 7, PICK),
  Slice: entry(Slice, 7, `${PICK} (attributes < 10, inputs ≥ 10)`),
  Split: entry(Split, 7, `${PICK} (split attribute < 13, input ≥ 13, num_outputs ≥ 18)`),
  Gather: entry(Gather, 7, `${PICK} (constant indices)`),
  Expand: entry(Expand, 8, `${PICK}, summed over repeats`),
  Tile: entry(Tile, 7, `${PICK}, summed over repeats`),
  Where: entry(Where, 9, 'exact: 1 to the selected operand (constant condition)'),
  // Constants and shapes.
  Constant: entry(Constant, 7, 'none: constant'),
  Shape: entry(Shape, 7, SHAPE),
  Size: entry(Size, 7, SHAPE),
  ConstantOfShape: entry(ConstantOfShape, 9, SHAPE),
  Range: entry(Range, 11, SHAPE),
  // Comparisons: boolean results without a derivative.
  Equal: entry(Equal, 7, BOOLEAN),
  Greater: entry(Greater, 7, BOOLEAN),
  Less: entry(Less, 7, BOOLEAN),
  GreaterOrEqual: entry(GreaterOrEqual, 12, BOOLEAN),
  LessOrEqual: entry(LessOrEqual, 12, BOOLEAN),
  Not: entry(Not, 7, BOOLEAN),
}));

/** The registry entry of an operator, or undefined when the operator (or its domain) is not supported. */
export function operatorEntry(opType: string, domain: string): OperatorEntry | undefined {
  if (domain !== '' && domain !== 'ai.onnx') return undefined;
  return OPERATORS.get(opType);
}

/** The rule for a node, or undefined when the operator (or its domain) is not supported. */
export function operatorRule(opType: string, domain: string): OperatorRule | undefined {
  return operatorEntry(opType, domain)?.rule;
}

export const SUPPORTED_OPERATORS: readonly string[] = [...OPERATORS.keys()].sort();
