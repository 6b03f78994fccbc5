// Sound interval bounds of a model over a box: for every x with lower ≤ x ≤ upper, each output
// f_i(x) lies in [outLower_i, outUpper_i]. "Sound" means outward-enclosing: affine layers use the
// centre–radius form c ± |W|·r plus a bound on the float64 rounding of the sums, monotone
// activations take their endpoint values, and every result is widened by a few ulps. The bound is
// loose (it ignores correlations) but always valid, so a target outside it is PROVEN unreachable in
// the box; a target inside it proves nothing. Used by the solver to tell "unreachable" from "not
// found", and reusable by certification as the starting bound of any graph.
import type { Activation } from './mlp-spec.ts';
import { activationValue } from './activations.ts';
import type { Bounds, Model } from './model.ts';

const EPSILON = Number.EPSILON;
/** Relative widening of every computed endpoint (library tanh/exp/erf are within a few ulps). */
export const ENDPOINT_WIDENING = 16 * EPSILON;
/** A value below every GELU value (its minimum is ≈ −0.16997 at x ≈ −0.7518, erf and tanh forms alike). */
const GELU_FLOOR = -0.1701;
/** Where GELU has its minimum, with margin: the interval touches it when it straddles this range. */
const GELU_MIN_LOW = -0.76, GELU_MIN_HIGH = -0.74;

/** Output bounds of a model over a box, or null when the model cannot bound itself (e.g. finite-difference ONNX). */
export function outputBounds(model: Model, box: Bounds): Bounds | null {
  return model.outputBounds ? model.outputBounds(box.lower, box.upper) : null;
}

/** Push lo down and hi up by their rounding error, and turn NaN (e.g. ∞ − ∞) into ∓∞. In place. */
export function widenOutward(lo: Float64Array, hi: Float64Array, relative = ENDPOINT_WIDENING): void {
  for (let e = 0; e < lo.length; e++) {
    const a = lo[e], b = hi[e];
    lo[e] = Number.isNaN(a) ? -Infinity : a - (Math.abs(a) * relative + Number.MIN_VALUE);
    hi[e] = Number.isNaN(b) ? Infinity : b + (Math.abs(b) * relative + Number.MIN_VALUE);
  }
}

/**
 * y = W·x + b for x in [lo, hi], W outputs×inputs row-major: c ± |W|·r, widened by (inputs + 2)·ε·(|W|·|x|max + |b|)
 * (a bound of the rounding of the float64 dot products). Writes outLo/outHi (length outputs).
 */
export function affineInterval(
  weight: Float64Array, bias: Float64Array | null, outputs: number, inputs: number,
  lo: Float64Array, hi: Float64Array, outLo: Float64Array, outHi: Float64Array,
): void {
  const rounding = (inputs + 2) * EPSILON;
  for (let i = 0; i < outputs; i++) {
    let centre = bias ? bias[i] : 0, radius = 0, magnitude = bias ? Math.abs(bias[i]) : 0;
    const row = i * inputs;
    for (let j = 0; j < inputs; j++) {
      const w = weight[row + j];
      if (w === 0) continue;
      const a = lo[j], b = hi[j];
      const aw = Math.abs(w);
      if (Number.isFinite(a) && Number.isFinite(b)) {
        centre += w * (0.5 * a + 0.5 * b);
        radius += aw * (0.5 * b - 0.5 * a);
        magnitude += aw * Math.max(Math.abs(a), Math.abs(b));
      } else radius = Infinity;
    }
    const margin = rounding * magnitude + Number.MIN_VALUE;
    outLo[i] = radius === Infinity ? -Infinity : centre - radius - margin;
    outHi[i] = radius === Infinity ? Infinity : centre + radius + margin;
  }
  widenOutward(outLo, outHi, 4 * EPSILON);
}

/** Apply an activation to an interval, in place, outward-rounded. */
export function activationInterval(activation: Activation, parameter: number | undefined, lo: Float64Array, hi: Float64Array): void {
  for (let e = 0; e < lo.length; e++) {
    const a = lo[e], b = hi[e];
    const fa = endpointValue(activation, a, parameter), fb = endpointValue(activation, b, parameter);
    let low = Math.min(fa, fb), high = Math.max(fa, fb);
    if (activation === 'gelu' && a <= GELU_MIN_HIGH && b >= GELU_MIN_LOW) low = Math.min(low, GELU_FLOOR);
    if (activation === 'leaky-relu' && (parameter ?? 0.01) < 0 && a < 0 && b > 0) low = Math.min(low, 0);
    if (activation === 'elu' && (parameter ?? 1) < 0) { low = -Infinity; high = Infinity; }
    lo[e] = low;
    hi[e] = high;
  }
  widenOutward(lo, hi);
}

function endpointValue(activation: Activation, x: number, parameter: number | undefined): number {
  if (x === Infinity || x === -Infinity) {
    // Limits, computed at a large finite argument (the activation library expects finite input).
    const big = x > 0 ? 1e300 : -1e300;
    const value = activationValue(activation, big, parameter);
    return Math.abs(value) > 1e290 ? x : value;
  }
  return activationValue(activation, x, parameter);
}
