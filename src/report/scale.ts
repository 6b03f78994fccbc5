// Axis scales and "nice" tick positions for the SVG charts: linear axes get ticks at 1·2·5×10^k
// steps with the domain widened to whole ticks; log axes get ticks at powers of ten (or nice linear
// ticks when the data spans less than a decade). Pure math, no SVG.
import { formatNumber } from '../core/index.ts';

export interface AxisScale {
  /** Domain ends (data units) after widening to nice values. */
  min: number;
  max: number;
  log: boolean;
  /** Tick positions in data units, inside [min, max]. */
  ticks: number[];
  /** Map a data value to a fraction of the axis length (0 at min, 1 at max). */
  fraction(value: number): number;
  /** Tick label text. */
  label(value: number): string;
}

/** Roughly this many ticks per axis. */
export const TARGET_TICK_COUNT = 5;
/** Fractional padding added around a degenerate (single-value) linear domain. */
const DEGENERATE_PADDING = 0.1;

/** Step of the form {1, 2, 2.5, 5} × 10^k closest to range / target from above. */
export function niceStep(range: number, target = TARGET_TICK_COUNT): number {
  const raw = range / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const mantissa = raw / power;
  const nice = mantissa <= 1 ? 1 : mantissa <= 2 ? 2 : mantissa <= 2.5 ? 2.5 : mantissa <= 5 ? 5 : 10;
  return nice * power;
}

/** Finite values of `values` (and, for log axes, only positive ones): [min, max] or null if none. */
export function dataExtent(values: Iterable<number>, positiveOnly = false): [number, number] | null {
  let min = Infinity, max = -Infinity;
  for (const value of values) {
    if (!Number.isFinite(value) || (positiveOnly && value <= 0)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return min <= max ? [min, max] : null;
}

/**
 * A linear scale covering [low, high], widened to whole tick steps (unless `exact`).
 * `integerTicks` keeps steps ≥ 1 (for counts).
 */
export function linearScale(low: number, high: number, options: { exact?: boolean; integerTicks?: boolean; target?: number } = {}): AxisScale {
  let min = low, max = high;
  if (!(max > min)) {
    const pad = Math.abs(min) * DEGENERATE_PADDING || 1;
    min -= pad;
    max += pad;
  }
  let step = niceStep(max - min, options.target);
  if (options.integerTicks) step = Math.max(1, Math.round(step));
  if (!options.exact) {
    min = Math.floor(min / step + 1e-9) * step;
    max = Math.ceil(max / step - 1e-9) * step;
  }
  const ticks: number[] = [];
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  for (let k = first; k <= last; k++) ticks.push(cleanZero(Number((k * step).toPrecision(12))));
  const span = max - min;
  return {
    min,
    max,
    log: false,
    ticks,
    fraction: (value) => (value - min) / span,
    label: (value) => formatNumber(value, 4),
  };
}

/** A log10 scale covering [low, high] (both > 0), widened to whole decades when it spans ≥ 1 decade. */
export function logScale(low: number, high: number, options: { exact?: boolean } = {}): AxisScale {
  let logMin = Math.log10(low), logMax = Math.log10(high);
  if (!(logMax > logMin)) {
    logMin -= 0.5;
    logMax += 0.5;
  }
  let ticks: number[];
  if (logMax - logMin >= 1) {
    if (!options.exact) {
      logMin = Math.floor(logMin + 1e-9);
      logMax = Math.ceil(logMax - 1e-9);
    }
    const decades = Math.ceil(logMax) - Math.floor(logMin);
    const every = Math.max(1, Math.ceil(decades / 8));
    ticks = [];
    for (let power = Math.ceil(logMin - 1e-9); power <= logMax + 1e-9; power++) {
      if (power % every === 0) ticks.push(10 ** power);
    }
  } else {
    // Less than a decade: ordinary nice ticks, placed on the log axis.
    ticks = linearScale(10 ** logMin, 10 ** logMax, { exact: true }).ticks.filter((tick) => tick > 0);
  }
  const span = logMax - logMin;
  return {
    min: 10 ** logMin,
    max: 10 ** logMax,
    log: true,
    ticks,
    fraction: (value) => (Math.log10(value) - logMin) / span,
    label: (value) => formatNumber(value, 3),
  };
}

/** Scale for data on a linear or log axis; `extent` null (no usable data) gives a placeholder 0..1. */
export function scaleFor(extent: [number, number] | null, log: boolean, options: { exact?: boolean; integerTicks?: boolean } = {}): AxisScale {
  if (extent === null) return log ? logScale(1, 10) : linearScale(0, 1);
  return log ? logScale(extent[0], extent[1], options) : linearScale(extent[0], extent[1], options);
}

function cleanZero(value: number): number {
  return value === 0 ? 0 : value; // turn -0 into 0 so the label is "0"
}
