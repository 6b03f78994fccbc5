// Economy singular value decomposition by one-sided (Hestenes) Jacobi: A = U·diag(S)·Vᵀ with
// S descending. One-sided Jacobi is accurate (small singular values to high relative accuracy) and,
// for the many small Jacobians inversa analyses, faster than bidiagonalisation.
//
// The kernel always orthogonalises the k = min(m, n) vectors of the shorter side: the rows of a
// wide (or square) A, the columns of a tall A. Those k vectors of length L = max(m, n) are copied
// as the contiguous rows of a k×L workspace W and rotated pairwise (W ← Q·W) until all rows are
// mutually orthogonal. Then W = diag(σ)·Û with orthonormal rows Û, and
//   wide/square (W = A):  A = Qᵀ·diag(σ)·Û   →  U = Qᵀ, V = Ûᵀ
//   tall        (W = Aᵀ): Aᵀ = Qᵀ·diag(σ)·Û  →  U = Ûᵀ, V = Qᵀ
//
// Without vectors the k rows are first reduced to a k×k triangle (row-pivoted Householder LQ), whose
// columns Jacobi then orthogonalises: same singular values, shorter vectors, fewer sweeps. For k ≤ 4
// (the batched 4×7 Jacobians) an unrolled copy of that values path keeps the vectors in local
// variables (svd-unrolled.generated.ts, generated from one template); it is ~2× faster than the loops
// and agrees with them to a few ε (test/linalg/svd-small).
import { ShapeError, shapeText } from '../core/index.ts';
import { MatrixBatch } from './batch.ts';
import { Matrix, type MatrixLike } from './matrix.ts';
import { EPSILON, numericalRank } from './tolerance.ts';
import { resolveRtol } from './validate.ts';
import { JACOBI_MAX_SWEEPS, jacobiToleranceSquared, rotation, setRotation } from './jacobi-rotation.ts';
import { fourColumnJacobiValues } from './svd-unrolled.generated.ts';

export { JACOBI_MAX_SWEEPS, jacobiToleranceSquared } from './jacobi-rotation.ts';

/**
 * A matrix whose largest entry lies beyond these magnitudes is rescaled by a power of two (exact).
 * The bound is 2^±200, not 2^±500: the stopping test multiplies two squared norms (α·β ~ entry⁴),
 * which must neither overflow nor underflow for the largest vectors.
 */
const RESCALE_ABOVE = 2 ** 200;
const RESCALE_BELOW = 2 ** -200;
/** A rotated vector whose norm is below this share of the largest is replaced by a completed basis vector. */
const NEGLIGIBLE_RELATIVE_NORM = EPSILON ** 3;

export interface SvdResult {
  /** m×k left singular vectors (orthonormal columns); m×0 when vectors were not requested. */
  U: Matrix;
  /** k = min(m, n) singular values, descending. */
  S: Float64Array;
  /** n×k right singular vectors (orthonormal columns); n×0 when vectors were not requested. */
  V: Matrix;
  /** Jacobi sweeps used (the last one only confirms orthogonality). */
  sweeps: number;
  /** False only if JACOBI_MAX_SWEEPS were used up (never observed); the result is then less accurate. */
  converged: boolean;
}

export interface SvdOptions {
  /** Compute U and V (default true). */
  vectors?: boolean;
}

/** Float64 entries of workspace that `jacobiSingularValues` needs for a rows×cols matrix. */
export function jacobiWorkSize(rows: number, cols: number): number {
  const general = rows * cols + Math.min(rows, cols);
  return Math.min(rows, cols) <= SMALL_KERNEL_MAX_K ? Math.max(general, smallKernelWorkSize(rows, cols)) : general;
}

/**
 * Precondition for the values-only path: reduce the k×L row matrix W (k < L) in place to its
 * k×k triangular factor T with W = [T 0]·Q (Householder LQ with row pivoting), stored compactly at
 * the start of `work` as Tᵀ (so Jacobi then orthogonalises the columns of T, which Drmač & Veselić
 * show converges in fewer sweeps). Singular values are unchanged; vectors of length k instead of L
 * make every sweep cheaper. work[normsOffset .. normsOffset + k) is used as scratch.
 */
function reduceToTriangle(work: Float64Array, k: number, length: number, normsOffset: number): void {
  // Squared norms of each row's remaining part (columns ≥ p), downdated per step; used only to pick pivots.
  for (let r = 0; r < k; r++) {
    let sum = 0;
    const rOffset = r * length;
    for (let i = 0; i < length; i++) sum += work[rOffset + i] * work[rOffset + i];
    work[normsOffset + r] = sum;
  }
  for (let p = 0; p < k; p++) {
    const pOffset = p * length;
    // Row pivoting: bring the row with the largest remaining part forward (like QR with column
    // pivoting), so T's diagonal decreases and the Jacobi sweeps start nearly orthogonal.
    let pivot = p;
    for (let r = p + 1; r < k; r++) if (work[normsOffset + r] > work[normsOffset + pivot]) pivot = r;
    if (pivot !== p) {
      const qOffset = pivot * length;
      for (let i = 0; i < length; i++) {
        const swap = work[pOffset + i];
        work[pOffset + i] = work[qOffset + i];
        work[qOffset + i] = swap;
      }
      work[normsOffset + pivot] = work[normsOffset + p];
    }
    // The Householder norm itself is computed afresh (the downdated value may have lost digits).
    let squaredNorm = 0;
    for (let i = p; i < length; i++) squaredNorm += work[pOffset + i] * work[pOffset + i];
    if (squaredNorm === 0) continue;
    const head = work[pOffset + p];
    const norm = Math.sqrt(squaredNorm);
    const diagonal = head > 0 ? -norm : norm;
    // Householder vector v = (head − diagonal, x₁, x₂, …) (x from row p itself), ‖v‖² = 2(‖x‖² + |x₀|·‖x‖),
    // so the reflection w ← w − (2⟨w, v⟩/‖v‖²)·v uses factorScale = 2/‖v‖².
    const vHead = head - diagonal;
    const factorScale = 1 / (squaredNorm + (head < 0 ? -head : head) * norm);
    for (let r = p + 1; r < k; r++) {
      const rOffset = r * length;
      let projection = work[rOffset + p] * vHead;
      for (let i = p + 1; i < length; i++) projection += work[rOffset + i] * work[pOffset + i];
      const factor = factorScale * projection;
      const updated = work[rOffset + p] - factor * vHead;
      work[rOffset + p] = updated;
      for (let i = p + 1; i < length; i++) work[rOffset + i] -= factor * work[pOffset + i];
      work[normsOffset + r] -= updated * updated;
    }
    work[pOffset + p] = diagonal;
  }
  // Compact Tᵀ (k×k): row j of Tᵀ is column j of T, i.e. T[i][j] = work[i·L + j] for i ≥ j.
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < k; i++) work[j * k + i] = i >= j ? work[i * length + j] : 0;
  }
}

/**
 * Copy the rows×cols matrix at data[offset] into `work` as k×L rows (the vectors to orthogonalise)
 * and, if its entries are extreme, multiply them by 2^exponent (exact). Returns that exponent (0 when
 * not rescaled), or NaN if the matrix has a non-finite entry. Callers multiply results by 2^−exponent.
 */
function loadVectors(data: Float64Array, offset: number, rows: number, cols: number, work: Float64Array): number {
  const size = rows * cols;
  let maxAbs = 0;
  let poison = 0; // stays 0 unless an entry is ±Infinity or NaN (x·0 is NaN for those)
  if (rows <= cols) {
    for (let index = 0; index < size; index++) {
      const value = data[offset + index];
      work[index] = value;
      poison += value * 0;
      const magnitude = value < 0 ? -value : value;
      if (magnitude > maxAbs) maxAbs = magnitude;
    }
  } else {
    for (let i = 0; i < rows; i++) {
      const rowOffset = offset + i * cols;
      for (let j = 0; j < cols; j++) {
        const value = data[rowOffset + j];
        work[j * rows + i] = value;
        poison += value * 0;
        const magnitude = value < 0 ? -value : value;
        if (magnitude > maxAbs) maxAbs = magnitude;
      }
    }
  }
  if (poison !== 0) return NaN;
  if (maxAbs > RESCALE_ABOVE || (maxAbs < RESCALE_BELOW && maxAbs > 0)) {
    const exponent = -Math.round(Math.log2(maxAbs));
    // Two half steps: 2^exponent alone overflows for subnormal input (exponent up to 1074).
    const half = 2 ** Math.trunc(exponent / 2), rest = 2 ** (exponent - Math.trunc(exponent / 2));
    for (let index = 0; index < size; index++) work[index] = work[index] * half * rest;
    return exponent;
  }
  return 0;
}

/**
 * Rotate the k rows (length L) of `work` pairwise until every pair is orthogonal to relative
 * precision √L·ε: |⟨w_p, w_q⟩| ≤ √L·ε·‖w_p‖‖w_q‖ (the norms and the inner product are taken fresh
 * from the vectors in one pass per pair: no drift, no cancellation in updated norms, and as fast as
 * the inner product alone). `squaredNorms` (length ≥ k, at normsOffset) receives the final ‖w_p‖². If `rotations` (k×k) is given, the same rotations are applied to its rows
 * (start from the identity to accumulate Q). Returns the number of sweeps.
 */
export function orthogonalizeRows(
  work: Float64Array,
  k: number,
  length: number,
  squaredNorms: Float64Array,
  normsOffset: number,
  rotations: Float64Array | null,
): number {
  const toleranceSquared = jacobiToleranceSquared(length);
  let sweep = 0;
  while (sweep < JACOBI_MAX_SWEEPS) {
    sweep++;
    let rotated = false;
    for (let p = 0; p < k - 1; p++) {
      const pOffset = p * length;
      for (let q = p + 1; q < k; q++) {
        // Squared norms and inner product of the pair, fresh from the vectors (one pass).
        const qOffset = q * length;
        let alpha = 0, beta = 0, gamma = 0;
        for (let i = 0; i < length; i++) {
          const x = work[pOffset + i], y = work[qOffset + i];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (alpha === 0 || beta === 0) continue;
        if (gamma * gamma <= toleranceSquared * alpha * beta) continue;
        rotated = true;
        // Rotation that zeroes ⟨w_p, w_q⟩: tan θ = t, the smaller root of t² + 2ζt − 1 = 0.
        setRotation((beta - alpha) / (2 * gamma));
        const cosine = rotation.cosine, sine = rotation.sine;
        for (let i = 0; i < length; i++) {
          const x = work[pOffset + i], y = work[qOffset + i];
          work[pOffset + i] = cosine * x - sine * y;
          work[qOffset + i] = sine * x + cosine * y;
        }
        if (rotations !== null) {
          const pr = p * k, qr = q * k;
          for (let i = 0; i < k; i++) {
            const x = rotations[pr + i], y = rotations[qr + i];
            rotations[pr + i] = cosine * x - sine * y;
            rotations[qr + i] = sine * x + cosine * y;
          }
        }
      }
    }
    if (!rotated) break;
  }
  for (let p = 0; p < k; p++) squaredNorms[normsOffset + p] = squaredRowNorm(work, p * length, length);
  return sweep;
}

function squaredRowNorm(work: Float64Array, offset: number, length: number): number {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += work[offset + i] * work[offset + i];
  return sum;
}

/** Insertion sort of out[offset .. offset+count) into descending order (count is small). */
function sortDescending(out: Float64Array, offset: number, count: number): void {
  for (let i = offset + 1; i < offset + count; i++) {
    const value = out[i];
    let j = i - 1;
    while (j >= offset && out[j] < value) {
      out[j + 1] = out[j];
      j--;
    }
    out[j + 1] = value;
  }
}

// ---------------------------------------------------------------------------------------------
// Values-only kernel for k = min(m, n) ≤ 4 (the 4×7 Jacobians inversa analyses by the ten thousand).
// Same algorithm as the general values path (row-pivoted Householder LQ, then one-sided Jacobi on
// the columns of the triangle) with everything that has a fixed size unrolled: the k vectors are
// padded with zero rows to four, the LQ is written out stage by stage (rows addressed through
// permuted offsets instead of swapped), and the Jacobi sweeps keep the four columns of length four
// in 16 local variables. The pairs are visited in the round-robin order (a,b)(c,d)(a,c)(b,d)(a,d)(b,c)
// so consecutive rotations touch disjoint columns and can overlap in the CPU. Zero padding changes
// nothing: zero vectors are never rotated and only the k largest values are reported.
// ---------------------------------------------------------------------------------------------

/** Largest k = min(m, n) handled by the unrolled values-only kernel. */
const SMALL_KERNEL_MAX_K = 4;
/**
 * The unrolled kernel does not rescale: it runs only when the largest squared vector norm lies in
 * [2^-400, 2^400] (entries of magnitude about 2^±200), where the products α·β of the stopping test
 * cannot overflow or underflow; anything else (and any non-finite entry) takes the general path.
 */
const SMALL_KERNEL_MAX_SQUARED_NORM = 2 ** 400;
const SMALL_KERNEL_MIN_SQUARED_NORM = 2 ** -400;

/** Row length of the padded 4-row workspace of the small kernel. */
function smallKernelLength(rows: number, cols: number): number {
  const length = rows < cols ? cols : rows;
  return length < SMALL_KERNEL_MAX_K ? SMALL_KERNEL_MAX_K : length;
}

/** Entries of `work` used by the small kernel: 4 padded rows, 4 squared norms, the 4×4 triangle. */
function smallKernelWorkSize(rows: number, cols: number): number {
  return SMALL_KERNEL_MAX_K * smallKernelLength(rows, cols) + SMALL_KERNEL_MAX_K + SMALL_KERNEL_MAX_K * SMALL_KERNEL_MAX_K;
}

/**
 * Copy the k ≤ 4 vectors of the rows×cols matrix at data[offset] (rows if wide, columns if tall)
 * into four rows of `length` entries (zero-padded), their squared norms into work[normsOffset..+4).
 * Returns false when the general path must take over (non-finite entry or extreme scale).
 */
function loadFourRows(data: Float64Array, offset: number, rows: number, cols: number, work: Float64Array, length: number, normsOffset: number): boolean {
  const wide = rows <= cols;
  const k = wide ? rows : cols;
  const vectorLength = wide ? cols : rows;
  const elementStep = wide ? 1 : cols;
  const vectorStep = wide ? cols : 1;
  let largest = 0, total = 0;
  for (let r = 0; r < SMALL_KERNEL_MAX_K; r++) {
    const rowOffset = r * length;
    let sum = 0;
    if (r < k) {
      let source = offset + r * vectorStep;
      for (let i = 0; i < vectorLength; i++, source += elementStep) {
        const value = data[source];
        work[rowOffset + i] = value;
        sum += value * value;
      }
      for (let i = vectorLength; i < length; i++) work[rowOffset + i] = 0;
    } else {
      for (let i = 0; i < length; i++) work[rowOffset + i] = 0;
    }
    work[normsOffset + r] = sum;
    total += sum; // NaN if any entry is NaN
    if (sum > largest) largest = sum;
  }
  return total === total && largest <= SMALL_KERNEL_MAX_SQUARED_NORM && largest >= SMALL_KERNEL_MIN_SQUARED_NORM;
}

/**
 * Householder LQ with row pivoting of the four rows (length L) of `work`, unrolled by stage:
 * P·W = [T 0]·Q with T lower triangular, written row-major (T[i][j] at triangleOffset + 4i + j,
 * zeros above the diagonal). work[normsOffset..+4) holds the rows' squared norms on entry (used for
 * pivoting and downdated); the rows themselves are overwritten.
 */
function reduceFourRowsToTriangle(work: Float64Array, length: number, normsOffset: number, triangleOffset: number): void {
  const t = triangleOffset;
  for (let index = 0; index < 16; index++) work[t + index] = 0;
  // Row r of the pivoted order lives at work[offset_r]; pivoting swaps offsets, norms and the
  // already computed triangle entries of the two rows, never the rows themselves.
  let offset0 = 0, offset1 = length, offset2 = 2 * length, offset3 = 3 * length;
  let norm0 = work[normsOffset], norm1 = work[normsOffset + 1], norm2 = work[normsOffset + 2], norm3 = work[normsOffset + 3];
  let swap: number;

  // Stage 0: the longest row first; its squared norm is exact (just computed from the entries).
  if (norm1 > norm0) { swap = norm0; norm0 = norm1; norm1 = swap; swap = offset0; offset0 = offset1; offset1 = swap; }
  if (norm2 > norm0) { swap = norm0; norm0 = norm2; norm2 = swap; swap = offset0; offset0 = offset2; offset2 = swap; }
  if (norm3 > norm0) { swap = norm0; norm0 = norm3; norm3 = swap; swap = offset0; offset0 = offset3; offset3 = swap; }
  if (norm0 === 0) return;
  {
    // Reflection w ← w − (2⟨w, v⟩/‖v‖²)·v with v = (head − diagonal, x₁, x₂, …) from the pivot row.
    const head = work[offset0];
    const norm = Math.sqrt(norm0);
    const diagonal = head > 0 ? -norm : norm;
    const vHead = head - diagonal;
    const factorScale = 1 / (norm0 + (head < 0 ? -head : head) * norm);
    let factor1 = work[offset1] * vHead, factor2 = work[offset2] * vHead, factor3 = work[offset3] * vHead;
    for (let i = 1; i < length; i++) {
      const v = work[offset0 + i];
      factor1 += work[offset1 + i] * v;
      factor2 += work[offset2 + i] * v;
      factor3 += work[offset3 + i] * v;
    }
    factor1 *= factorScale;
    factor2 *= factorScale;
    factor3 *= factorScale;
    for (let i = 1; i < length; i++) {
      const v = work[offset0 + i];
      work[offset1 + i] -= factor1 * v;
      work[offset2 + i] -= factor2 * v;
      work[offset3 + i] -= factor3 * v;
    }
    const head1 = work[offset1] - factor1 * vHead, head2 = work[offset2] - factor2 * vHead, head3 = work[offset3] - factor3 * vHead;
    work[t] = diagonal;
    work[t + 4] = head1;
    work[t + 8] = head2;
    work[t + 12] = head3;
    norm1 -= head1 * head1;
    norm2 -= head2 * head2;
    norm3 -= head3 * head3;
  }

  // Stage 1 (pivot among rows 1..3 by downdated norms; the Householder norm is computed afresh).
  if (norm2 > norm1) { swap = norm1; norm1 = norm2; norm2 = swap; swap = offset1; offset1 = offset2; offset2 = swap; swap = work[t + 4]; work[t + 4] = work[t + 8]; work[t + 8] = swap; }
  if (norm3 > norm1) { swap = norm1; norm1 = norm3; norm3 = swap; swap = offset1; offset1 = offset3; offset3 = swap; swap = work[t + 4]; work[t + 4] = work[t + 12]; work[t + 12] = swap; }
  {
    let squaredNorm = 0;
    for (let i = 1; i < length; i++) squaredNorm += work[offset1 + i] * work[offset1 + i];
    if (squaredNorm === 0) {
      // Nothing left of the pivot row (T[1][1] = 0). The other rows may still have a (tiny) rest,
      // downdated norms being inexact: no reflection, their column-1 entries join T unchanged.
      work[t + 9] = work[offset2 + 1];
      work[t + 13] = work[offset3 + 1];
    } else {
      const head = work[offset1 + 1];
      const norm = Math.sqrt(squaredNorm);
      const diagonal = head > 0 ? -norm : norm;
      const vHead = head - diagonal;
      const factorScale = 1 / (squaredNorm + (head < 0 ? -head : head) * norm);
      let factor2 = work[offset2 + 1] * vHead, factor3 = work[offset3 + 1] * vHead;
      for (let i = 2; i < length; i++) {
        const v = work[offset1 + i];
        factor2 += work[offset2 + i] * v;
        factor3 += work[offset3 + i] * v;
      }
      factor2 *= factorScale;
      factor3 *= factorScale;
      for (let i = 2; i < length; i++) {
        const v = work[offset1 + i];
        work[offset2 + i] -= factor2 * v;
        work[offset3 + i] -= factor3 * v;
      }
      const head2 = work[offset2 + 1] - factor2 * vHead, head3 = work[offset3 + 1] - factor3 * vHead;
      work[t + 5] = diagonal;
      work[t + 9] = head2;
      work[t + 13] = head3;
      norm2 -= head2 * head2;
      norm3 -= head3 * head3;
    }
  }

  // Stage 2.
  if (norm3 > norm2) {
    swap = offset2; offset2 = offset3; offset3 = swap;
    swap = work[t + 8]; work[t + 8] = work[t + 12]; work[t + 12] = swap;
    swap = work[t + 9]; work[t + 9] = work[t + 13]; work[t + 13] = swap;
  }
  {
    let squaredNorm = 0;
    for (let i = 2; i < length; i++) squaredNorm += work[offset2 + i] * work[offset2 + i];
    if (squaredNorm === 0) {
      work[t + 14] = work[offset3 + 2]; // as in stage 1: no reflection, T[2][2] = 0
    } else {
      const head = work[offset2 + 2];
      const norm = Math.sqrt(squaredNorm);
      const diagonal = head > 0 ? -norm : norm;
      const vHead = head - diagonal;
      const factorScale = 1 / (squaredNorm + (head < 0 ? -head : head) * norm);
      let factor3 = work[offset3 + 2] * vHead;
      for (let i = 3; i < length; i++) factor3 += work[offset3 + i] * work[offset2 + i];
      factor3 *= factorScale;
      for (let i = 3; i < length; i++) work[offset3 + i] -= factor3 * work[offset2 + i];
      work[t + 10] = diagonal;
      work[t + 14] = work[offset3 + 2] - factor3 * vHead;
    }
  }

  // Stage 3: what is left of the last row is its diagonal entry (the sign does not matter here).
  let squaredNorm = 0;
  for (let i = 3; i < length; i++) squaredNorm += work[offset3 + i] * work[offset3 + i];
  work[t + 15] = Math.sqrt(squaredNorm);
}

/**
 * The small kernel: singular values of a rows×cols matrix with min(rows, cols) ≤ 4, written like
 * `jacobiSingularValues`. Returns the sweeps, or −1 when the matrix needs the general path
 * (non-finite entry or entries beyond 2^±200, which that path rescales or reports).
 */
function smallJacobiSingularValues(data: Float64Array, offset: number, rows: number, cols: number, work: Float64Array, out: Float64Array, outOffset: number): number {
  const length = smallKernelLength(rows, cols);
  const normsOffset = SMALL_KERNEL_MAX_K * length;
  const triangleOffset = normsOffset + SMALL_KERNEL_MAX_K;
  if (!loadFourRows(data, offset, rows, cols, work, length, normsOffset)) return -1;
  reduceFourRowsToTriangle(work, length, normsOffset, triangleOffset);
  return fourColumnJacobiValues(work, triangleOffset, rows < cols ? rows : cols, out, outOffset);
}

/**
 * Low-level, allocation-free kernel: singular values of the rows×cols row-major matrix at
 * data[offset], written descending to out[outOffset .. outOffset + min(rows, cols)).
 * `work` needs jacobiWorkSize(rows, cols) entries. Returns the sweeps used, or −1 if the matrix has
 * a non-finite entry (out is then left untouched; callers raise NonFiniteError).
 * Matrices with min(rows, cols) ≤ 4 and ordinary scale take the unrolled small kernel; the rest (and
 * those with extreme or non-finite entries) the general loops below.
 */
export function jacobiSingularValues(
  data: Float64Array,
  offset: number,
  rows: number,
  cols: number,
  work: Float64Array,
  out: Float64Array,
  outOffset: number,
): number {
  const k = rows < cols ? rows : cols;
  if (k <= SMALL_KERNEL_MAX_K) {
    const sweeps = smallJacobiSingularValues(data, offset, rows, cols, work, out, outOffset);
    if (sweeps >= 0) return sweeps;
  }
  const length = rows < cols ? cols : rows;
  const exponent = loadVectors(data, offset, rows, cols, work);
  if (exponent !== exponent) return -1;
  const normsOffset = rows * cols;
  let vectorLength = length;
  if (k < length && k > 1) {
    reduceToTriangle(work, k, length, normsOffset);
    vectorLength = k;
  }
  const sweeps = orthogonalizeRows(work, k, vectorLength, work, normsOffset, null);
  const unscale = 2 ** -exponent;
  for (let p = 0; p < k; p++) out[outOffset + p] = Math.sqrt(work[normsOffset + p]) * unscale;
  sortDescending(out, outOffset, k);
  return sweeps;
}

/** Reusable buffers for the SVD with vectors of one rows×cols shape. */
export class SvdWorkspace {
  readonly rows: number;
  readonly cols: number;
  readonly k: number;
  readonly length: number;
  readonly vectors: Float64Array;
  readonly squaredNorms: Float64Array;
  readonly rotations: Float64Array;
  readonly sigma: Float64Array;
  readonly order: Int32Array;
  readonly valid: Uint8Array;
  readonly scratch: Float64Array;

  constructor(rows: number, cols: number) {
    this.rows = rows;
    this.cols = cols;
    this.k = Math.min(rows, cols);
    this.length = Math.max(rows, cols);
    this.vectors = new Float64Array(rows * cols);
    this.squaredNorms = new Float64Array(this.k);
    this.rotations = new Float64Array(this.k * this.k);
    this.sigma = new Float64Array(this.k);
    this.order = new Int32Array(this.k);
    this.valid = new Uint8Array(this.k);
    this.scratch = new Float64Array(this.length);
  }
}

/**
 * Replace row `target` of the k×L row matrix `basis` by a unit vector orthogonal to every row
 * marked in `valid`: the standard basis vector with the largest component outside their span,
 * orthogonalised twice (classical Gram–Schmidt with re-orthogonalisation).
 */
export function completeOrthonormalRow(basis: Float64Array, k: number, length: number, valid: Uint8Array, target: number, scratch: Float64Array): void {
  let bestIndex = 0, bestResidual = -Infinity;
  for (let t = 0; t < length; t++) {
    let captured = 0;
    for (let v = 0; v < k; v++) if (valid[v]) captured += basis[v * length + t] ** 2;
    if (1 - captured > bestResidual) {
      bestResidual = 1 - captured;
      bestIndex = t;
    }
  }
  scratch.fill(0, 0, length);
  scratch[bestIndex] = 1;
  for (let pass = 0; pass < 2; pass++) {
    for (let v = 0; v < k; v++) {
      if (!valid[v]) continue;
      const vOffset = v * length;
      let projection = 0;
      for (let i = 0; i < length; i++) projection += basis[vOffset + i] * scratch[i];
      for (let i = 0; i < length; i++) scratch[i] -= projection * basis[vOffset + i];
    }
  }
  let norm = 0;
  for (let i = 0; i < length; i++) norm += scratch[i] * scratch[i];
  norm = Math.sqrt(norm);
  const targetOffset = target * length;
  for (let i = 0; i < length; i++) basis[targetOffset + i] = scratch[i] / norm;
}

/**
 * SVD with vectors of the matrix at data[offset] (shape of `ws`): S → sigmaOut[sigmaOffset..],
 * U (m×k row-major) → uOut[uOffset..], V (n×k row-major) → vOut[vOffset..].
 * Returns sweeps, or −1 for a non-finite entry.
 */
export function jacobiSvd(
  data: Float64Array,
  offset: number,
  ws: SvdWorkspace,
  sigmaOut: Float64Array,
  sigmaOffset: number,
  uOut: Float64Array,
  uOffset: number,
  vOut: Float64Array,
  vOffset: number,
): number {
  const { rows, cols, k, length, vectors, squaredNorms, rotations, sigma, order, valid, scratch } = ws;
  const exponent = loadVectors(data, offset, rows, cols, vectors);
  if (exponent !== exponent) return -1;
  rotations.fill(0);
  for (let p = 0; p < k; p++) rotations[p * k + p] = 1;
  const sweeps = orthogonalizeRows(vectors, k, length, squaredNorms, 0, rotations);

  let largest = 0;
  for (let p = 0; p < k; p++) {
    sigma[p] = Math.sqrt(squaredNorms[p]);
    if (sigma[p] > largest) largest = sigma[p];
  }
  // Normalise the rotated vectors into Û; vectors of (numerically) zero length get completed.
  const negligible = largest * NEGLIGIBLE_RELATIVE_NORM;
  for (let p = 0; p < k; p++) {
    valid[p] = sigma[p] > negligible && sigma[p] > 0 ? 1 : 0;
    if (!valid[p]) continue;
    const inverse = 1 / sigma[p];
    for (let i = 0; i < length; i++) vectors[p * length + i] *= inverse;
  }
  for (let p = 0; p < k; p++) {
    if (valid[p]) continue;
    completeOrthonormalRow(vectors, k, length, valid, p, scratch);
    valid[p] = 1;
  }
  // Order by descending σ (stable insertion sort of indices).
  for (let p = 0; p < k; p++) {
    let j = p - 1;
    while (j >= 0 && sigma[order[j]] < sigma[p]) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = p;
  }
  const unscale = 2 ** -exponent;
  for (let j = 0; j < k; j++) sigmaOut[sigmaOffset + j] = sigma[order[j]] * unscale;
  // Q (rows of `rotations`) gives the short-side vectors, Û (rows of `vectors`) the long-side ones.
  const wide = rows <= cols;
  const shortOut = wide ? uOut : vOut, shortOffset = wide ? uOffset : vOffset;
  const longOut = wide ? vOut : uOut, longOffset = wide ? vOffset : uOffset;
  for (let j = 0; j < k; j++) {
    const source = order[j];
    for (let i = 0; i < k; i++) shortOut[shortOffset + i * k + j] = rotations[source * k + i];
    for (let i = 0; i < length; i++) longOut[longOffset + i * k + j] = vectors[source * length + i];
  }
  return sweeps;
}

/**
 * Economy SVD A = U·diag(S)·Vᵀ (U m×k, V n×k, k = min(m, n), S descending).
 * With { vectors: false } only S is computed (U and V are then m×0 and n×0).
 */
export function svd(a: MatrixLike, options: SvdOptions = {}): SvdResult {
  const matrix = Matrix.from(a, 'A');
  const { rows, cols } = matrix;
  const k = Math.min(rows, cols);
  const S = new Float64Array(k);
  if (options.vectors === false) {
    const sweeps = jacobiSingularValues(matrix.data, 0, rows, cols, new Float64Array(jacobiWorkSize(rows, cols)), S, 0);
    return { U: new Matrix(rows, 0), S, V: new Matrix(cols, 0), sweeps, converged: sweeps < JACOBI_MAX_SWEEPS };
  }
  const U = new Matrix(rows, k);
  const V = new Matrix(cols, k);
  const sweeps = jacobiSvd(matrix.data, 0, new SvdWorkspace(rows, cols), S, 0, U.data, 0, V.data, 0);
  return { U, S, V, sweeps, converged: sweeps < JACOBI_MAX_SWEEPS };
}

/** Singular values of A, descending. */
export function singularValues(a: MatrixLike): Float64Array {
  return svd(a, { vectors: false }).S;
}

function assertUsableBatch(batch: MatrixBatch, name: string): void {
  if (!(batch instanceof MatrixBatch)) throw new ShapeError(`${name} must be a MatrixBatch`);
  if (batch.count === 0 || batch.rows === 0 || batch.cols === 0) {
    throw new ShapeError(`${name} is empty (${batch.count} matrices of ${shapeText(batch.rows, batch.cols)})`);
  }
}

export interface SvdBatchResult {
  /** min(rows, cols): singular values per matrix. */
  k: number;
  /** count×k, each row descending. */
  singularValues: Float64Array;
  /** count matrices of rows×k (only with vectors). */
  U?: MatrixBatch;
  /** count matrices of cols×k (only with vectors). */
  V?: MatrixBatch;
}

/** SVD of every matrix of a batch (vectors by default; { vectors: false } for values only). */
export function svdBatch(batch: MatrixBatch, options: SvdOptions = {}): SvdBatchResult {
  assertUsableBatch(batch, 'batch');
  const { count, rows, cols } = batch;
  const k = Math.min(rows, cols);
  const singularValues = new Float64Array(count * k);
  const stride = rows * cols;
  if (options.vectors === false) {
    const work = new Float64Array(jacobiWorkSize(rows, cols));
    for (let index = 0; index < count; index++) {
      if (jacobiSingularValues(batch.data, index * stride, rows, cols, work, singularValues, index * k) < 0) batch.assertFinite('batch');
    }
    return { k, singularValues };
  }
  const U = new MatrixBatch(count, rows, k);
  const V = new MatrixBatch(count, cols, k);
  const ws = new SvdWorkspace(rows, cols);
  for (let index = 0; index < count; index++) {
    const sweeps = jacobiSvd(batch.data, index * stride, ws, singularValues, index * k, U.data, index * rows * k, V.data, index * cols * k);
    if (sweeps < 0) batch.assertFinite('batch');
  }
  return { k, singularValues, U, V };
}

export interface SpectrumBatchResult {
  k: number;
  /** count×k, each row descending. */
  singularValues: Float64Array;
  /** Numerical rank of each matrix: singular values above rtol·σ_max. */
  rank: Int32Array;
  /** σ_max/σ_min of each matrix; Infinity when its rank is below k. */
  cond: Float64Array;
}

/**
 * Fast path for analysing thousands of Jacobians: singular values, numerical rank and condition
 * number of every matrix, no vectors, no allocation per matrix. rtol defaults to max(m, n)·ε.
 */
export function spectrumBatch(batch: MatrixBatch, options: { rtol?: number } = {}): SpectrumBatchResult {
  assertUsableBatch(batch, 'batch');
  const { count, rows, cols, data } = batch;
  const rtol = resolveRtol(options.rtol, rows, cols);
  const k = Math.min(rows, cols);
  const singularValues = new Float64Array(count * k);
  const rank = new Int32Array(count);
  const cond = new Float64Array(count);
  const work = new Float64Array(jacobiWorkSize(rows, cols));
  const stride = rows * cols;
  for (let index = 0; index < count; index++) {
    const outOffset = index * k;
    if (jacobiSingularValues(data, index * stride, rows, cols, work, singularValues, outOffset) < 0) batch.assertFinite('batch');
    const matrixRank = numericalRank(singularValues, rtol, outOffset, k);
    rank[index] = matrixRank;
    cond[index] = matrixRank === k ? singularValues[outOffset] / singularValues[outOffset + k - 1] : Infinity;
  }
  return { k, singularValues, rank, cond };
}
