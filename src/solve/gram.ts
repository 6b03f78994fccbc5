// The solvers' cheap path for wide, well-conditioned Jacobians (rows ≤ cols, e.g. 4×7): every
// spectral step the methods take, Δz = V·diag(φ(σ))·Uᵀr, is then Aᵀ·w with w from the small
// rows×rows Gram matrix G = AAᵀ = U·Σ²·Uᵀ:
//   damped least squares   w = (G + μI)⁻¹ r          (φ = σ/(σ² + μ)·ρ)
//   pseudo-inverse         w = G⁻¹ r                  (φ = ρ/σ, when no σ falls below the cutoff)
//   Jacobian transpose     w = α·r                    (φ = α·σ·ρ)
// Forming G squares the condition number, so the path is only taken when the Cholesky factor of G
// certifies that A has full row rank with cond(A) ≤ GRAM_MAX_CONDITION (1/trace(G⁻¹) bounds λ_min
// from below); the normal equations then lose at most ε·cond(A)² ≈ 2e-10 relative
// accuracy in the step, far below what the iteration needs. Anything else (rank-deficient,
// ill-conditioned, tall) goes through the exact SmallSvd. Four to five times cheaper than the
// one-sided Jacobi SVD (no square roots or divisions beyond a 4×4 Cholesky, linalg's kernel).
import { choleskyFactor, choleskySolve } from '../linalg/index.ts';

/** Largest cond(A) for which the normal-equation step is used (its relative error is ≤ ε·cond²). */
export const GRAM_MAX_CONDITION = 1e3;
/** The certificate also needs σ_min ≥ GRAM_RANK_MARGIN·rtol·σ_max, so "rank = rows" is beyond doubt. */
export const GRAM_RANK_MARGIN = 4;

export class SmallGram {
  /** A: rows×cols row-major at source[offset], columns marked in `frozen` read as zero (not copied). */
  private source: Float64Array = new Float64Array(0);
  private offset = 0;
  private frozen: Uint8Array | null = null;
  /** rows×rows G = AAᵀ. */
  readonly gram: Float64Array;
  /** rows×rows Cholesky factor L of G + factoredShift·I (lower triangle), valid when `factored`. */
  private readonly factor: Float64Array;
  /** 1/L_ii of the factor (divisions are the slow part of a 4×4 Cholesky). */
  private readonly inverseDiagonal: Float64Array;
  private factored = false;
  private factoredShift = 0;
  /** Forward-substitution scratch of the Cholesky solve. */
  private readonly forward: Float64Array;
  rows = 0;
  cols = 0;

  constructor(maxRows: number, maxCols: number) {
    this.gram = new Float64Array(maxRows * maxRows);
    this.factor = new Float64Array(maxRows * maxRows);
    this.inverseDiagonal = new Float64Array(maxRows);
    this.forward = new Float64Array(maxRows);
  }

  /**
   * Take A (rows×cols row-major at source[offset], which must not change while this Gram is used)
   * with the columns marked in `frozen` read as zero, and form G = AAᵀ.
   */
  load(source: Float64Array, offset: number, rows: number, cols: number, frozen: Uint8Array | null): void {
    this.rows = rows;
    this.cols = cols;
    this.source = source;
    this.offset = offset;
    this.frozen = frozen;
    this.factored = false;
    const g = this.gram;
    for (let i = 0; i < rows; i++) {
      const oi = offset + i * cols;
      for (let l = 0; l <= i; l++) {
        const ol = offset + l * cols;
        let sum = 0;
        if (frozen === null) for (let j = 0; j < cols; j++) sum += source[oi + j] * source[ol + j];
        else for (let j = 0; j < cols; j++) if (!frozen[j]) sum += source[oi + j] * source[ol + j];
        g[i * rows + l] = sum;
        g[l * rows + i] = sum;
      }
    }
  }

  /**
   * True when G proves full row rank with σ_min ≥ max(1/GRAM_MAX_CONDITION, GRAM_RANK_MARGIN·rtol)·σ_max:
   * then no singular value is below the rank cutoff rtol·σ_max and the Gram-matrix steps are
   * accurate. The proof, from the Cholesky factor G = LLᵀ: λ_min ≥ 1/trace(G⁻¹) = 1/‖L⁻¹‖_F² and
   * λ_max ≤ U = min(trace G, ‖G‖∞). Conservative by at most a factor p² in λ (p in σ): a matrix it
   * cannot certify takes the SVD path. Leaves the unshifted factor for solveShifted(0, …).
   */
  certifiesFullRank(rtol: number): boolean {
    const p = this.rows, g = this.gram;
    if (p === 0 || p > this.cols) return false;
    let trace = 0, rowSumMax = 0;
    for (let i = 0; i < p; i++) {
      trace += g[i * p + i];
      let rowSum = 0;
      for (let q = 0; q < p; q++) rowSum += Math.abs(g[i * p + q]);
      if (rowSum > rowSumMax) rowSumMax = rowSum;
    }
    const upper = Math.min(trace, rowSumMax);
    if (!(upper > 0) || !Number.isFinite(upper)) return false;
    if (!this.factorize(0)) return false;
    // ‖L⁻¹‖_F²: column c of L⁻¹ solves L·z = e_c (zero above c).
    const l = this.factor, z = this.forward, inverseDiagonal = this.inverseDiagonal;
    let inverseTrace = 0;
    for (let c = 0; c < p; c++) {
      for (let i = c; i < p; i++) {
        let sum = i === c ? 1 : 0;
        for (let q = c; q < i; q++) sum -= l[i * p + q] * z[q];
        z[i] = sum * inverseDiagonal[i];
        inverseTrace += z[i] * z[i];
      }
    }
    const needed = Math.max(1 / GRAM_MAX_CONDITION, GRAM_RANK_MARGIN * rtol);
    return inverseTrace * upper * needed * needed <= 1;
  }

  /** Cholesky factor of G + shift·I into `factor`; false when it is not numerically positive definite. */
  private factorize(shift: number): boolean {
    if (this.factored && this.factoredShift === shift) return true;
    this.factored = choleskyFactor(this.gram, 0, this.rows, shift, this.factor, 0, this.inverseDiagonal) < 0;
    this.factoredShift = shift;
    return this.factored;
  }

  /** w = (G + shift·I)⁻¹·r (r of length rows at r[rOffset]) by Cholesky; false if G + shift·I is not numerically positive definite. */
  solveShifted(shift: number, r: Float64Array, rOffset: number, w: Float64Array): boolean {
    if (!this.factorize(shift)) return false;
    choleskySolve(this.factor, 0, this.rows, this.inverseDiagonal, r, rOffset, w, 0, this.forward);
    return true;
  }

  /** out = G·v (length rows). */
  multiplyGram(v: Float64Array, vOffset: number, out: Float64Array): void {
    const p = this.rows, g = this.gram;
    for (let i = 0; i < p; i++) {
      let sum = 0;
      for (let q = 0; q < p; q++) sum += g[i * p + q] * v[vOffset + q];
      out[i] = sum;
    }
  }

  /** out = Aᵀ·w (length cols; frozen columns give 0). */
  multiplyTransposed(w: Float64Array, out: Float64Array): void {
    const { rows, cols, source, offset, frozen } = this;
    for (let j = 0; j < cols; j++) out[j] = 0;
    for (let i = 0; i < rows; i++) {
      const wi = w[i], o = offset + i * cols;
      if (wi === 0) continue;
      for (let j = 0; j < cols; j++) out[j] += source[o + j] * wi;
    }
    if (frozen !== null) for (let j = 0; j < cols; j++) if (frozen[j]) out[j] = 0;
  }
}
