// Hidden-layer activations of inversa MLPs: value and derivative, in Float64, over whole arrays.
// Definitions follow PyTorch's defaults (GELU in its exact erf form, LeakyReLU slope 0.01, ELU
// alpha 1) so a model trained there evaluates to the same numbers here. Softplus is the exact
// log(1 + e^x) (as ONNX defines it), without PyTorch's linear cut-over above x = 20.
import type { Activation } from './mlp-spec.ts';
import { InvalidArgumentError } from '../linalg/errors.ts';

/** PyTorch's default negative slope of LeakyReLU. */
export const DEFAULT_LEAKY_RELU_SLOPE = 0.01;
/** PyTorch's default alpha of ELU. */
export const DEFAULT_ELU_ALPHA = 1;

const TWO_OVER_SQRT_PI = 1.1283791670955126; // 2/√π
const ONE_OVER_SQRT_PI = 0.5641895835477563; // 1/√π
const ONE_OVER_SQRT_TWO = 0.7071067811865476; // 1/√2
const ONE_OVER_SQRT_TWO_PI = 0.3989422804014327; // 1/√(2π)
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

/** Logistic sigmoid without overflow for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + e^x) without overflow or loss of the small tail. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** The parameter an activation uses (LeakyReLU slope or ELU alpha), with PyTorch's defaults. */
export function activationParameterOrDefault(activation: Activation, parameter?: number): number {
  if (parameter !== undefined) {
    if (!Number.isFinite(parameter)) throw new InvalidArgumentError(`activationParameter must be finite, got ${parameter}`);
    return parameter;
  }
  return activation === 'leaky-relu' ? DEFAULT_LEAKY_RELU_SLOPE : activation === 'elu' ? DEFAULT_ELU_ALPHA : 0;
}

/**
 * Apply an activation to `pre[0..length)`, writing values into `value` and, when given, the
 * derivative d act/d pre into `derivative`. `value` may be the same array as `pre`
 * (in place) as long as the derivative is computed from the saved input first, which every
 * branch here does. The switch sits outside the loops so each loop is monomorphic.
 */
export function applyActivation(
  activation: Activation,
  pre: Float64Array,
  value: Float64Array,
  derivative: Float64Array | null = null,
  parameter = activationParameterOrDefault(activation),
  length = pre.length,
): void {
  switch (activation) {
    case 'identity':
      for (let k = 0; k < length; k++) value[k] = pre[k];
      if (derivative) derivative.fill(1, 0, length);
      return;
    case 'relu':
      if (derivative) for (let k = 0; k < length; k++) { const x = pre[k]; derivative[k] = x > 0 ? 1 : 0; value[k] = x > 0 ? x : 0; }
      else for (let k = 0; k < length; k++) { const x = pre[k]; value[k] = x > 0 ? x : 0; }
      return;
    case 'leaky-relu':
      if (derivative) for (let k = 0; k < length; k++) { const x = pre[k]; derivative[k] = x > 0 ? 1 : parameter; value[k] = x > 0 ? x : parameter * x; }
      else for (let k = 0; k < length; k++) { const x = pre[k]; value[k] = x > 0 ? x : parameter * x; }
      return;
    case 'tanh':
      if (derivative) for (let k = 0; k < length; k++) { const t = Math.tanh(pre[k]); value[k] = t; derivative[k] = 1 - t * t; }
      else for (let k = 0; k < length; k++) value[k] = Math.tanh(pre[k]);
      return;
    case 'sigmoid':
      if (derivative) for (let k = 0; k < length; k++) { const s = sigmoid(pre[k]); value[k] = s; derivative[k] = s * (1 - s); }
      else for (let k = 0; k < length; k++) value[k] = sigmoid(pre[k]);
      return;
    case 'elu':
      // x > 0: x; else α(e^x − 1), derivative α e^x (PyTorch's convention at 0: the left branch).
      if (derivative) for (let k = 0; k < length; k++) { const x = pre[k]; if (x > 0) { value[k] = x; derivative[k] = 1; } else { value[k] = parameter * Math.expm1(x); derivative[k] = parameter * Math.exp(x); } }
      else for (let k = 0; k < length; k++) { const x = pre[k]; value[k] = x > 0 ? x : parameter * Math.expm1(x); }
      return;
    case 'softplus':
      if (derivative) for (let k = 0; k < length; k++) { const x = pre[k]; value[k] = softplus(x); derivative[k] = sigmoid(x); }
      else for (let k = 0; k < length; k++) value[k] = softplus(pre[k]);
      return;
    case 'gelu':
      // x·Φ(x), derivative Φ(x) + x·φ(x).
      if (derivative) {
        for (let k = 0; k < length; k++) {
          const x = pre[k];
          const cdf = normalCdf(x);
          value[k] = x * cdf;
          derivative[k] = cdf + x * ONE_OVER_SQRT_TWO_PI * Math.exp(-0.5 * x * x);
        }
      } else for (let k = 0; k < length; k++) { const x = pre[k]; value[k] = x * normalCdf(x); }
      return;
    default:
      throw new InvalidArgumentError(`unknown activation '${activation as string}'`);
  }
}

/** Value of an activation at one point (convenience for tests and small code paths). */
export function activationValue(activation: Activation, x: number, parameter?: number): number {
  const out = new Float64Array(1);
  applyActivation(activation, Float64Array.of(x), out, null, activationParameterOrDefault(activation, parameter), 1);
  return out[0];
}

/** Derivative of an activation at one point. */
export function activationDerivative(activation: Activation, x: number, parameter?: number): number {
  const value = new Float64Array(1), derivative = new Float64Array(1);
  applyActivation(activation, Float64Array.of(x), value, derivative, activationParameterOrDefault(activation, parameter), 1);
  return derivative[0];
}
