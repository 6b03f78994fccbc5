// Sound bounds on every neuron's pre-activation over the input box, tightened in layers:
//   1. interval arithmetic (each variable in its own interval);
//   2. linear relaxation with back-substitution (DeepPoly / CROWN): an expression is rewritten,
//      from the latest neuron back to the inputs, through linear lower/upper relaxations of each
//      ReLU — exact for stable neurons, the triangle's upper chord and an adaptive lower line
//      (slope 0 or 1) for unstable ones — and then concretized over the box.
// The tighter of the two is kept per neuron, in creation order, so each neuron's relaxation uses
// the tightened bounds of all neurons before it. A neuron with lower ≥ 0 is stably active, with
// upper ≤ 0 stably inactive; only the rest need a binary in the MILP. The optional third layer
// (one LP per unstable neuron) lives in tighten-lp.ts. Pure and browser-safe.
import type { Bounds } from '../model/index.ts';
import type { Affine, PwlNetwork } from './network.ts';

export interface NeuronBounds {
  /** Pre-activation lower/upper bound per neuron. */
  lower: Float64Array;
  upper: Float64Array;
}

/** Numbers of neurons by stability under the given bounds. */
export function stabilityCounts(bounds: NeuronBounds): { active: number; inactive: number; unstable: number } {
  let active = 0, inactive = 0, unstable = 0;
  for (let k = 0; k < bounds.lower.length; k++) {
    if (bounds.lower[k] >= 0) active++;
    else if (bounds.upper[k] <= 0) inactive++;
    else unstable++;
  }
  return { active, inactive, unstable };
}

/** Interval of a ReLU output variable v ≥ n (or of an input) under the bounds. */
function variableInterval(v: number, n: number, box: Bounds, bounds: NeuronBounds): [number, number] {
  if (v < n) return [box.lower[v], box.upper[v]];
  return [Math.max(0, bounds.lower[v - n]), Math.max(0, bounds.upper[v - n])];
}

/** Interval arithmetic bound of an affine expression. */
export function intervalBound(expression: Affine, n: number, box: Bounds, bounds: NeuronBounds): [number, number] {
  let lo = expression.constant, hi = expression.constant;
  for (let t = 0; t < expression.index.length; t++) {
    const [a, b] = variableInterval(expression.index[t], n, box, bounds);
    const c = expression.coef[t];
    if (c > 0) { lo += c * a; hi += c * b; } else { lo += c * b; hi += c * a; }
  }
  return [lo, hi];
}

/** Back-substitution workspace: one dense coefficient vector over all variables. */
export class BackSubstitution {
  private readonly coef: Float64Array;
  private readonly network: PwlNetwork;

  constructor(network: PwlNetwork) {
    this.network = network;
    this.coef = new Float64Array(network.inputCount + network.pre.length);
  }

  /**
   * A sound lower bound of sign·expression over the box (sign = +1: lower bound, −1: minus the upper
   * bound), using the relaxations of neurons below `limit` (all later neurons must not occur).
   */
  lowerBound(expression: Affine, sign: 1 | -1, box: Bounds, bounds: NeuronBounds): number {
    const { coef, network } = this;
    const n = network.inputCount;
    let constant = sign * expression.constant;
    let top = -1;
    for (let t = 0; t < expression.index.length; t++) {
      const v = expression.index[t];
      coef[v] += sign * expression.coef[t];
      if (v > top) top = v;
    }
    for (let v = top; v >= n; v--) {
      const a = coef[v];
      if (a === 0) continue;
      coef[v] = 0;
      const k = v - n, l = bounds.lower[k], u = bounds.upper[k];
      if (u <= 0) continue; // y = 0
      const pre = network.pre[k];
      let slope: number, shift = 0;
      if (l >= 0) slope = 1; // y = z
      else if (a > 0) slope = u > -l ? 1 : 0; // y ≥ slope·z
      else { slope = u / (u - l); shift = -slope * l; } // y ≤ s·(z − l)
      if (slope === 0) { constant += a * shift; continue; }
      const w = a * slope;
      constant += a * shift + w * pre.constant;
      for (let t = 0; t < pre.index.length; t++) coef[pre.index[t]] += w * pre.coef[t];
    }
    for (let j = 0; j < n; j++) {
      const a = coef[j];
      if (a === 0) continue;
      coef[j] = 0;
      constant += a > 0 ? a * box.lower[j] : a * box.upper[j];
    }
    return constant;
  }

  /** [lower, upper] of an expression by back-substitution. */
  bound(expression: Affine, box: Bounds, bounds: NeuronBounds): [number, number] {
    return [this.lowerBound(expression, 1, box, bounds), -this.lowerBound(expression, -1, box, bounds)];
  }
}

/** Relative widening of every computed bound (rounding safety). */
const BOUND_PAD = 1e-12;

export type TighteningLevel = 'interval' | 'symbolic';

/** Pre-activation bounds of every neuron over the box (interval, then back-substitution unless 'interval'). */
export function neuronBounds(network: PwlNetwork, box: Bounds, level: TighteningLevel = 'symbolic'): NeuronBounds {
  const count = network.pre.length, n = network.inputCount;
  const bounds: NeuronBounds = { lower: new Float64Array(count), upper: new Float64Array(count) };
  const back = level === 'symbolic' ? new BackSubstitution(network) : null;
  for (let k = 0; k < count; k++) {
    let [lo, hi] = intervalBound(network.pre[k], n, box, bounds);
    if (back && lo < 0 && hi > 0) {
      const [symLo, symHi] = back.bound(network.pre[k], box, bounds);
      lo = Math.max(lo, symLo);
      hi = Math.min(hi, symHi);
    }
    // Widen by a few ulps of the magnitudes involved so rounding never makes a bound unsound.
    const pad = BOUND_PAD * (1 + Math.max(Math.abs(lo), Math.abs(hi)));
    bounds.lower[k] = lo - pad;
    bounds.upper[k] = hi + pad;
  }
  return bounds;
}

/** Sound bounds of every output over the box (the tighter of interval and back-substitution). */
export function outputBounds(network: PwlNetwork, box: Bounds, bounds: NeuronBounds): { lower: Float64Array; upper: Float64Array } {
  const back = new BackSubstitution(network);
  const m = network.outputs.length;
  const lower = new Float64Array(m), upper = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const [a, b] = intervalBound(network.outputs[i], network.inputCount, box, bounds);
    const [c, d] = back.bound(network.outputs[i], box, bounds);
    lower[i] = Math.max(a, c);
    upper[i] = Math.min(b, d);
  }
  return { lower, upper };
}
