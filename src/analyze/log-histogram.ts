// A fixed-memory histogram of non-negative values on a log10 scale, for summarising millions of
// condition numbers or errors without keeping them: counts per bin of 1/binsPerDecade decades,
// plus separate counts for exact zeros, values below / above the covered range and +Infinity.
// Quantiles are estimated from the bins (geometric interpolation inside a bin), so the estimate
// is within one bin width in log10, i.e. a relative error below 10^(1/binsPerDecade) − 1; the exact
// minimum and maximum are tracked as well.
import { InvalidArgumentError, checkInteger } from '../core/index.ts';

export interface LogHistogramOptions {
  /** log10 of the lower end of the covered range. */
  minLog10: number;
  /** log10 of the upper end of the covered range. */
  maxLog10: number;
  /** Bins per decade (resolution of the quantile estimates). */
  binsPerDecade: number;
}

/** Coarse histogram for display: bin edges in log10 units plus the counts outside them. */
export interface LogHistogramBins {
  /** Bin edges in log10 units, increasing (length counts + 1). */
  log10Edges: number[];
  counts: number[];
  /** Exact zeros (no logarithm). */
  zeros: number;
  /** +Infinity (e.g. the condition number of a singular matrix). */
  infinite: number;
}

export class LogHistogram {
  readonly minLog10: number;
  readonly maxLog10: number;
  readonly binsPerDecade: number;
  readonly counts: Float64Array;
  zeros = 0;
  /** Finite positive values below 10^minLog10. */
  below = 0;
  /** Finite values at or above 10^maxLog10. */
  above = 0;
  infinite = 0;
  /** All values added, zeros and infinities included. */
  total = 0;
  /** Exact extremes over the finite values (NaN while there are none). */
  minimum = NaN;
  maximum = NaN;
  /** Smallest positive finite value (NaN while there is none): stands for the below-range values. */
  minimumPositive = NaN;

  constructor(options: LogHistogramOptions) {
    const { minLog10, maxLog10, binsPerDecade } = options;
    if (!Number.isFinite(minLog10) || !Number.isFinite(maxLog10) || !(maxLog10 > minLog10)) {
      throw new InvalidArgumentError(`LogHistogram: need finite minLog10 < maxLog10, got ${minLog10} and ${maxLog10}`);
    }
    checkInteger(binsPerDecade, 'LogHistogram: binsPerDecade', 1);
    const decades = maxLog10 - minLog10;
    if (!Number.isInteger(decades)) throw new InvalidArgumentError(`LogHistogram: maxLog10 − minLog10 must be a whole number of decades, got ${decades}`);
    this.minLog10 = minLog10;
    this.maxLog10 = maxLog10;
    this.binsPerDecade = binsPerDecade;
    this.counts = new Float64Array(decades * binsPerDecade);
  }

  /** Relative error bound of the quantile estimates inside the covered range. */
  get relativeResolution(): number {
    return 10 ** (1 / this.binsPerDecade) - 1;
  }

  /** Add one value (≥ 0 or +Infinity; negative and NaN values are a caller bug and rejected). */
  add(value: number): void {
    if (!(value >= 0)) throw new InvalidArgumentError(`LogHistogram: values must be ≥ 0, got ${value}`);
    this.total++;
    if (value === Infinity) { this.infinite++; return; }
    if (!(this.minimum <= value)) this.minimum = value;
    if (!(this.maximum >= value)) this.maximum = value;
    if (value === 0) { this.zeros++; return; }
    if (!(this.minimumPositive <= value)) this.minimumPositive = value;
    const position = (Math.log10(value) - this.minLog10) * this.binsPerDecade;
    if (position < 0) this.below++;
    else if (position >= this.counts.length) this.above++;
    else this.counts[Math.floor(position)]++;
  }

  /** Add many values. */
  addAll(values: ArrayLike<number>): void {
    for (let k = 0; k < values.length; k++) this.add(values[k]);
  }

  /** Combine another histogram of the same layout into this one. */
  merge(other: LogHistogram): void {
    if (other.minLog10 !== this.minLog10 || other.maxLog10 !== this.maxLog10 || other.binsPerDecade !== this.binsPerDecade) {
      throw new InvalidArgumentError('LogHistogram.merge: histograms have different ranges or resolutions');
    }
    for (let k = 0; k < this.counts.length; k++) this.counts[k] += other.counts[k];
    this.zeros += other.zeros;
    this.below += other.below;
    this.above += other.above;
    this.infinite += other.infinite;
    this.total += other.total;
    if (!(this.minimum <= other.minimum)) this.minimum = other.minimum;
    if (!(this.maximum >= other.maximum)) this.maximum = other.maximum;
    if (!(this.minimumPositive <= other.minimumPositive)) this.minimumPositive = other.minimumPositive;
  }

  /**
   * Estimate of the q-quantile (0 ≤ q ≤ 1) with the "linear" convention on ranks (NumPy's
   * default): rank q·(total−1) in the sorted values. q = 0 and 1 give the exact min/max. Values
   * outside the covered range are represented by the exact extremes. NaN when empty.
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new InvalidArgumentError(`quantile level must be in [0, 1], got ${q}`);
    if (this.total === 0) return NaN;
    const finite = this.total - this.infinite;
    const rank = q * (this.total - 1);
    if (rank > finite - 1) return Infinity;
    if (q === 0) return this.minimum;
    if (q === 1 || rank === finite - 1) return this.maximum;
    // Walk the groups in increasing order: zeros, below-range, bins, above-range.
    let seen = this.zeros;
    if (rank < seen) return 0;
    seen += this.below;
    if (rank < seen) return this.minimumPositive;
    for (let k = 0; k < this.counts.length; k++) {
      const count = this.counts[k];
      if (count > 0 && rank < seen + count) {
        // Spread the bin's values evenly (in log10) over the bin; rank r of c sits at (r + ½)/c.
        const fraction = (rank - seen + 0.5) / count;
        const estimate = 10 ** (this.minLog10 + (k + fraction) / this.binsPerDecade);
        return Math.min(Math.max(estimate, this.minimumPositive), this.maximum);
      }
      seen += count;
    }
    return this.maximum;
  }

  /**
   * Coarse bins for a chart: binsPerDecade (a divisor of this histogram's) over the occupied whole
   * decades. Values below/above the covered range are folded into the first/last bin.
   */
  coarseBins(binsPerDecade = 4): LogHistogramBins {
    if (!Number.isInteger(binsPerDecade) || binsPerDecade < 1 || this.binsPerDecade % binsPerDecade !== 0) {
      throw new InvalidArgumentError(`coarseBins: binsPerDecade must divide ${this.binsPerDecade}, got ${binsPerDecade}`);
    }
    const positive = this.total - this.zeros - this.infinite;
    if (positive === 0) return { log10Edges: [this.minLog10, this.minLog10 + 1], counts: [0], zeros: this.zeros, infinite: this.infinite };
    const factor = this.binsPerDecade / binsPerDecade;
    const lowestPositive = this.minimumPositive;
    const low = clamp(Math.floor(Math.log10(lowestPositive)), this.minLog10, this.maxLog10 - 1);
    const high = clamp(Math.ceil(Math.log10(this.maximum) + 1e-12), low + 1, this.maxLog10);
    const binCount = (high - low) * binsPerDecade;
    const counts = new Array<number>(binCount).fill(0);
    const offset = (low - this.minLog10) * this.binsPerDecade;
    for (let k = 0; k < this.counts.length; k++) {
      if (this.counts[k] === 0) continue;
      const target = clamp(Math.floor((k - offset) / factor), 0, binCount - 1);
      counts[target] += this.counts[k];
    }
    counts[0] += this.below;
    counts[binCount - 1] += this.above;
    const log10Edges = Array.from({ length: binCount + 1 }, (_, k) => low + k / binsPerDecade);
    return { log10Edges, counts, zeros: this.zeros, infinite: this.infinite };
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

