// Number formatting for human-readable reports (text tables, HTML, chart ticks). Like C's "%g":
// a fixed number of significant digits, exponent notation only for very small or very large values,
// trailing zeros dropped. Non-finite values print as 'NaN', 'Inf', '-Inf' instead of throwing, so a
// report can always show what went wrong.

/** Smallest decimal exponent printed without exponent notation (as in "%g"). */
const SMALLEST_FIXED_EXPONENT = -4;

/**
 * Format `value` with `significant` significant digits: 12.35, 0.001235, 1.234e-7, 1.235e+6, 'Inf', 'NaN'.
 * Exponent notation is used when the decimal exponent is below −4 or at least `significant`.
 */
export function formatNumber(value: number, significant = 4): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return '0';
  const digits = Math.min(21, Math.max(1, Math.round(significant)));
  // toExponential gives the exponent after rounding (9.9996 → "1.000e+1"), which decides the notation.
  const exponential = value.toExponential(digits - 1);
  const exponent = Number(exponential.slice(exponential.indexOf('e') + 1));
  if (exponent < SMALLEST_FIXED_EXPONENT || exponent >= digits) {
    const [mantissa, power] = exponential.split('e');
    return `${trimZeros(mantissa)}e${power}`;
  }
  return trimZeros(value.toFixed(Math.max(0, digits - 1 - exponent)));
}

/** Integer with thousands separators: 1234567 → "1,234,567" (non-integers fall back to formatNumber). */
export function formatCount(value: number): string {
  if (!Number.isFinite(value) || !Number.isInteger(value)) return formatNumber(value);
  return value.toLocaleString('en-US');
}

/** A fraction as a percentage: 0.1234 → "12.3%". */
export function formatPercent(fraction: number, significant = 3): string {
  if (!Number.isFinite(fraction)) return formatNumber(fraction);
  return `${formatNumber(fraction * 100, significant)}%`;
}

/** A duration in seconds, in the unit that reads best: "850 µs", "12.3 ms", "4.56 s", "2 min 5 s". */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return formatNumber(seconds);
  const magnitude = Math.abs(seconds);
  if (magnitude < 1e-3) return `${formatNumber(seconds * 1e6, 3)} µs`;
  if (magnitude < 1) return `${formatNumber(seconds * 1e3, 3)} ms`;
  if (magnitude < 120) return `${formatNumber(seconds, 3)} s`;
  const minutes = Math.floor(magnitude / 60);
  return `${seconds < 0 ? '-' : ''}${minutes} min ${Math.round(magnitude - minutes * 60)} s`;
}

/** "1.2300" → "1.23", "1.000" → "1", "-0.0" stays a number string without a dangling point. */
function trimZeros(text: string): string {
  if (!text.includes('.')) return text;
  return text.replace(/\.?0+$/, '');
}
