// THE activation table of inversa: every activation's value and derivative (and the one erf), as
// scalar functions, used by MlpModel, the ONNX operators (onnx/ops/activations.ts), training (both
// precisions, through model/dense-network.ts) and checked against the WebAssembly kernels (tanh in
// linalg/gemm/wasm-module.ts, ReLU in linalg/gemm/wasm-float32.ts) by
// test/model/activation-table.test.ts. Array loops (applyActivation, activationBackward) call these
// scalars, so each formula is written once.
// Definitions follow PyTorch's defaults (GELU in its exact erf form, LeakyReLU slope 0.01, ELU
// alpha 1) so a model trained there evaluates to the same numbers here. Softplus is the exact
// log(1 + e^x) (as ONNX defines it), without PyTorch's linear cut-over above x = 20. Derivatives at
// kinks follow PyTorch (ReLU'(0) = 0, LeakyReLU'(0) = slope, ELU'(0) the left branch), so
// Jacobians match autograd exactly.
import { ACTIVATIONS, type Activation } from './mlp-spec.ts';
import { InvalidArgumentError } from '../core/index.ts';

/** PyTorch's default negative slope of LeakyReLU. */
export const DEFAULT_LEAKY_RELU_SLOPE = 0.01;
/** PyTorch's default alpha of ELU. */
export const DEFAULT_ELU_ALPHA = 1;
/** ONNX's default SELU constants: the float32 roundings of α and γ of the SELU paper. */
export const SELU_ALPHA = 1.67326319217681884765625;
export const SELU_GAMMA = 1.05070102214813232421875;

const TWO_OVER_SQRT_PI = 1.1283791670955126; // 2/√π
const ONE_OVER_SQRT_PI = 0.5641895835477563; // 1/√π
const ONE_OVER_SQRT_TWO = 0.7071067811865476; // 1/√2
const ONE_OVER_SQRT_TWO_PI = 0.3989422804014327; // 1/√(2π)
const SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);
/** The cubic coefficient of GELU's tanh approximation. */
const GELU_TANH_CUBIC = 0.044715;
/** Below this |x| erf uses its Maclaurin series (fast, no cancellation to speak of). */
const ERF_MACLAURIN_LIMIT = 0.5;
/** Below this |x| erf uses the positive-term series; above, erfc by continued fraction. */
const ERF_SERIES_LIMIT = 2.5;
/** Above this x, erfc uses the continued fraction (≤ ~100 terms); below, 1 − erf (loses < 2 digits). */
const ERFC_FRACTION_LIMIT = 1.5;
/** erfc(x) underflows to below 2^-1074 beyond this; erf(x) is ±1 in double well before. */
const ERFC_UNDERFLOW = 27.3;
/** Series and continued fractions stop when a term changes the sum by less than this (relative). */
const SERIES_EPSILON = 2 ** -56;
const SPLIT_FACTOR = 134217729; // 2^27 + 1, Veltkamp splitting

/**
 * e^{-x²} with x² split into an exactly representable high part and a small low part, so the
 * relative error stays near one ulp even for large |x| (where x² itself rounds by x²·ε).
 */
function expMinusSquare(x: number): number {
  const scaled = SPLIT_FACTOR * x;
  const high = scaled - (scaled - x);
  const low = x - high;
  return Math.exp(-high * high) * Math.exp(-low * (2 * high + low));
}

/** erfc(x) for x ≥ ERFC_FRACTION_LIMIT: continued fraction e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), modified Lentz. */
function erfcContinuedFraction(x: number): number {
  if (x >= ERFC_UNDERFLOW) return 0;
  const tiny = 1e-300;
  let f = x, c = x, d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? 1 / tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < SERIES_EPSILON) break;
  }
  return (ONE_OVER_SQRT_PI * expMinusSquare(x)) / f;
}

/** erf(x) for 0 ≤ x < ERF_SERIES_LIMIT. */
function erfSeries(x: number): number {
  const square = x * x;
  if (x < ERF_MACLAURIN_LIMIT) {
    // erf(x) = 2/√π Σ (-1)^k x^{2k+1} / (k! (2k+1)); terms fall by ≥ 4× each step for x < 0.5.
    let power = x, sum = x;
    for (let k = 1; k < 40; k++) {
      power *= -square / k;
      const term = power / (2 * k + 1);
      sum += term;
      if (Math.abs(term) < SERIES_EPSILON * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  // erf(x) = 2/√π e^{-x²} Σ 2^k x^{2k+1} / (1·3·…·(2k+1)): all terms positive, no cancellation.
  let term = x, sum = x;
  for (let k = 1; k < 200; k++) {
    term *= (2 * square) / (2 * k + 1);
    sum += term;
    if (term < SERIES_EPSILON * sum) break;
  }
  return TWO_OVER_SQRT_PI * expMinusSquare(x) * sum;
}

/** The error function, relative error near 1e-16 over the whole line. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const magnitude = Math.abs(x);
  const value = magnitude < ERF_SERIES_LIMIT ? erfSeries(magnitude) : 1 - erfcContinuedFraction(magnitude);
  return x < 0 ? -value : value;
}

/** The complementary error function 1 − erf(x), accurate in relative terms also in the far tail. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= ERFC_FRACTION_LIMIT) return erfcContinuedFraction(x);
  if (x <= -ERFC_FRACTION_LIMIT) return 2 - erfcContinuedFraction(-x);
  return 1 - erf(x);
}

/** Standard normal cumulative distribution Φ(x) = ½ erfc(−x/√2), accurate in both tails. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * ONE_OVER_SQRT_TWO);
}

/** d erf(x) / dx = 2/√π · e^(−x²). */
export function erfDerivative(x: number): number {
  return TWO_OVER_SQRT_PI * Math.exp(-x * x);
}

// ---------------------------------------------------------------------------------------------
// The scalar functions: value, derivative (and the derivative from the value where that is cheaper)

export function identity(x: number): number {
  return x;
}
export function identityDerivative(_x: number): number {
  return 1;
}

export function relu(x: number): number {
  return x > 0 ? x : 0;
}
export function reluDerivative(x: number): number {
  return x > 0 ? 1 : 0;
}

export function leakyRelu(x: number, slope: number): number {
  return x > 0 ? x : slope * x;
}
export function leakyReluDerivative(x: number, slope: number): number {
  return x > 0 ? 1 : slope;
}

export function tanh(x: number): number {
  return Math.tanh(x);
}
/** 1 − tanh² from the value: the convention of every tanh derivative in inversa (WASM kernels too). */
export function tanhDerivativeFromValue(t: number): number {
  return 1 - t * t;
}
export function tanhDerivative(x: number): number {
  return tanhDerivativeFromValue(Math.tanh(x));
}

/** Logistic sigmoid without overflow for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
export function sigmoidDerivativeFromValue(s: number): number {
  return s * (1 - s);
}
export function sigmoidDerivative(x: number): number {
  return sigmoidDerivativeFromValue(sigmoid(x));
}

/** ELU: x for x > 0, α(eˣ − 1) otherwise (expm1: no cancellation near 0). */
export function elu(x: number, alpha: number): number {
  return x > 0 ? x : alpha * Math.expm1(x);
}
export function eluDerivative(x: number, alpha: number): number {
  return x > 0 ? 1 : alpha * Math.exp(x);
}

/** log(1 + e^x) without overflow or loss of the small tail. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
/** d softplus/dx = σ(x). */
export function softplusDerivative(x: number): number {
  return sigmoid(x);
}

/** GELU x·Φ(x), Φ through erfc (accurate in the negative tail). */
export function gelu(x: number): number {
  return x * normalCdf(x);
}
/** Φ(x) + x·φ(x). */
export function geluDerivative(x: number): number {
  return normalCdf(x) + x * ONE_OVER_SQRT_TWO_PI * Math.exp(-0.5 * x * x);
}

/** GELU's tanh approximation ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (ONNX Gelu approximate='tanh'). */
export function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(SQRT_TWO_OVER_PI * (x + GELU_TANH_CUBIC * x * x * x)));
}
export function geluTanhDerivative(x: number): number {
  const t = Math.tanh(SQRT_TWO_OVER_PI * (x + GELU_TANH_CUBIC * x * x * x));
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_TWO_OVER_PI * (1 + 3 * GELU_TANH_CUBIC * x * x);
}

/** SELU γ·x for x > 0, γ·α·(eˣ − 1) otherwise. */
export function selu(x: number, alpha: number, gamma: number): number {
  return x > 0 ? gamma * x : gamma * alpha * Math.expm1(x);
}
export function seluDerivative(x: number, alpha: number, gamma: number): number {
  return x > 0 ? gamma : gamma * alpha * Math.exp(x);
}

/** CELU max(0, x) + min(0, α·(e^(x/α) − 1)). */
export function celu(x: number, alpha: number): number {
  return x > 0 ? x : alpha * Math.expm1(x / alpha);
}
export function celuDerivative(x: number, alpha: number): number {
  return x > 0 ? 1 : Math.exp(x / alpha);
}

/** HardSwish x·max(0, min(1, x/6 + 1/2)); left derivative at the kinks x = −3 (0) and x = 3 (3/2). */
export function hardSwish(x: number): number {
  return x * Math.max(0, Math.min(1, x / 6 + 0.5));
}
export function hardSwishDerivative(x: number): number {
  return x <= -3 ? 0 : x <= 3 ? x / 3 + 0.5 : 1;
}

/** Mish x·tanh(softplus(x)). */
export function mish(x: number): number {
  return x * Math.tanh(softplus(x));
}
/** tanh(sp) + x·(1 − tanh²(sp))·σ(x). */
export function mishDerivative(x: number): number {
  const t = Math.tanh(softplus(x));
  return t + x * (1 - t * t) * sigmoid(x);
}

/** Softsign x/(1 + |x|). */
export function softsign(x: number): number {
  return x / (1 + Math.abs(x));
}
export function softsignDerivative(x: number): number {
  const s = 1 + Math.abs(x);
  return 1 / (s * s);
}

/** One row of the table: value and derivative at x, with up to two parameters (slope, α, γ). */
export interface ActivationEntry {
  value(x: number, first: number, second: number): number;
  derivative(x: number, first: number, second: number): number;
  /** The derivative from the value alone, where the activation has such a form (tanh, sigmoid). */
  derivativeFromValue?: (y: number) => number;
}

/** Every activation inversa evaluates: the MLP activations (model/mlp-spec.ts) and the extra ONNX ones. */
export type TableActivation = Activation | 'erf' | 'gelu-tanh' | 'selu' | 'celu' | 'hard-swish' | 'mish' | 'softsign';

/** THE activation table. Parameters: leaky-relu (slope), elu/celu (α), selu (α, γ). */
export const ACTIVATION_TABLE: Readonly<Record<TableActivation, ActivationEntry>> = {
  identity: { value: identity, derivative: identityDerivative },
  relu: { value: relu, derivative: reluDerivative },
  'leaky-relu': { value: leakyRelu, derivative: leakyReluDerivative },
  tanh: { value: tanh, derivative: tanhDerivative, derivativeFromValue: tanhDerivativeFromValue },
  sigmoid: { value: sigmoid, derivative: sigmoidDerivative, derivativeFromValue: sigmoidDerivativeFromValue },
  elu: { value: elu, derivative: eluDerivative },
  softplus: { value: softplus, derivative: softplusDerivative },
  gelu: { value: gelu, derivative: geluDerivative },
  erf: { value: erf, derivative: erfDerivative },
  'gelu-tanh': { value: geluTanh, derivative: geluTanhDerivative },
  selu: { value: selu, derivative: seluDerivative },
  celu: { value: celu, derivative: celuDerivative },
  'hard-swish': { value: hardSwish, derivative: hardSwishDerivative },
  mish: { value: mish, derivative: mishDerivative },
  softsign: { value: softsign, derivative: softsignDerivative },
};

/** The parameter an activation uses (LeakyReLU slope or ELU alpha), with PyTorch's defaults. */
export function activationParameterOrDefault(activation: Activation, parameter?: number): number {
  if (parameter !== undefined) {
    if (!Number.isFinite(parameter)) throw new InvalidArgumentError(`activationParameter must be finite, got ${parameter}`);
    return parameter;
  }
  return activation === 'leaky-relu' ? DEFAULT_LEAKY_RELU_SLOPE : activation === 'elu' ? DEFAULT_ELU_ALPHA : 0;
}

/** Float64 or Float32 storage (the float32 training network applies activations on its kernel memory). */
export type ActivationArray = Float64Array | Float32Array;

/**
 * Apply an activation to `pre[0..length)`, writing values into `value` and, when given, the
 * derivative d act/d pre into `derivative`. `value` may be the same array as `pre`
 * (in place): each branch reads x before writing. The switch sits outside the loops so each loop is
 * monomorphic and the table's scalar functions inline.
 */
export function applyActivation(
  activation: Activation,
  pre: ActivationArray,
  value: ActivationArray,
  derivative: ActivationArray | null = null,
  parameter = activationParameterOrDefault(activation),
  length = pre.length,
): void {
  switch (activation) {
    case 'identity':
      for (let k = 0; k < length; k++) value[k] = identity(pre[k]);
      if (derivative) for (let k = 0; k < length; k++) derivative[k] = identityDerivative(pre[k]);
      return;
    case 'relu':
      if (derivative) for (let k = 0; k < length; k++) { const x = pre[k]; derivative[k] = reluDerivative(x); value[k] = relu(x); }
      else for (let k = 0; k < length; k++) value[k] = relu(pre[k]);
      return;
    case 'leaky-relu':
      if (derivative) for (let k = 0; k < length; k++) { const x = pre[k]; derivative[k] = leakyReluDerivative(x, parameter); value[k] = leakyRelu(x, parameter); }
      else for (let k = 0; k < length; k++) value[k] = leakyRelu(pre[k], parameter);
      return;
    case 'tanh':
      if (derivative) for (let k = 0; k < length; k++) { const t = tanh(pre[k]); value[k] = t; derivative[k] = tanhDerivativeFromValue(t); }
      else for (let k = 0; k < length; k++) value[k] = tanh(pre[k]);
      return;
    case 'sigmoid':
      if (derivative) for (let k = 0; k < length; k++) { const s = sigmoid(pre[k]); value[k] = s; derivative[k] = sigmoidDerivativeFromValue(s); }
      else for (let k = 0; k < length; k++) value[k] = sigmoid(pre[k]);
      return;
    case 'elu':
      if (derivative) for (let k = 0; k < length; k++) { const x = pre[k]; value[k] = elu(x, parameter); derivative[k] = eluDerivative(x, parameter); }
      else for (let k = 0; k < length; k++) value[k] = elu(pre[k], parameter);
      return;
    case 'softplus':
      if (derivative) for (let k = 0; k < length; k++) { const x = pre[k]; value[k] = softplus(x); derivative[k] = softplusDerivative(x); }
      else for (let k = 0; k < length; k++) value[k] = softplus(pre[k]);
      return;
    case 'gelu':
      if (derivative) for (let k = 0; k < length; k++) { const x = pre[k]; value[k] = gelu(x); derivative[k] = geluDerivative(x); }
      else for (let k = 0; k < length; k++) value[k] = gelu(pre[k]);
      return;
    default:
      throw new InvalidArgumentError(`unknown activation '${activation as string}'`);
  }
}

/**
 * gradient[k] ⟵ gradient[k] · act'(pre[k]) for k < length: the backward step through an
 * activation. With `value` (the activation's output at the same indices, unmodified) the derivative
 * comes from it where the table has that form (tanh: 1 − y²), saving the recomputation.
 */
export function activationBackward(activation: Activation, pre: ActivationArray, value: ActivationArray | null, gradient: ActivationArray, parameter: number, length: number): void {
  switch (activation) {
    case 'relu':
      for (let k = 0; k < length; k++) if (!(reluDerivative(pre[k]) > 0)) gradient[k] = 0;
      return;
    case 'tanh':
      if (value) for (let k = 0; k < length; k++) gradient[k] *= tanhDerivativeFromValue(value[k]);
      else for (let k = 0; k < length; k++) gradient[k] *= tanhDerivative(pre[k]);
      return;
    case 'sigmoid':
      if (value) for (let k = 0; k < length; k++) gradient[k] *= sigmoidDerivativeFromValue(value[k]);
      else for (let k = 0; k < length; k++) gradient[k] *= sigmoidDerivative(pre[k]);
      return;
    default: {
      const entry = ACTIVATION_TABLE[activation];
      if (!entry) throw new InvalidArgumentError(`unknown activation '${activation as string}'`);
      for (let k = 0; k < length; k++) gradient[k] *= entry.derivative(pre[k], parameter, 0);
    }
  }
}

/** Value of an activation at one point. */
export function activationValue(activation: TableActivation, x: number, parameter?: number, second?: number): number {
  return tableEntry(activation).value(x, parameterFor(activation, parameter), second ?? SELU_GAMMA);
}

/** Derivative of an activation at one point. */
export function activationDerivative(activation: TableActivation, x: number, parameter?: number, second?: number): number {
  return tableEntry(activation).derivative(x, parameterFor(activation, parameter), second ?? SELU_GAMMA);
}

function tableEntry(activation: TableActivation): ActivationEntry {
  const entry = Object.hasOwn(ACTIVATION_TABLE, activation) ? ACTIVATION_TABLE[activation] : undefined;
  if (!entry) throw new InvalidArgumentError(`unknown activation '${activation as string}'`);
  return entry;
}

function parameterFor(activation: TableActivation, parameter: number | undefined): number {
  if (activation === 'celu') return parameter ?? 1;
  if (activation === 'selu') return parameter ?? SELU_ALPHA;
  return (ACTIVATIONS as readonly string[]).includes(activation) ? activationParameterOrDefault(activation as Activation, parameter) : parameter ?? 0;
}
