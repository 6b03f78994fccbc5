// Target-conditioned bound tightening: neuron bounds valid for every x in the box whose outputs lie
// in a target's band (low ≤ f(x) ≤ high) and, optionally, whose objective is at most a cutoff. Each
// round minimizes and maximizes every still-unstable neuron's pre-activation over the LP relaxation
// of the exact MILP plus the band rows (and the cutoff row), warm-started in one HiGHS model, then
// re-encodes with the tighter bounds (smaller big-M, more neurons fixed) for the next round. The
// band cuts the feasible set down to a thin slice of the box, so many neurons undecided over the
// whole box have one sign on it: each fixed neuron is a binary less in that target's MILP. If the
// LP relaxation itself is infeasible, no x in the box meets the band (LP relaxation ⊇ exact MILP).
import type { Bounds } from '../model/index.ts';
import { stabilityCounts, type NeuronBounds } from './bounds.ts';
import { encodeNetwork, type MilpBuilder, type MilpProblem } from './milp.ts';
import { evaluateAffine, evaluateVariables, type PwlNetwork } from './network.ts';
import type { MilpSolver, SparseObjective } from './solver.ts';

/** Relative widening of LP optima (HiGHS's primal/dual feasibility tolerances are 1e-7), as tighten-lp.ts. */
const LP_PAD = 1e-6;

/** A neuron counts as positive (negative) at the LP point beyond this fraction of its bound width. */
const SIGN_MARGIN = 1e-6;

/** Extra rows a question adds to the network's MILP (band, objective columns, cutoff). */
export type AddRows = (builder: MilpBuilder) => void;

export interface TargetBounds {
  /** Neuron bounds valid on the band (a fresh copy; the box-wide bounds are not changed). */
  bounds: NeuronBounds;
  /** True when HiGHS proved the LP relaxation with the band rows infeasible. */
  infeasible: boolean;
  /** Unstable neurons before the first round and after each round. */
  unstable: number[];
  lps: number;
  seconds: number;
}

/** The LP relaxation (integrality dropped) of a MILP problem. */
export function relaxation(problem: MilpProblem): MilpProblem {
  return { ...problem, integrality: new Int32Array(problem.numCols) };
}

/**
 * Tighten `bounds` (box-wide, sound) to the set {x in box : rows of addRows hold}, in at most
 * `rounds` rounds; stops early when a round fixes no neuron. `member`, an input point known to lie in
 * the set (e.g. a feasible incumbent under its own cutoff), spares the LP that finds one per round;
 * no new round starts once `secondsBudget` has passed (the result then depends on timing). Sound: an LP optimum over a relaxation
 * of that set bounds every point of it, widened by LP_PAD; a bound is only ever made tighter.
 */
export async function tightenForTarget(network: PwlNetwork, box: Bounds, bounds: NeuronBounds, addRows: AddRows, solver: MilpSolver, rounds: number, member?: ArrayLike<number>, secondsBudget = Infinity): Promise<TargetBounds> {
  const start = performance.now();
  const current: NeuronBounds = { lower: bounds.lower.slice(), upper: bounds.upper.slice() };
  const unstableCounts = [stabilityCounts(current).unstable];
  const memberValues = member ? evaluateVariables(network, member) : null;
  let lps = 0;
  for (let round = 0; round < rounds; round++) {
    if (round > 0 && (performance.now() - start) / 1000 >= secondsBudget) break;
    const encoding = encodeNetwork(network, box, current);
    addRows(encoding.builder);
    const problem = relaxation(encoding.builder.build());
    // A point of the set: the caller's member (then the set is not empty), else the relaxation's.
    let point = memberValues;
    if (!point) {
      const lp = await solver.solve({ ...problem, colCost: new Float64Array(problem.numCols), offset: 0 });
      lps++;
      if (lp.status === 'infeasible') return { bounds: current, infeasible: true, unstable: unstableCounts, lps, seconds: (performance.now() - start) / 1000 };
      point = lp.x;
    }
    // A neuron can only be fixed to a sign it has on the whole set; the relaxation's point p lies in
    // it, so where pre_k(p) is clearly positive only the minimum can fix the neuron (to active), where
    // clearly negative only the maximum: one LP per neuron instead of two (SIDES_AT_POINT).
    const unstable: number[] = [], sides: number[] = [];
    const objectives: SparseObjective[] = [];
    for (let k = 0; k < network.pre.length; k++) {
      if (!(current.lower[k] < 0 && current.upper[k] > 0)) continue;
      const { index, coef } = network.pre[k];
      const value = point ? evaluateAffine(network.pre[k], point) : 0;
      const margin = SIGN_MARGIN * (current.upper[k] - current.lower[k]);
      const side = value > margin ? 1 : value < -margin ? -1 : 0; // 1: minimize only, −1: maximize only, 0: both
      unstable.push(k);
      sides.push(side);
      if (side >= 0) objectives.push({ index, coef });
      if (side <= 0) objectives.push({ index, coef: coef.map((c) => -c) });
    }
    if (unstable.length === 0) break;
    const values = await solver.minimizeEach(problem, objectives);
    lps += objectives.length;
    let o = 0;
    unstable.forEach((k, u) => {
      const constant = network.pre[k].constant;
      const low = sides[u] >= 0 ? values[o++] + constant : NaN;
      const high = sides[u] <= 0 ? -values[o++] + constant : NaN;
      const newLower = Number.isFinite(low) ? Math.max(current.lower[k], low - LP_PAD * (1 + Math.abs(low))) : current.lower[k];
      const newUpper = Number.isFinite(high) ? Math.min(current.upper[k], high + LP_PAD * (1 + Math.abs(high))) : current.upper[k];
      // Crossed bounds only arise from tolerances on a (nearly) empty set: keep the looser pair.
      if (newLower <= newUpper) { current.lower[k] = newLower; current.upper[k] = newUpper; }
    });
    const after = stabilityCounts(current).unstable;
    const fixed = unstableCounts[unstableCounts.length - 1] - after;
    unstableCounts.push(after);
    if (fixed === 0) break;
  }
  return { bounds: current, infeasible: false, unstable: unstableCounts, lps, seconds: (performance.now() - start) / 1000 };
}
