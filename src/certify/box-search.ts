// One range question, max g(x) = sign·f(x) over the input box, by best-first branch and bound on
// the box itself with HiGHS at the leaves. Bisecting an input makes many ReLUs stable and every
// bound of the relaxation tighter, which a big-M MILP over the whole box cannot do: on the 5→24→24→3
// bench net (42 of 48 neurons unstable) the six range MILPs took ≈ 600 branch-and-bound nodes and
// 2.5 s; the search over sub-boxes about 1 s (both measured at load ≈ 2). Each sub-box is
//   • discarded when its sound output bound (interval ∧ back-substitution, bounds.ts) is ≤ the best
//     value found (+ the relative MILP gap, 1e-9; the reported bound keeps it) — nothing in it can
//     beat that value; or
//   • split in two along the input that most unstable first-layer neurons depend on; or, once at most
//     LEAF_UNSTABLE neurons are unstable in it (or the box budget is spent),
//   • solved exactly: the big-M MILP over the sub-box with the row g ≥ best value found; its LP
//     relaxation is tried first, and an infeasible LP or MILP proves the sub-box holds nothing better.
// The answer is the best value at a real point (evaluated in Float64) and a bound that is the
// largest of that value and the leaves' proven MILP bounds: optimal when they agree within the gap.
import type { Bounds } from '../model/index.ts';
import { neuronBounds, outputBounds, stabilityCounts, type NeuronBounds } from './bounds.ts';
import { encodeNetwork, startColumns } from './milp.ts';
import { evaluateAffine, evaluateVariables, type Affine, type PwlNetwork } from './network.ts';
import type { MilpOptions, MilpSolver } from './solver.ts';

/** A sub-box is solved by MILP once at most this many neurons are unstable in it (measured on the bench nets: 4 best for the 5→24→24→3 net, 4–8 alike for the 7→64→64→4). */
export const LEAF_UNSTABLE = 4;
/**
 * Sub-boxes are created only up to MAX_BOXES per question, fewer for large networks (each open box
 * keeps its neuron bounds: about 4e6 numbers in all); then every open box is a leaf. No splitting
 * beyond MAX_SPLIT_INPUTS inputs (bisection cannot shrink a high-dimensional box fast enough).
 */
export const MAX_BOXES = 4096;
export const MAX_SPLIT_INPUTS = 10;

export interface BoxSearchResult {
  status: 'optimal' | 'time-limit' | 'error';
  /** Best g found (at x) and the proven upper bound on g over the box. */
  value: number;
  x: Float64Array;
  bound: number;
  /** Sub-boxes created, discarded by bounds, closed by an infeasible LP relaxation, solved by MILP. */
  boxes: number;
  boundPruned: number;
  lpPruned: number;
  milps: number;
  nodes: number;
  /** Wall-clock seconds of the whole search. */
  seconds: number;
  message: string;
}

interface OpenBox {
  box: Bounds;
  bounds: NeuronBounds;
  /** Sound upper bound of g over the box. */
  upper: number;
  unstable: number;
}

/** max sign·objective over the box, starting from a known point; bounds are sound for the whole box. */
export async function searchBox(network: PwlNetwork, box: Bounds, bounds: NeuronBounds, objective: Affine, sign: 1 | -1, start: { x: Float64Array; value: number }, solver: MilpSolver, options: MilpOptions = {}): Promise<BoxSearchResult> {
  const began = Date.now();
  const n = network.inputCount;
  const values = new Float64Array(n + network.pre.length);
  const g = (x: ArrayLike<number>) => sign * evaluateAffine(objective, evaluateVariables(network, x, values));
  let best = { x: Float64Array.from(start.x), value: start.value };
  let bound = -Infinity, status: BoxSearchResult['status'] = 'optimal', message = '';
  let boxes = 1, boundPruned = 0, lpPruned = 0, milps = 0, nodes = 0;
  const split = n <= MAX_SPLIT_INPUTS;
  const relativeGap = options.relativeGap ?? 1e-9;
  const maxBoxes = Math.max(16, Math.min(MAX_BOXES, Math.floor(4e6 / Math.max(1, network.pre.length))));
  const open: OpenBox[] = [openBox(network, box, bounds, objective, sign, null)];
  while (open.length > 0) {
    let top = 0;
    for (let b = 1; b < open.length; b++) if (open[b].upper > open[top].upper) top = b;
    const item = open[top];
    open[top] = open[open.length - 1];
    open.pop();
    // Best-first: when the largest bound left is within the MILP gap of the best value, so is every box left.
    if (item.upper <= best.value + relativeGap * Math.max(1, Math.abs(best.value))) { boundPruned += 1 + open.length; bound = Math.max(bound, item.upper); break; }
    const centre = Float64Array.from(item.box.lower, (l, j) => 0.5 * (l + item.box.upper[j]));
    const centreValue = g(centre);
    if (centreValue > best.value) best = { x: centre, value: centreValue };
    if (split && item.unstable > LEAF_UNSTABLE && boxes + 2 <= maxBoxes) {
      const j = splitDimension(network, item);
      const middle = 0.5 * (item.box.lower[j] + item.box.upper[j]);
      for (const half of [0, 1]) {
        const child = { lower: Float64Array.from(item.box.lower), upper: Float64Array.from(item.box.upper) };
        if (half === 0) child.upper[j] = middle; else child.lower[j] = middle;
        open.push(openBox(network, child, bounds, objective, sign, item.bounds));
        boxes++;
      }
      continue;
    }
    // Leaf: the exact MILP of the sub-box, asked only for points at least as good as the best so far.
    const encoding = encodeNetwork(network, item.box, item.bounds);
    encoding.builder.setObjective(objective, sign > 0 ? 'maximize' : 'minimize');
    if (sign > 0) encoding.builder.addExpressionRow(objective, best.value, Infinity);
    else encoding.builder.addExpressionRow(objective, -Infinity, -best.value);
    const problem = encoding.builder.build();
    const relaxation = await solver.solve({ ...problem, integrality: new Int32Array(problem.numCols) }, options);
    if (relaxation.status === 'infeasible') { lpPruned++; continue; }
    const inside = best.x.every((v, j) => v >= item.box.lower[j] && v <= item.box.upper[j]);
    const outcome = await solver.solve(problem, inside ? { ...options, start: startColumns(network, encoding, best.x, problem.numCols) } : options);
    milps++;
    nodes += Number.isFinite(outcome.nodes) ? outcome.nodes : 0;
    if (outcome.status === 'infeasible') continue;
    if (outcome.x) {
      const x = Float64Array.from(outcome.x.subarray(0, n), (v, j) => Math.min(item.box.upper[j], Math.max(item.box.lower[j], v)));
      const value = g(x);
      if (value > best.value) best = { x, value };
    }
    if (outcome.status === 'optimal') bound = Math.max(bound, sign * outcome.bound);
    else {
      // A leaf without a proof keeps its proven bound (or the sound box bound) and the question is not optimal.
      bound = Math.max(bound, Number.isFinite(outcome.bound) ? Math.min(item.upper, sign * outcome.bound) : item.upper);
      status = outcome.status === 'time-limit' ? (status === 'error' ? 'error' : 'time-limit') : 'error';
      message = outcome.message;
    }
  }
  bound = Math.max(bound, best.value);
  return { status, value: best.value, x: best.x, bound, boxes, boundPruned, lpPruned, milps, nodes, seconds: (Date.now() - began) / 1000, message };
}

function openBox(network: PwlNetwork, box: Bounds, rootBounds: NeuronBounds, objective: Affine, sign: 1 | -1, parent: NeuronBounds | null): OpenBox {
  let bounds = rootBounds;
  if (parent) {
    // Bounds over the sub-box; the parent's (e.g. LP-tightened) bounds stay valid there, keep the tighter.
    bounds = neuronBounds(network, box);
    for (let k = 0; k < bounds.lower.length; k++) {
      bounds.lower[k] = Math.max(bounds.lower[k], parent.lower[k]);
      bounds.upper[k] = Math.min(bounds.upper[k], parent.upper[k]);
    }
  }
  const limits = outputBounds({ ...network, outputs: [objective] }, box, bounds);
  const raw = sign > 0 ? limits.upper[0] : -limits.lower[0];
  // Widened by a few ulps of its magnitude, like every neuron bound, so rounding never makes it unsound.
  const upper = raw + 1e-12 * (1 + Math.abs(raw));
  return { box, bounds, upper, unstable: stabilityCounts(bounds).unstable };
}

/** The input that the unstable neurons reading inputs directly weigh most (|coefficient| × width). */
function splitDimension(network: PwlNetwork, item: OpenBox): number {
  const n = network.inputCount;
  const weight = new Float64Array(n);
  for (let k = 0; k < network.pre.length; k++) {
    if (!(item.bounds.lower[k] < 0 && item.bounds.upper[k] > 0)) continue;
    const pre = network.pre[k];
    for (let t = 0; t < pre.index.length && pre.index[t] < n; t++) weight[pre.index[t]] += Math.abs(pre.coef[t]);
  }
  let best = 0, bestScore = -1;
  for (let j = 0; j < n; j++) {
    const width = item.box.upper[j] - item.box.lower[j];
    const score = (weight[j] > 0 ? weight[j] : 1e-12) * width;
    if (score > bestScore) { bestScore = score; best = j; }
  }
  return best;
}
