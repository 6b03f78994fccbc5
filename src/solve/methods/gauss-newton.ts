// Gauss–Newton: iterated minimum-norm steps Δz = J⁺r (singular values below rtol·σ_max dropped),
// with backtracking so the cost never rises. Quadratic convergence near a zero-residual solution.
import { StopReason } from '../state.ts';
import type { RowMemory, StepRule } from '../iterate.ts';
import type { SmallGram } from '../gram.ts';
import type { SmallSvd } from '../small-svd.ts';
import { backtrackingJudge } from './line-search.ts';

/** Filter of the pseudo-inverse with a relative cutoff: φ = ρ/σ for σ > rtol·σ_max, else 0. */
export function pseudoInverseFilter(svd: SmallSvd, rho: Float64Array, rtol: number, phi: Float64Array): void {
  const cutoff = rtol * svd.maxSigma();
  for (let c = 0; c < svd.p; c++) {
    const sigma = svd.sigma[c];
    phi[c] = sigma > cutoff && sigma > 0 ? rho[c] / sigma : 0;
  }
}

export function gaussNewton(rtol: number): StepRule {
  return {
    giveUpReason: StopReason.LineSearchFailed,
    filter(svd: SmallSvd, rho: Float64Array, _row: number, _memory: RowMemory, phi: Float64Array): void {
      pseudoInverseFilter(svd, rho, rtol, phi);
    },
    gramWeights: pseudoInverseGramWeights,
    judge: backtrackingJudge,
  };
}

/** The pseudo-inverse step from the Gram matrix of a certified full-row-rank J: w = (JJᵀ)⁻¹r, Δz = Jᵀw = J⁺r. */
export function pseudoInverseGramWeights(gram: SmallGram, r: Float64Array, rOffset: number, _row: number, _memory: RowMemory, w: Float64Array): boolean {
  return gram.solveShifted(0, r, rOffset, w);
}
