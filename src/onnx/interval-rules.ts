// Interval rules for the ONNX operators whose output element depends on a whole group of input
// elements (Softmax, LogSoftmax, Layer/Instance/GroupNormalization) or that are not monotone (Sin, Cos): given
// outward intervals of the inputs, outward intervals of the output that hold for the values the
// interpreter COMPUTES (float64 rounding included), not only for the exact function. Used by
// onnx/intervals.ts. Why each is sound:
//   - softmax_i = 1/(1 + Σ_{j≠i} exp(x_j − x_i)) rises with x_i and falls with every other x_j, so its
//     range over a box is reached at two corners (x_i low, others high; x_i high, others low); the
//     same holds for log-softmax. Computed values lie in [0, 1] (log-softmax: ≤ 0) by construction.
//   - LayerNormalization (and Instance/GroupNormalization: the same over other groups)
//     z_k = c_k/√(var + ε), c = x − mean, var = (c_k² + R_k)/n, R_k = Σ_{j≠k} c_j²:
//     |z_k| = g(|c_k|, R_k) with g(t, R) = t/√((t² + R)/n + ε), rising in t and falling in R. Each c_k
//     has the exact range [(n−1)lo_k − Σ_{j≠k} hi_j, (n−1)hi_k − Σ_{j≠k} lo_j]/n, R_k is bounded by
//     the squares of those ranges, and Σ c = 0 gives R_k ≥ c_k²/(n−1), hence |z_k| ≤ √(n−1).
//     The interpreter's rounding moves z by at most (1 + √n)·e/σ_min (e bounds the error of each
//     computed c_k, σ_min the smallest standard deviation in the box) and never past √n.
//   - sin/cos are monotone between their extrema; an interval holding an extremum gets ±1.
import { widenOutward } from '../model/index.ts';
import type { IntervalTensor } from './intervals.ts';
import type { NormalizationLayout } from './ops/normalization.ts';
import type { Groups } from './ops/softmax.ts';

const EPSILON = Number.EPSILON;

/** log(1 + Σ_j exp(others_j − xi)) over the group members j ≠ skip, without overflow (NaN for ∞ − ∞). */
function logOnePlusSum(xi: number, others: Float64Array, base: number, length: number, inner: number, skip: number): number {
  let largest = 0;
  for (let j = 0; j < length; j++) {
    if (j === skip) continue;
    const d = others[base + j * inner] - xi;
    if (Number.isNaN(d)) return NaN;
    if (d > largest) largest = d;
  }
  if (largest === Infinity) return Infinity;
  let sum = Math.exp(-largest);
  for (let j = 0; j < length; j++) if (j !== skip) sum += Math.exp(others[base + j * inner] - xi - largest);
  return largest + Math.log(sum);
}

/** Softmax or LogSoftmax over the groups of a node, from the two corners of each output's range. */
export function softmaxInterval(x: IntervalTensor, groups: Groups, log: boolean): IntervalTensor {
  const { outer, length, inner } = groups;
  const size = x.lo.length, lo = new Float64Array(size), hi = new Float64Array(size);
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < inner; r++) {
      const base = o * length * inner + r;
      // Spread of the group: bounds the arguments of exp here and in the interpreter's forward pass.
      let smallest = Infinity, largest = -Infinity;
      for (let k = 0; k < length; k++) { smallest = Math.min(smallest, x.lo[base + k * inner]); largest = Math.max(largest, x.hi[base + k * inner]); }
      const spread = largest - smallest;
      for (let i = 0; i < length; i++) {
        const e = base + i * inner;
        // L = −log softmax_i: largest with x_i low and the others high, smallest the other way round.
        const most = logOnePlusSum(x.lo[e], x.hi, base, length, inner, i);
        const least = logOnePlusSum(x.hi[e], x.lo, base, length, inner, i);
        // Absolute error of L here plus that of the interpreter's log-sum-exp (both ≤ (length + 4)ε(1 + spread + L)).
        const error = 2 * (length + 8) * EPSILON * (1 + spread + Math.abs(most));
        const errorLeast = 2 * (length + 8) * EPSILON * (1 + spread + Math.abs(least));
        const upperL = Number.isNaN(most) || Number.isNaN(spread) ? Infinity : most + error;
        const lowerCandidate = least - errorLeast;
        const lowerL = Number.isNaN(lowerCandidate) || Number.isNaN(spread) ? 0 : Math.max(0, lowerCandidate);
        lo[e] = log ? -upperL : Math.exp(-upperL);
        hi[e] = log ? -lowerL : Math.exp(-lowerL);
      }
    }
  }
  widenOutward(lo, hi);
  // The interpreter's values stay in [0, 1] (log: ≤ 0): exp(x − max) ≤ 1 ≤ the sum that contains it.
  for (let e = 0; e < size; e++) {
    if (log) hi[e] = Math.min(hi[e], 0);
    else { lo[e] = Math.max(lo[e], 0); hi[e] = Math.min(hi[e], 1); }
  }
  return { dims: x.dims, lo, hi };
}

/** g(t, R) = t/√((t² + R)/n + ε): |z_k| when |c_k| = t and the other squares sum to R. */
function normalizedMagnitude(t: number, others: number, n: number, epsilon: number): number {
  if (t === 0) return 0;
  return t / Math.sqrt((t * t + others) / n + epsilon);
}

/** The largest |z_k| for |c_k| ≤ t, others' squares ≥ rest: g(t, max(rest, t²/(n − 1))) (≤ √(n − 1)). */
function largestMagnitude(t: number, rest: number, n: number, epsilon: number): number {
  const cap = Math.sqrt(n - 1);
  if (!Number.isFinite(t) || !Number.isFinite(rest)) return cap;
  const value = Math.min(normalizedMagnitude(t, rest, n, epsilon), t / Math.sqrt((t * t) / (n - 1) + epsilon), cap);
  return Number.isNaN(value) ? cap : value;
}

/**
 * Layer/Instance/GroupNormalization (output 0) over the groups of its layout: the bound of the normalized value z described at
 * the top of this file, then y = z·scale + bias with the rounding of that product and sum.
 */
export function layerNormalizationInterval(x: IntervalTensor, layout: NormalizationLayout): IntervalTensor {
  const { groups, length: n, period, scale, bias, epsilon } = layout;
  const size = x.lo.length, lo = new Float64Array(size), hi = new Float64Array(size);
  const centredLo = new Float64Array(n), centredHi = new Float64Array(n), squareLo = new Float64Array(n), squareHi = new Float64Array(n);
  // Whatever the rounding, the interpreter's |z| ≤ √n: |c̃_k| ≤ ‖c̃‖ and 1/√(‖c̃‖²/n + ε) ≤ √n/‖c̃‖.
  const computedCap = Math.sqrt(n) * (1 + (n + 8) * EPSILON);
  for (let g = 0; g < groups; g++) {
    const base = g * n, parameters = (g % period) * n;
    let magnitude = 0, sumLo = 0, sumHi = 0;
    for (let k = 0; k < n; k++) {
      const a = x.lo[base + k], b = x.hi[base + k];
      magnitude = Math.max(magnitude, Math.abs(a), Math.abs(b));
      sumLo += a;
      sumHi += b;
    }
    // e bounds both the rounding of the centred ranges below and the error of each c̃_k the interpreter computes.
    const e = 4 * (n + 4) * EPSILON * magnitude;
    let sumSquareLo = 0, sumSquareHi = 0;
    for (let k = 0; k < n; k++) {
      const a = x.lo[base + k], b = x.hi[base + k];
      const cl = ((n - 1) * a - (sumHi - b)) / n - e, ch = ((n - 1) * b - (sumLo - a)) / n + e;
      centredLo[k] = cl;
      centredHi[k] = ch;
      squareLo[k] = cl > 0 ? cl * cl : ch < 0 ? ch * ch : 0;
      squareHi[k] = Math.max(cl * cl, ch * ch);
      sumSquareLo += squareLo[k];
      sumSquareHi += squareHi[k];
    }
    const slack = (n + 4) * EPSILON;
    const varianceLow = Math.max(0, (sumSquareLo / n) * (1 - slack));
    const deviationLow = Math.max(0, Math.sqrt(varianceLow) - e);
    const sigmaMin = Math.sqrt(deviationLow * deviationLow + epsilon);
    const perturbation = sigmaMin > 0 && Number.isFinite(e) ? ((1 + Math.sqrt(n)) * e) / sigmaMin : Infinity;
    for (let k = 0; k < n; k++) {
      let zl = 0, zh = 0;
      if (n > 1) {
        const cl = centredLo[k], ch = centredHi[k];
        const restLo = Math.max(0, sumSquareLo - squareLo[k] - slack * sumSquareLo);
        const restHi = sumSquareHi - squareHi[k] + slack * sumSquareHi;
        zl = cl > 0 ? normalizedMagnitude(cl, restHi, n, epsilon) : -largestMagnitude(-cl, restLo, n, epsilon);
        zh = ch < 0 ? -normalizedMagnitude(-ch, restHi, n, epsilon) : largestMagnitude(ch, restLo, n, epsilon);
        if (Number.isNaN(zl)) zl = -computedCap;
        if (Number.isNaN(zh)) zh = computedCap;
        const margin = perturbation + (n + 16) * EPSILON * Math.max(Math.abs(zl), Math.abs(zh));
        zl = Math.max(zl - margin, -computedCap);
        zh = Math.min(zh + margin, computedCap);
      }
      const s = scale[parameters + k], b = bias[parameters + k];
      const p = zl * s, q = zh * s;
      const rounding = 2 * EPSILON * (Math.max(Math.abs(p), Math.abs(q)) + Math.abs(b)) + Number.MIN_VALUE;
      lo[base + k] = Math.min(p, q) + b - rounding;
      hi[base + k] = Math.max(p, q) + b + rounding;
    }
  }
  widenOutward(lo, hi);
  return { dims: x.dims, lo, hi };
}

const TWO_PI = 2 * Math.PI;

/** Whether [lo, hi], widened by `slack`, holds a point c + 2πk. */
function holdsPeriodicPoint(lo: number, hi: number, c: number, slack: number): boolean {
  const k = Math.ceil((lo - slack - c) / TWO_PI);
  return c + k * TWO_PI <= hi + slack;
}

/** Sin or Cos of an interval, in place: endpoint values, ±1 where the interval holds an extremum. */
export function trigonometricInterval(lo: Float64Array, hi: Float64Array, cosine: boolean): void {
  const top = cosine ? 0 : Math.PI / 2, bottom = cosine ? Math.PI : -Math.PI / 2;
  for (let e = 0; e < lo.length; e++) {
    const a = lo[e], b = hi[e];
    const size = Math.max(Math.abs(a), Math.abs(b));
    // Far from 0 (or wide, or infinite) the reduction of k·2π is not trusted: [−1, 1].
    if (!(size <= 1e6) || !(b - a < TWO_PI)) { lo[e] = -1; hi[e] = 1; continue; }
    const fa = cosine ? Math.cos(a) : Math.sin(a), fb = cosine ? Math.cos(b) : Math.sin(b);
    const slack = 1e-9 * (1 + size);
    lo[e] = holdsPeriodicPoint(a, b, bottom, slack) ? -1 : Math.min(fa, fb);
    hi[e] = holdsPeriodicPoint(a, b, top, slack) ? 1 : Math.max(fa, fb);
  }
  widenOutward(lo, hi);
  for (let e = 0; e < lo.length; e++) { lo[e] = Math.max(lo[e], -1); hi[e] = Math.min(hi[e], 1); }
}
