// Jacobian-transpose method (Buss, "Introduction to inverse kinematics"): Δz = α·Jᵀr with
// α = ⟨r, JJᵀr⟩ / ⟨JJᵀr, JJᵀr⟩, the step length that minimizes the linearized residual along Jᵀr.
// In the SVD basis Jᵀr = Σ σρ·v and JJᵀr = Σ σ²ρ·u, so φ = α·σ·ρ with α = Σσ²ρ² / Σσ⁴ρ².
// Cheap per step but only linearly convergent; backtracking guards the cost.
import { StopReason } from '../state.ts';
import type { RowMemory, StepRule } from '../iterate.ts';
import type { SmallGram } from '../gram.ts';
import type { SmallSvd } from '../small-svd.ts';
import { backtrackingJudge } from './line-search.ts';

export const jacobianTranspose: StepRule = {
  giveUpReason: StopReason.LineSearchFailed,
  filter(svd: SmallSvd, rho: Float64Array, _row: number, _memory: RowMemory, phi: Float64Array): void {
    let numerator = 0, denominator = 0;
    for (let c = 0; c < svd.p; c++) {
      const weighted = svd.sigma[c] * svd.sigma[c] * rho[c];
      numerator += weighted * rho[c];
      denominator += weighted * weighted;
    }
    const alpha = denominator > 0 ? numerator / denominator : 0;
    for (let c = 0; c < svd.p; c++) phi[c] = alpha * svd.sigma[c] * rho[c];
  },
  /** From the Gram matrix: α = rᵀGr / ‖Gr‖², w = α·r (Δz = α·Jᵀr). */
  gramWeights(gram: SmallGram, r: Float64Array, rOffset: number, _row: number, _memory: RowMemory, w: Float64Array): boolean {
    gram.multiplyGram(r, rOffset, w);
    let numerator = 0, denominator = 0;
    for (let i = 0; i < gram.rows; i++) {
      numerator += r[rOffset + i] * w[i];
      denominator += w[i] * w[i];
    }
    const alpha = denominator > 0 ? numerator / denominator : 0;
    for (let i = 0; i < gram.rows; i++) w[i] = alpha * r[rOffset + i];
    return true;
  },
  judge: backtrackingJudge,
};
