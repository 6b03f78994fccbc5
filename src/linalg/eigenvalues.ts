// Eigenvalues of a small real non-symmetric matrix (e.g. the 3×3 Jacobian of an autoregressive
// Lorenz emulator), needed by the stability lab: error growth e_t = J e_{t−1} is decided by the
// spectrum of J. Method: balance, reduce to upper Hessenberg form by stabilized elementary
// similarity transforms, then Francis double-shift QR iterations (the classic EISPACK
// balanc/elmhes/hqr sequence). Eigenvalues only, no vectors. O(n³), meant for n up to a few dozen.
import { InversaError, ShapeError } from '../core/index.ts';
import { Matrix, type MatrixLike } from './matrix.ts';

export interface Eigenvalues {
  /** Real parts, sorted by descending modulus. */
  real: Float64Array;
  /** Imaginary parts (complex pairs appear together, positive part first). */
  imaginary: Float64Array;
  /** |λ| of each eigenvalue, same order. */
  modulus: Float64Array;
  /** max |λ|: the spectral radius. */
  spectralRadius: number;
}

/** QR sweeps allowed per eigenvalue before giving up (EISPACK uses 30). */
const MAX_ITERATIONS_PER_EIGENVALUE = 30;
/** Balancing scales rows/columns by powers of this radix (exact in binary floating point). */
const RADIX = 2;
/** Balancing stops once a row/column pair's norm would shrink by less than this factor. */
const BALANCE_IMPROVEMENT = 0.95;

/** Eigenvalues of a real square matrix. Throws ShapeError for non-square input. */
export function eigenvalues(matrix: MatrixLike): Eigenvalues {
  const input = Matrix.from(matrix, 'matrix');
  if (input.rows !== input.cols) throw new ShapeError(`eigenvalues need a square matrix, got ${input.rows}×${input.cols}`);
  const n = input.rows;
  const a = input.data.slice();
  balance(a, n);
  reduceToHessenberg(a, n);
  const real = new Float64Array(n);
  const imaginary = new Float64Array(n);
  hessenbergQr(a, n, real, imaginary);
  return sortByModulus(real, imaginary);
}

function sortByModulus(real: Float64Array, imaginary: Float64Array): Eigenvalues {
  const n = real.length;
  const order = Array.from({ length: n }, (_, i) => i);
  const modulusOf = (i: number) => Math.hypot(real[i], imaginary[i]);
  order.sort((i, j) => modulusOf(j) - modulusOf(i) || real[j] - real[i] || imaginary[j] - imaginary[i]);
  const out: Eigenvalues = { real: new Float64Array(n), imaginary: new Float64Array(n), modulus: new Float64Array(n), spectralRadius: 0 };
  order.forEach((source, k) => {
    out.real[k] = real[source];
    out.imaginary[k] = imaginary[source];
    out.modulus[k] = modulusOf(source);
  });
  out.spectralRadius = n > 0 ? out.modulus[0] : 0;
  return out;
}

/** Scale rows and columns (a similarity transform) so their norms are comparable; improves accuracy. */
function balance(a: Float64Array, n: number): void {
  const radixSquared = RADIX * RADIX;
  let done = false;
  while (!done) {
    done = true;
    for (let i = 0; i < n; i++) {
      let columnNorm = 0, rowNorm = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        columnNorm += Math.abs(a[j * n + i]);
        rowNorm += Math.abs(a[i * n + j]);
      }
      if (columnNorm === 0 || rowNorm === 0) continue;
      const total = columnNorm + rowNorm;
      let factor = 1;
      let scaledColumn = columnNorm;
      while (scaledColumn < rowNorm / RADIX) { factor *= RADIX; scaledColumn *= radixSquared; }
      while (scaledColumn > rowNorm * RADIX) { factor /= RADIX; scaledColumn /= radixSquared; }
      if ((scaledColumn + rowNorm) / factor < BALANCE_IMPROVEMENT * total) {
        done = false;
        for (let j = 0; j < n; j++) a[i * n + j] /= factor;
        for (let j = 0; j < n; j++) a[j * n + i] *= factor;
      }
    }
  }
}

/** Reduce to upper Hessenberg form by Gaussian elimination with pivoting (similarity transforms). */
function reduceToHessenberg(a: Float64Array, n: number): void {
  for (let m = 1; m < n - 1; m++) {
    let pivot = 0, pivotRow = m;
    for (let j = m; j < n; j++) {
      if (Math.abs(a[j * n + m - 1]) > Math.abs(pivot)) { pivot = a[j * n + m - 1]; pivotRow = j; }
    }
    if (pivotRow !== m) {
      for (let j = m - 1; j < n; j++) swap(a, pivotRow * n + j, m * n + j);
      for (let j = 0; j < n; j++) swap(a, j * n + pivotRow, j * n + m);
    }
    if (pivot === 0) continue;
    for (let i = m + 1; i < n; i++) {
      let multiplier = a[i * n + m - 1];
      if (multiplier === 0) continue;
      multiplier /= pivot;
      a[i * n + m - 1] = 0;
      for (let j = m; j < n; j++) a[i * n + j] -= multiplier * a[m * n + j];
      for (let j = 0; j < n; j++) a[j * n + m] += multiplier * a[j * n + i];
    }
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]; a[i] = a[j]; a[j] = t;
}

/**
 * Francis double-shift QR on an upper Hessenberg matrix (destroyed), after EISPACK's hqr with
 * exceptional shifts at iterations 10 and 20. Indices here are 0-based.
 */
function hessenbergQr(a: Float64Array, n: number, real: Float64Array, imaginary: Float64Array): void {
  const at = (i: number, j: number) => i * n + j;
  let norm = 0;
  for (let i = 0; i < n; i++) for (let j = Math.max(i - 1, 0); j < n; j++) norm += Math.abs(a[at(i, j)]);
  let last = n - 1;
  let shift = 0;
  let p = 0, q = 0, r = 0, s = 0, w = 0, x = 0, y = 0, z = 0;
  while (last >= 0) {
    let iterations = 0;
    let l: number;
    do {
      // Look for a negligible subdiagonal element splitting off a smaller block.
      for (l = last; l >= 1; l--) {
        s = Math.abs(a[at(l - 1, l - 1)]) + Math.abs(a[at(l, l)]);
        if (s === 0) s = norm;
        if (Math.abs(a[at(l, l - 1)]) + s === s) { a[at(l, l - 1)] = 0; break; }
      }
      x = a[at(last, last)];
      if (l === last) {
        // One root found.
        real[last] = x + shift;
        imaginary[last] = 0;
        last--;
      } else {
        y = a[at(last - 1, last - 1)];
        w = a[at(last, last - 1)] * a[at(last - 1, last)];
        if (l === last - 1) {
          // Two roots found: a real pair or a complex-conjugate pair.
          p = 0.5 * (y - x);
          q = p * p + w;
          z = Math.sqrt(Math.abs(q));
          x += shift;
          if (q >= 0) {
            z = p + (p >= 0 ? Math.abs(z) : -Math.abs(z));
            real[last - 1] = real[last] = x + z;
            if (z !== 0) real[last] = x - w / z;
            imaginary[last - 1] = imaginary[last] = 0;
          } else {
            real[last - 1] = real[last] = x + p;
            imaginary[last - 1] = z;
            imaginary[last] = -z;
          }
          last -= 2;
        } else {
          if (iterations === MAX_ITERATIONS_PER_EIGENVALUE) {
            throw new InversaError(`eigenvalues: QR iterations did not converge for the ${n}×${n} matrix after ${MAX_ITERATIONS_PER_EIGENVALUE} sweeps on one eigenvalue`);
          }
          if (iterations === 10 || iterations === 20) {
            // Exceptional shift to break cycles.
            shift += x;
            for (let i = 0; i <= last; i++) a[at(i, i)] -= x;
            s = Math.abs(a[at(last, last - 1)]) + Math.abs(a[at(last - 1, last - 2)]);
            y = x = 0.75 * s;
            w = -0.4375 * s * s;
          }
          iterations++;
          // Find two consecutive small subdiagonal elements where the double-shift sweep can start.
          let m: number;
          for (m = last - 2; m >= l; m--) {
            z = a[at(m, m)];
            r = x - z;
            s = y - z;
            p = (r * s - w) / a[at(m + 1, m)] + a[at(m, m + 1)];
            q = a[at(m + 1, m + 1)] - z - r - s;
            r = a[at(m + 2, m + 1)];
            s = Math.abs(p) + Math.abs(q) + Math.abs(r);
            p /= s; q /= s; r /= s;
            if (m === l) break;
            const u = Math.abs(a[at(m, m - 1)]) * (Math.abs(q) + Math.abs(r));
            const v = Math.abs(p) * (Math.abs(a[at(m - 1, m - 1)]) + Math.abs(z) + Math.abs(a[at(m + 1, m + 1)]));
            if (u + v === v) break;
          }
          for (let i = m + 2; i <= last; i++) {
            a[at(i, i - 2)] = 0;
            if (i !== m + 2) a[at(i, i - 3)] = 0;
          }
          // Double-shift QR sweep on rows/columns l..last, chasing the bulge down.
          for (let k = m; k <= last - 1; k++) {
            if (k !== m) {
              p = a[at(k, k - 1)];
              q = a[at(k + 1, k - 1)];
              r = k !== last - 1 ? a[at(k + 2, k - 1)] : 0;
              x = Math.abs(p) + Math.abs(q) + Math.abs(r);
              if (x !== 0) { p /= x; q /= x; r /= x; }
            }
            const magnitude = Math.sqrt(p * p + q * q + r * r);
            s = p >= 0 ? magnitude : -magnitude;
            if (s === 0) continue;
            if (k === m) {
              if (l !== m) a[at(k, k - 1)] = -a[at(k, k - 1)];
            } else {
              a[at(k, k - 1)] = -s * x;
            }
            p += s;
            x = p / s;
            y = q / s;
            z = r / s;
            q /= p;
            r /= p;
            for (let j = k; j <= last; j++) {
              p = a[at(k, j)] + q * a[at(k + 1, j)];
              if (k !== last - 1) {
                p += r * a[at(k + 2, j)];
                a[at(k + 2, j)] -= p * z;
              }
              a[at(k + 1, j)] -= p * y;
              a[at(k, j)] -= p * x;
            }
            const rowLimit = Math.min(last, k + 3);
            for (let i = l; i <= rowLimit; i++) {
              p = x * a[at(i, k)] + y * a[at(i, k + 1)];
              if (k !== last - 1) {
                p += z * a[at(i, k + 2)];
                a[at(i, k + 2)] -= p * r;
              }
              a[at(i, k + 1)] -= p * q;
              a[at(i, k)] -= p;
            }
          }
        }
      }
    } while (last >= 0 && l < last - 1);
  }
}
