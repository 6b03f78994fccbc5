// The third layer of bound tightening: each still-unstable neuron's pre-activation minimized and
// maximized over the LP relaxation of the big-M MILP of the neurons before it (OMLT/OBBT-style
// "optimization-based bound tightening"), depth by depth, with back-substitution re-run for each
// depth on the bounds tightened so far. The LP relaxation contains the triangle relaxation of every
// earlier neuron, so it is never looser than back-substitution and often much tighter in depth ≥ 2.
// LP optima are widened by LP_PAD (relative) for HiGHS's feasibility tolerances.
import type { Bounds } from '../model/index.ts';
import { BackSubstitution, intervalBound, stabilityCounts, outputBounds, type NeuronBounds } from './bounds.ts';
import { encodeNetwork } from './milp.ts';
import type { PwlNetwork } from './network.ts';
import type { PreparedNetwork } from './questions.ts';
import type { MilpSolver, SparseObjective } from './solver.ts';

/** Relative widening of LP bounds (HiGHS's primal/dual feasibility tolerances are 1e-7). */
const LP_PAD = 1e-6;

/**
 * Presolve off: HiGHS would otherwise presolve the LP again for every objective and lose the warm
 * basis of the previous one (measured: the LPs of the bench nets run 2–5× faster without it).
 */
const LP_HIGHS_OPTIONS = { presolve: 'off' };

/** Depth of every neuron: 1 + the largest depth among the neurons its pre-activation uses (inputs: 0). */
export function neuronDepths(network: PwlNetwork): Int32Array {
  const n = network.inputCount;
  const depth = new Int32Array(network.pre.length);
  for (let k = 0; k < network.pre.length; k++) {
    let d = 0;
    for (const v of network.pre[k].index) if (v >= n) d = Math.max(d, depth[v - n]);
    depth[k] = d + 1;
  }
  return depth;
}

/** Tighten the prepared network's neuron bounds with LPs, in place; returns the number of LPs solved. */
export async function tightenWithLp(prepared: PreparedNetwork, solver: MilpSolver): Promise<number> {
  const start = Date.now();
  const { network, box, bounds } = prepared;
  const depth = neuronDepths(network);
  const maxDepth = depth.reduce((a, b) => Math.max(a, b), 0);
  const back = new BackSubstitution(network);
  let lps = 0;
  for (let d = 2; d <= maxDepth; d++) {
    const members: number[] = [];
    for (let k = 0; k < depth.length; k++) if (depth[k] === d) members.push(k);
    // Back-substitution again, on the bounds tightened at the depths before.
    for (const k of members) refine(network, box, bounds, back, k);
    const unstable = members.filter((k) => bounds.lower[k] < 0 && bounds.upper[k] > 0);
    if (unstable.length === 0) continue;
    const prefix = Math.max(...unstable);
    const sub: PwlNetwork = { inputCount: network.inputCount, pre: network.pre.slice(0, prefix), outputs: [] };
    const subBounds: NeuronBounds = { lower: bounds.lower.subarray(0, prefix), upper: bounds.upper.subarray(0, prefix) };
    const problem = encodeNetwork(sub, box, subBounds).builder.build();
    const objectives: SparseObjective[] = [];
    for (const k of unstable) {
      const { index, coef } = network.pre[k];
      objectives.push({ index, coef }, { index, coef: coef.map((c) => -c) });
    }
    const values = await solver.minimizeEach(problem, objectives, { highs: LP_HIGHS_OPTIONS });
    lps += objectives.length;
    unstable.forEach((k, u) => {
      const constant = network.pre[k].constant;
      const low = values[2 * u] + constant, high = -values[2 * u + 1] + constant;
      if (Number.isFinite(low)) bounds.lower[k] = Math.max(bounds.lower[k], low - LP_PAD * (1 + Math.abs(low)));
      if (Number.isFinite(high)) bounds.upper[k] = Math.min(bounds.upper[k], high + LP_PAD * (1 + Math.abs(high)));
    });
  }
  const out = outputBounds(network, box, bounds);
  prepared.outputLower = out.lower;
  prepared.outputUpper = out.upper;
  prepared.neurons = { total: network.pre.length, ...stabilityCounts(bounds) };
  prepared.seconds += (Date.now() - start) / 1000;
  return lps;
}

function refine(network: PwlNetwork, box: Bounds, bounds: NeuronBounds, back: BackSubstitution, k: number): void {
  const [a, b] = intervalBound(network.pre[k], network.inputCount, box, bounds);
  const [c, d] = back.bound(network.pre[k], box, bounds);
  const low = Math.max(a, c), high = Math.min(b, d);
  const pad = 1e-12 * (1 + Math.max(Math.abs(low), Math.abs(high)));
  bounds.lower[k] = Math.max(bounds.lower[k], low - pad);
  bounds.upper[k] = Math.min(bounds.upper[k], high + pad);
}
