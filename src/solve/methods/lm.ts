// Levenberg–Marquardt / damped least squares: Δz = Jᵀ(JJᵀ + μI)⁻¹r = Σ σ/(σ² + μ)·(u·r)·v, which
// exists for any shape (wide 4×7 Jacobians included, which SciPy's 'lm' refuses) and stays finite
// when J is singular. μ = λ² adapts by Nielsen's rule on the gain ratio ϱ = actual / predicted
// decrease: accepted → μ·max(1/3, 1 − (2ϱ − 1)³); rejected → μ·ν, ν doubles.
import { StopReason } from '../state.ts';
import { sigmaMaxOf, type RowMemory, type StepRule, type Verdict } from '../iterate.ts';
import type { SmallGram } from '../gram.ts';
import type { SmallSvd } from '../small-svd.ts';

/** Initial μ relative to σ_max² of the scaled Jacobian (Madsen–Nielsen–Tingleff's τ). */
export const LM_INITIAL_DAMPING_RTOL = 1e-3;
/** Give up when μ exceeds this multiple of σ_max²: no step of any length lowers the cost. */
export const LM_MAX_DAMPING_RTOL = 1e16;
/** Smallest accepted gain ratio. */
export const LM_ACCEPT_RATIO = 1e-4;

export const levenbergMarquardt: StepRule = {
  giveUpReason: StopReason.DampingLimit,
  filter(svd: SmallSvd, rho: Float64Array, row: number, memory: RowMemory, phi: Float64Array): void {
    const mu = dampingOf(row, memory);
    for (let c = 0; c < svd.p; c++) {
      const sigma = svd.sigma[c];
      phi[c] = sigma > 0 ? (sigma / (sigma * sigma + mu)) * rho[c] : 0;
    }
  },
  /** The same step from the Gram matrix: w = (JJᵀ + μI)⁻¹r, Δz = Jᵀw. */
  gramWeights(gram: SmallGram, r: Float64Array, rOffset: number, row: number, memory: RowMemory, w: Float64Array): boolean {
    return gram.solveShifted(dampingOf(row, memory), r, rOffset, w);
  },
  judge(row: number, actual: number, predicted: number, memory: RowMemory): Verdict {
    const ratio = predicted > 0 ? actual / predicted : actual > 0 ? 1 : -1;
    if (actual > 0 && ratio > LM_ACCEPT_RATIO) {
      memory.damping[row] *= Math.max(1 / 3, 1 - (2 * ratio - 1) ** 3);
      memory.growth[row] = 2;
      return 'accept';
    }
    memory.damping[row] *= memory.growth[row];
    memory.growth[row] *= 2;
    const sigmaMax = sigmaMaxOf(row, memory);
    return memory.damping[row] > LM_MAX_DAMPING_RTOL * sigmaMax * sigmaMax ? 'give-up' : 'reject';
  },
};

/** μ of the row, initialised to LM_INITIAL_DAMPING_RTOL·σ_max² at its first step. */
function dampingOf(row: number, memory: RowMemory): number {
  if (Number.isNaN(memory.damping[row])) {
    const sigmaMax = sigmaMaxOf(row, memory);
    memory.damping[row] = LM_INITIAL_DAMPING_RTOL * sigmaMax * sigmaMax;
  }
  return memory.damping[row];
}
