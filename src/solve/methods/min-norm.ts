// The minimum-norm step of seed 000 §4: one linearized step x = x0 + J(x0)⁺(y* − f(x0)), relative
// cutoff on σ. Exact for a linear model started at 0 (it is then the minimum-norm solution A⁺(y* − b));
// for a nonlinear model it is one Gauss–Newton step without a line search, reported as such.
import { StopReason } from '../state.ts';
import type { RowMemory, StepRule, Verdict } from '../iterate.ts';
import type { SmallSvd } from '../small-svd.ts';
import { pseudoInverseFilter, pseudoInverseGramWeights } from './gauss-newton.ts';

export function minimumNorm(rtol: number): StepRule {
  return {
    giveUpReason: StopReason.SingleStep,
    singleStep: true,
    filter(svd: SmallSvd, rho: Float64Array, _row: number, _memory: RowMemory, phi: Float64Array): void {
      pseudoInverseFilter(svd, rho, rtol, phi);
    },
    gramWeights: pseudoInverseGramWeights,
    judge(): Verdict {
      return 'accept';
    },
  };
}
