// Which points lie outside the region the model was trained on, counted over a stream of points:
// the training range is the one of model/domain.ts (the operating box when stored, else the
// training mean ± 3 std). A surrogate model extrapolates there, and its Jacobian (so every verdict) is
// then a guess; the reference project's web page defaulted to such points without a warning.
import { ShapeError } from '../core/index.ts';
import { Matrix } from '../linalg/index.ts';
import { modelDomain, TRAINING_RANGE_STDS, trainingRange, type Model } from '../model/index.ts';

/** Points beyond mean ± this many training std count as outside the training range (the rule of model/domain.ts). */
export const DEFAULT_DOMAIN_SIGMAS = TRAINING_RANGE_STDS;
/** Row numbers of the first outside points kept for the message. */
const EXAMPLE_ROWS = 5;

export type DomainBasis = 'bounds' | 'mean-std' | 'none';

export interface DomainReport {
  /** What "training range" means here ('none': the model carries neither bounds nor training statistics). */
  basis: DomainBasis;
  total: number;
  /** Points with at least one input outside. */
  outside: number;
  share: number;
  /** Per input: points below the low end and above the high end. */
  perInput: { name: string; low: number; high: number; below: number; above: number }[];
  /** 0-based indices of the first few outside points. */
  exampleRows: number[];
  /** A warning for the user when any point is outside; null otherwise. */
  warning: string | null;
  message: string;
}

/** DomainAccumulator's counts as plain data. */
export interface DomainState {
  total: number;
  outside: number;
  below: number[];
  above: number[];
  examples: number[];
}

/** Streaming form: add chunks of points, then report(). */
export class DomainAccumulator {
  readonly basis: DomainBasis;
  private readonly names: readonly string[];
  private readonly low: Float64Array;
  private readonly high: Float64Array;
  private readonly below: Float64Array;
  private readonly above: Float64Array;
  private readonly sigmas: number;
  private total = 0;
  private outside = 0;
  private readonly examples: number[] = [];

  constructor(model: Model, options: { sigmas?: number } = {}) {
    const n = model.inputNames.length;
    this.names = model.inputNames;
    this.sigmas = options.sigmas ?? DEFAULT_DOMAIN_SIGMAS;
    if (!(this.sigmas > 0) || !Number.isFinite(this.sigmas)) throw new ShapeError(`domain sigmas must be a positive number, got ${this.sigmas}`);
    this.low = new Float64Array(n).fill(-Infinity);
    this.high = new Float64Array(n).fill(Infinity);
    this.below = new Float64Array(n);
    this.above = new Float64Array(n);
    const range = trainingRange(modelDomain(model), this.sigmas);
    if (range) {
      this.basis = range.basis === 'operating-box' ? 'bounds' : 'mean-std';
      this.low.set(range.low);
      this.high.set(range.high);
    } else {
      this.basis = 'none';
    }
  }

  /** Add points; `firstRow` is the 0-based row of points' first row in the whole input (default: rows added so far). */
  add(points: Matrix, firstRow = this.total): void {
    const n = this.names.length;
    if (points.cols !== n) throw new ShapeError(`points have ${points.cols} columns but the model has ${n} inputs`);
    const { low, high, below, above } = this;
    for (let p = 0; p < points.rows; p++) {
      let out = false;
      for (let j = 0; j < n; j++) {
        const value = points.data[p * n + j];
        if (value < low[j]) { below[j]++; out = true; }
        else if (value > high[j]) { above[j]++; out = true; }
      }
      if (out) {
        this.outside++;
        if (this.examples.length < EXAMPLE_ROWS) this.examples.push(firstRow + p);
      }
    }
    this.total += points.rows;
  }

  /** The counts so far, as plain data (sharded runs write it; `absorb` adds it back exactly). */
  state(): DomainState {
    return { total: this.total, outside: this.outside, below: Array.from(this.below), above: Array.from(this.above), examples: [...this.examples] };
  }

  /** Add another accumulator's state (same model): counts add, the earliest example rows are kept. */
  absorb(state: DomainState): void {
    this.total += state.total;
    this.outside += state.outside;
    state.below.forEach((count, j) => { this.below[j] += count; });
    state.above.forEach((count, j) => { this.above[j] += count; });
    const examples = [...this.examples, ...state.examples].sort((a, b) => a - b).slice(0, EXAMPLE_ROWS);
    this.examples.length = 0;
    this.examples.push(...examples);
  }

  report(): DomainReport {
    const { total, outside, basis } = this;
    const share = total > 0 ? outside / total : 0;
    const perInput = this.names.map((name, j) => ({ name, low: this.low[j], high: this.high[j], below: this.below[j], above: this.above[j] }));
    const range = basis === 'bounds' ? 'the model\'s operating bounds' : `the training mean ± ${this.sigmas} std`;
    let warning: string | null = null, message: string;
    if (basis === 'none') {
      message = 'Training range unknown (the model has no bounds or training mean/std in its metadata); points were not checked.';
    } else if (outside === 0) {
      message = `All ${total.toLocaleString('en-US')} points lie within ${range}.`;
    } else {
      const worst = perInput.filter((entry) => entry.below + entry.above > 0).map((entry) => `${entry.name} ${entry.below + entry.above}`).join(', ');
      warning = `${outside.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} points (${(100 * share).toPrecision(3)}%) lie outside ${range} ` +
        `(per input: ${worst}; first data rows (1-based) ${this.examples.map((row) => row + 1).join(', ')}); the model extrapolates there, so their verdicts are unreliable.`;
      message = warning;
    }
    return { basis, total, outside, share, perInput, exampleRows: [...this.examples], warning, message };
  }
}

/** Count the points (rows of N×n) outside the model's training range. */
export function domainCheck(model: Model, points: Matrix, options: { sigmas?: number } = {}): DomainReport {
  const accumulator = new DomainAccumulator(model, options);
  accumulator.add(points);
  return accumulator.report();
}
