// The exact piecewise-linear form of a network that certification works on: a list of ReLU neurons
// y_k = max(0, z_k), each pre-activation z_k an affine expression over the inputs and earlier
// neurons, and outputs that are affine expressions over the same variables. Every other PWL
// nonlinearity is a sum of ReLUs (LeakyRelu z = αz + (1 − α)·relu(z), Clip, Abs, Max/Min,
// HardSigmoid), so one neuron kind gives one MILP encoding and one relaxation for bound tightening.
// Variables are numbered inputs first (0..n−1), then neurons in creation order (a topological order).
// Pure and browser-safe.

/** Σ coef[t]·v[index[t]] + constant, with strictly increasing indices. */
export interface Affine {
  readonly index: Int32Array;
  readonly coef: Float64Array;
  readonly constant: number;
}

export interface PwlNetwork {
  readonly inputCount: number;
  /** Pre-activation of every ReLU neuron; neuron k is variable inputCount + k. */
  readonly pre: readonly Affine[];
  readonly outputs: readonly Affine[];
}

/** Not a piecewise-linear graph (or not one we can encode): why, naming the operators. */
export class NotPiecewiseLinearError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotPiecewiseLinearError';
  }
}

/** Networks larger than this are refused (a MILP of this many binaries is out of reach anyway). */
export const MAX_NEURONS = 50_000;

const EMPTY_INDEX = new Int32Array(0);
const EMPTY_COEF = new Float64Array(0);

export function constantAffine(value: number): Affine {
  return { index: EMPTY_INDEX, coef: EMPTY_COEF, constant: value };
}

export function isConstant(expression: Affine): boolean {
  return expression.index.length === 0;
}

/** Builds a PwlNetwork: affine combinations and ReLUs (and the PWL functions made of ReLUs). */
export class PwlBuilder {
  readonly inputCount: number;
  private readonly pre: Affine[] = [];
  private dense = new Float64Array(64);
  private touched = new Uint8Array(64);
  private list: number[] = [];

  constructor(inputCount: number) {
    this.inputCount = inputCount;
  }

  get variableCount(): number {
    return this.inputCount + this.pre.length;
  }

  input(j: number): Affine {
    return { index: Int32Array.of(j), coef: Float64Array.of(1), constant: 0 };
  }

  /** Σ weights[t]·terms[t] + constant. */
  combine(terms: readonly Affine[], weights: ArrayLike<number>, constant = 0): Affine {
    this.reserve();
    const { dense, touched, list } = this;
    let offset = constant;
    for (let t = 0; t < terms.length; t++) {
      const w = weights[t];
      if (w === 0) continue;
      const term = terms[t];
      offset += w * term.constant;
      for (let s = 0; s < term.index.length; s++) {
        const v = term.index[s];
        if (!touched[v]) { touched[v] = 1; list.push(v); }
        dense[v] += w * term.coef[s];
      }
    }
    return this.collect(offset);
  }

  /** a + b·scale (the common two-term case). */
  add(a: Affine, b: Affine, scale = 1): Affine {
    return this.combine([a, b], [1, scale]);
  }

  scale(a: Affine, factor: number, shift = 0): Affine {
    if (factor === 0) return constantAffine(shift);
    return { index: a.index, coef: a.coef.map((c) => c * factor), constant: a.constant * factor + shift };
  }

  relu(z: Affine): Affine {
    if (isConstant(z)) return constantAffine(Math.max(0, z.constant));
    if (this.pre.length >= MAX_NEURONS) throw new NotPiecewiseLinearError(`the network has more than ${MAX_NEURONS} piecewise-linear units; too large to certify`);
    this.pre.push(z);
    return this.input(this.variableCount - 1);
  }

  /** αz + (1 − α)·relu(z): LeakyRelu (and PRelu per element). */
  leakyRelu(z: Affine, slope: number): Affine {
    if (slope === 1) return z;
    return this.combine([z, this.relu(z)], [slope, 1 - slope]);
  }

  /** lo + relu(z − lo) − relu(z − hi); one-sided when a bound is infinite. */
  clip(z: Affine, lo: number, hi: number): Affine {
    if (lo > hi) throw new NotPiecewiseLinearError(`Clip with min ${lo} > max ${hi}`);
    if (lo === -Infinity && hi === Infinity) return z;
    if (lo === -Infinity) return this.combine([z, this.relu(this.scale(z, 1, -hi))], [1, -1]);
    if (hi === Infinity) return this.combine([this.relu(this.scale(z, 1, -lo))], [1], lo);
    return this.combine([this.relu(this.scale(z, 1, -lo)), this.relu(this.scale(z, 1, -hi))], [1, -1], lo);
  }

  /** relu(z) + relu(−z). */
  abs(z: Affine): Affine {
    return this.combine([this.relu(z), this.relu(this.scale(z, -1))], [1, 1]);
  }

  /** a + relu(b − a). */
  max(a: Affine, b: Affine): Affine {
    return this.add(a, this.relu(this.add(b, a, -1)));
  }

  /** a − relu(a − b). */
  min(a: Affine, b: Affine): Affine {
    return this.add(a, this.relu(this.add(a, b, -1)), -1);
  }

  /** clip(αz + β, 0, 1). */
  hardSigmoid(z: Affine, alpha: number, beta: number): Affine {
    return this.clip(this.scale(z, alpha, beta), 0, 1);
  }

  finish(outputs: readonly Affine[]): PwlNetwork {
    return { inputCount: this.inputCount, pre: this.pre.slice(), outputs: outputs.slice() };
  }

  private reserve(): void {
    const size = this.variableCount;
    if (this.dense.length >= size) return;
    let capacity = this.dense.length;
    while (capacity < size) capacity *= 2;
    this.dense = new Float64Array(capacity);
    this.touched = new Uint8Array(capacity);
  }

  private collect(constant: number): Affine {
    const { dense, touched, list } = this;
    list.sort((p, q) => p - q);
    let count = 0;
    for (const v of list) if (dense[v] !== 0) count++;
    const index = new Int32Array(count), coef = new Float64Array(count);
    let t = 0;
    for (const v of list) {
      if (dense[v] !== 0) { index[t] = v; coef[t] = dense[v]; t++; }
      dense[v] = 0;
      touched[v] = 0;
    }
    list.length = 0;
    return { index, coef, constant };
  }
}

export function evaluateAffine(expression: Affine, values: Float64Array): number {
  let sum = expression.constant;
  for (let t = 0; t < expression.index.length; t++) sum += expression.coef[t] * values[expression.index[t]];
  return sum;
}

/** Every variable's value at input x (inputs, then neurons), into `values` (length n + neurons). */
export function evaluateVariables(network: PwlNetwork, x: ArrayLike<number>, values = new Float64Array(network.inputCount + network.pre.length)): Float64Array {
  const n = network.inputCount;
  for (let j = 0; j < n; j++) values[j] = x[j];
  for (let k = 0; k < network.pre.length; k++) values[n + k] = Math.max(0, evaluateAffine(network.pre[k], values));
  return values;
}

/** The network's outputs at x, in Float64. */
export function evaluateNetwork(network: PwlNetwork, x: ArrayLike<number>): Float64Array {
  const values = evaluateVariables(network, x);
  return Float64Array.from(network.outputs, (output) => evaluateAffine(output, values));
}
