// Allocation-free dense kernels for the small per-target systems inside the solvers' hot loops
// (Jacobians of a few rows and columns, one per target, thousands of targets per iteration).
//
// SmallSvd is linalg's one-sided (Hestenes) Jacobi SVD (orthogonalizeRows, jacobiSingularValues) on a
// preallocated workspace, laid out for the solvers' spectral steps. It orthogonalises the
// p = min(rows, cols) vectors of the shorter side, stored column-major in `b` (q×p, q = max):
//   wide (rows ≤ cols): B = Aᵀ·W = V·Σ, so A = W·Σ·Vᵀ   (U = W, V = B/σ)
//   tall (rows > cols): B = A·W  = U·Σ, so A = U·Σ·Wᵀ   (U = B/σ, V = W)
// From it every step the solvers need is a spectral filter: Δz = V·diag(φ(σ))·Uᵀ·r with
// φ = 1/σ (pseudo-inverse with a relative cutoff), σ/(σ² + λ²) (damped least squares) or a
// multiple of σ (Jacobian transpose): projectU gives ρ = Uᵀr, the method picks φ, combineV sums.
// factorValues() is the values-only variant (linalg's batched kernel) used for the results'
// singular values. (Wide, well-conditioned steps usually take SmallGram.)
import { jacobiSingularValues, jacobiWorkSize, orthogonalizeRows } from '../linalg/index.ts';

export class SmallSvd {
  /** Column-major q×p vectors being orthogonalised. */
  readonly b: Float64Array;
  /** Column-major p×p accumulated rotations. */
  readonly w: Float64Array;
  /** Unsorted singular values σ_c = ‖b_c‖ after factor() (or factorValues()). */
  readonly sigma: Float64Array;
  /** Workspace of the values-only kernel used by factorValues(). */
  private readonly valueWork: Float64Array;
  rows = 0;
  cols = 0;
  /** Length of the orthogonalised vectors (max(rows, cols)). */
  q = 0;
  /** Number of singular values (min(rows, cols)). */
  p = 0;
  wide = true;

  constructor(maxRows: number, maxCols: number) {
    const q = Math.max(maxRows, maxCols), p = Math.min(maxRows, maxCols);
    this.b = new Float64Array(q * p);
    this.w = new Float64Array(p * p);
    this.sigma = new Float64Array(p);
    this.valueWork = new Float64Array(jacobiWorkSize(p, q));
  }

  /**
   * Load A = diag(rowScale)·J·diag(colScale) with the columns marked in `frozen` set to zero.
   * J is rows×cols row-major at source[offset]; any scale or mask may be null.
   */
  load(
    source: Float64Array, offset: number, rows: number, cols: number,
    rowScale: Float64Array | null, colScale: Float64Array | null,
    frozen: Uint8Array | null, frozenOffset = 0,
  ): void {
    this.rows = rows;
    this.cols = cols;
    this.wide = rows <= cols;
    this.q = Math.max(rows, cols);
    this.p = Math.min(rows, cols);
    const b = this.b, q = this.q;
    for (let i = 0; i < rows; i++) {
      const rs = rowScale ? rowScale[i] : 1;
      for (let j = 0; j < cols; j++) {
        let value = source[offset + i * cols + j] * rs;
        if (colScale) value *= colScale[j];
        if (frozen && frozen[frozenOffset + j]) value = 0;
        if (this.wide) b[i * q + j] = value; // column i of B = row i of A
        else b[j * q + i] = value; // column j of B = column j of A
      }
    }
  }

  /**
   * Orthogonalise the loaded vectors (linalg's one-sided Jacobi, its sweeps and relative stopping
   * tolerance), accumulating the rotations in w; fills sigma.
   */
  factor(): void {
    const { b, w, sigma, q, p } = this;
    for (let i = 0; i < p * p; i++) w[i] = 0;
    for (let i = 0; i < p; i++) w[i * p + i] = 1;
    orthogonalizeRows(b, p, q, sigma, 0, w);
    for (let c = 0; c < p; c++) sigma[c] = Math.sqrt(sigma[c]);
  }

  /**
   * Singular values only (into sigma, descending) by linalg's values-only Jacobi kernel, which has an
   * unrolled path for min(rows, cols) ≤ 4. Reads b as the p×q row-major matrix Bᵀ (same singular
   * values as A); b is left unchanged, but projectU, combineV and nullSpaceProject need factor().
   */
  factorValues(): void {
    const sweeps = jacobiSingularValues(this.b, 0, this.p, this.q, this.valueWork, this.sigma, 0);
    if (sweeps < 0) this.sigma.fill(NaN); // a non-finite Jacobian entry: the caller reports it
  }

  /** Largest singular value. */
  maxSigma(): number {
    let largest = 0;
    for (let c = 0; c < this.p; c++) if (this.sigma[c] > largest) largest = this.sigma[c];
    return largest;
  }

  /** Smallest singular value. */
  minSigma(): number {
    let smallest = Infinity;
    for (let c = 0; c < this.p; c++) if (this.sigma[c] < smallest) smallest = this.sigma[c];
    return this.p === 0 ? 0 : smallest;
  }

  /** Number of singular values above rtol·σ_max. */
  rank(rtol: number): number {
    const cutoff = rtol * this.maxSigma();
    let count = 0;
    for (let c = 0; c < this.p; c++) if (this.sigma[c] > cutoff && this.sigma[c] > 0) count++;
    return count;
  }

  /** Singular values sorted descending into out (length ≥ p). */
  sortedSigma(out: Float64Array): void {
    // Insertion sort, descending: p is a handful, and nothing is allocated.
    for (let c = 0; c < this.p; c++) {
      const value = this.sigma[c];
      let i = c;
      while (i > 0 && out[i - 1] < value) {
        out[i] = out[i - 1];
        i--;
      }
      out[i] = value;
    }
  }

  /** ρ_c = u_cᵀ·r for r of length rows at r[rOffset] (0 where σ_c = 0). */
  projectU(r: Float64Array, rOffset: number, rho: Float64Array): void {
    const { b, w, sigma, q, p } = this;
    for (let c = 0; c < p; c++) {
      let projection = 0;
      if (this.wide) {
        const wo = c * p;
        for (let i = 0; i < p; i++) projection += w[wo + i] * r[rOffset + i];
      } else if (sigma[c] > 0) {
        const bo = c * q;
        for (let i = 0; i < q; i++) projection += b[bo + i] * r[rOffset + i];
        projection /= sigma[c];
      }
      rho[c] = projection;
    }
  }

  /** out = Σ_c coefficient_c·v_c (length cols): a vector in the right-singular basis. */
  combineV(coefficient: Float64Array, out: Float64Array): void {
    const { b, w, sigma, q, p, cols } = this;
    for (let j = 0; j < cols; j++) out[j] = 0;
    for (let c = 0; c < p; c++) {
      const value = coefficient[c];
      if (value === 0) continue;
      if (this.wide) {
        if (!(sigma[c] > 0)) continue;
        const scale = value / sigma[c];
        const bo = c * q;
        for (let j = 0; j < cols; j++) out[j] += b[bo + j] * scale;
      } else {
        const wo = c * p;
        for (let j = 0; j < cols; j++) out[j] += w[wo + j] * value;
      }
    }
  }

  /**
   * Project g (length cols) onto the null space of A: out = g − V_r·V_rᵀ·g, where V_r are the
   * right singular vectors with σ > rtol·σ_max. Columns that are zero in A (frozen) stay in g.
   */
  nullSpaceProject(g: Float64Array, out: Float64Array, rtol: number): void {
    const { b, w, sigma, q, p, cols } = this;
    for (let j = 0; j < cols; j++) out[j] = g[j];
    const cutoff = rtol * this.maxSigma();
    for (let c = 0; c < p; c++) {
      const s = sigma[c];
      if (!(s > cutoff) || !(s > 0)) continue;
      if (this.wide) {
        const bo = c * q;
        let projection = 0;
        for (let j = 0; j < cols; j++) projection += b[bo + j] * g[j];
        const scale = projection / (s * s);
        for (let j = 0; j < cols; j++) out[j] -= b[bo + j] * scale;
      } else {
        const wo = c * p;
        let projection = 0;
        for (let j = 0; j < cols; j++) projection += w[wo + j] * g[j];
        for (let j = 0; j < cols; j++) out[j] -= w[wo + j] * projection;
      }
    }
  }
}

/** ‖v‖₂ of n entries at v[offset] (plain sum of squares: inputs here are well scaled). */
export function vectorNorm(v: Float64Array, offset: number, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += v[offset + i] * v[offset + i];
  return Math.sqrt(sum);
}

/** target[targetOffset ..] = source[sourceOffset ..] for `length` entries (a plain loop: no subarray view is allocated). */
export function copyRow(source: Float64Array, sourceOffset: number, target: Float64Array, targetOffset: number, length: number): void {
  for (let i = 0; i < length; i++) target[targetOffset + i] = source[sourceOffset + i];
}
