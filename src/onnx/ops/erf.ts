// The error function in Float64 (JavaScript has no Math.erf). For |x| < 6 the everywhere-positive
// series erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)) has no cancellation, so the
// relative error stays at a few ulps × the number of terms (≈1e-14 at worst); beyond 6, |erf| = 1
// to double precision (erfc(6) ≈ 2e-17).
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const SATURATION = 6;
const SERIES_RELATIVE_TOLERANCE = 1e-17;
const MAX_TERMS = 500;

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const magnitude = Math.abs(x);
  if (magnitude >= SATURATION) return Math.sign(x);
  const square = magnitude * magnitude;
  let term = magnitude;
  let sum = magnitude;
  for (let n = 0; n < MAX_TERMS; n++) {
    term *= (2 * square) / (2 * n + 3);
    sum += term;
    if (term <= SERIES_RELATIVE_TOLERANCE * sum) break;
  }
  const value = TWO_OVER_SQRT_PI * Math.exp(-square) * sum;
  return x < 0 ? -value : value;
}

/** d erf(x) / dx = 2/√π · e^(−x²). */
export function erfDerivative(x: number): number {
  return TWO_OVER_SQRT_PI * Math.exp(-x * x);
}
