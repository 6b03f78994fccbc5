// The one-line summary of a solve call names every status that occurred, certified ones included,
// so "0 of 2 converged" never stands alone beside certified optimal / infeasible answers.
import { describe, expect, it } from 'vitest';
import { summaryMessage } from '../../src/solve/solve.ts';
import { emptyCounts } from '../../src/solve/result.ts';
import type { SolveSummary } from '../../src/solve/solve.ts';

function summaryWith(counts: Partial<ReturnType<typeof emptyCounts>>): SolveSummary {
  const all = { ...emptyCounts(), ...counts };
  const targets = Object.values(all).reduce((sum, count) => sum + count, 0);
  return { method: 'lm', targets, startsPerTarget: 1, counts: all, medianResidual: 0.5, maxResidual: 1, evaluations: { f: 0, jacobian: 0 }, seconds: 0 } as SolveSummary;
}

describe('summaryMessage', () => {
  it('counts certified optimal and proven infeasible targets', () => {
    const text = summaryMessage(summaryWith({ optimal: 1, infeasible: 1 }), [1, 16]);
    expect(text).toMatch(/^lm: 0 of 2 target\(s\) converged, 1 certified optimal, 1 proven infeasible in the box, 1 needed more starts \(15 extra in all\)/);
  });

  it('says nothing of certification when no target was certified', () => {
    const text = summaryMessage(summaryWith({ converged: 3 }), [1, 1, 1]);
    expect(text).toBe('lm: 3 of 3 target(s) converged; median ‖f(x) − y*‖ = 5.00e-1');
  });
});
