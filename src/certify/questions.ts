// Questions answered globally over the input box, each with a certificate record:
//   • reachableRange: min and max of every output (2m MILPs);
//   • certifyTarget: is there an x in the box with every output inside its band — as a pure
//     feasibility question, or minimizing a linear cost cᵀx, or the L1 / L∞ distance to a reference
//     (in scaled input units).
// A band lying outside the sound output bounds of bounds.ts is infeasible without any MILP (proof
// by bound propagation). Everything else is one MILP of milp.ts solved by HiGHS — for a target
// optionally after bound tightening on the target's band (target-bounds.ts; an infeasible LP
// relaxation is then itself the proof) and with an objective cutoff at a known feasible point.
import type { Bounds } from '../model/index.ts';
import { neuronBounds, outputBounds, stabilityCounts, type NeuronBounds, type TighteningLevel } from './bounds.ts';
import { encodeNetwork, MilpBuilder, startColumns } from './milp.ts';
import { tightenForTarget } from './target-bounds.ts';
import { constantAffine, evaluateNetwork, type PwlNetwork } from './network.ts';
import type { MilpOptions, MilpOutcome, MilpSolver } from './solver.ts';
import { bestPoint } from './incumbent.ts';
import { searchBox, type BoxSearchResult } from './box-search.ts';

/** 'not-certified': the network is not piecewise linear (or not encodable); message says why. */
export type CertificateStatus = 'optimal' | 'infeasible' | 'time-limit' | 'error' | 'not-certified';

/**
 * What a certificate rests on: a MILP solved by HiGHS, HiGHS proving the MILP's LP relaxation
 * infeasible (an infeasibility proof without branching), sound bounds alone, or (for a pure
 * reachability question) a witness point at which the Float64 model meets the target.
 */
export type ProofKind = 'milp' | 'lp' | 'bounds' | 'witness' | 'none';

export interface Certificate {
  status: CertificateStatus;
  proof: ProofKind;
  /** Objective of the best point found (NaN without one). */
  objective: number;
  /** Proven bound on the objective (lower for a minimum, upper for a maximum). */
  bound: number;
  /** Relative gap |objective − bound| / max(1, |objective|); 0 or tiny when optimal; NaN when infeasible. */
  gap: number;
  /** The MILP's point (inputs), or null. */
  x: Float64Array | null;
  seconds: number;
  nodes: number;
  /** Binaries in the MILP (unstable neurons). */
  binaries: number;
  message: string;
}

/** The network with its bounds over one box: build once, ask many questions. */
export interface PreparedNetwork {
  network: PwlNetwork;
  box: Bounds;
  bounds: NeuronBounds;
  /** Sound bounds of every output over the box. */
  outputLower: Float64Array;
  outputUpper: Float64Array;
  neurons: { total: number; active: number; inactive: number; unstable: number };
  /** Seconds spent on bound tightening. */
  seconds: number;
}

export function prepareNetwork(network: PwlNetwork, box: Bounds, level: TighteningLevel = 'symbolic'): PreparedNetwork {
  const start = Date.now();
  for (let j = 0; j < network.inputCount; j++) {
    if (!Number.isFinite(box.lower[j]) || !Number.isFinite(box.upper[j]) || box.lower[j] > box.upper[j]) {
      throw new RangeError(`certification needs a finite box; input ${j + 1} has [${box.lower[j]}, ${box.upper[j]}]`);
    }
  }
  const bounds = neuronBounds(network, box, level);
  const out = outputBounds(network, box, bounds);
  const counts = stabilityCounts(bounds);
  return { network, box, bounds, outputLower: out.lower, outputUpper: out.upper, neurons: { total: network.pre.length, ...counts }, seconds: (Date.now() - start) / 1000 };
}

export function notCertified(reason: string): Certificate {
  return { status: 'not-certified', proof: 'none', objective: NaN, bound: NaN, gap: NaN, x: null, seconds: 0, nodes: 0, binaries: 0, message: `no certificate: ${reason}` };
}

function certificateOf(outcome: MilpOutcome, n: number, binaries: number, what: string): Certificate {
  if (binaries === 0 && outcome.status === 'optimal') {
    // No binary left: HiGHS solved an LP, whose optimum is exact (it reports no MIP dual bound or nodes).
    outcome = { ...outcome, bound: outcome.objective, gap: 0, nodes: 0 };
  }
  const x = outcome.x ? outcome.x.slice(0, n) : null;
  const text = outcome.status === 'optimal' ? `${what}: optimal (HiGHS ${binaries === 0 ? 'LP: no ReLU unit left undecided' : 'branch-and-bound'}, gap ${fmt(outcome.gap)})`
    : outcome.status === 'infeasible' ? `${what}: infeasible — HiGHS proved no point of the box satisfies it (within its feasibility tolerance 1e-7 on scaled rows)`
      : outcome.status === 'time-limit' ? `${what}: stopped at the time limit; best ${x ? fmt(outcome.objective) : 'none'}, proven bound ${fmt(outcome.bound)}`
        : `${what}: ${outcome.message}`;
  return { status: outcome.status, proof: 'milp', objective: outcome.objective, bound: outcome.bound, gap: outcome.gap, x, seconds: outcome.seconds, nodes: outcome.nodes, binaries, message: text };
}

function fmt(value: number): string {
  return Number.isFinite(value) ? value.toPrecision(6) : String(value);
}

export interface RangeEntry {
  output: number;
  min: Certificate;
  max: Certificate;
}

/** Min and max of each output over the box (outputs: which ones, default all). */
export async function reachableRange(prepared: PreparedNetwork, solver: MilpSolver, options: MilpOptions & { outputs?: number[] } = {}): Promise<RangeEntry[]> {
  const { network, box, bounds } = prepared;
  const outputs = options.outputs ?? network.outputs.map((_, i) => i);
  const entries: RangeEntry[] = [];
  // Candidates for the starting point: sampled points, then every MILP optimum found so far.
  const candidates = samplePoints(box, RANGE_SAMPLES);
  const starts = ascentStarts(network);
  for (const i of outputs) {
    const results: Certificate[] = [];
    for (const sense of ['minimize', 'maximize'] as const) {
      const sign = sense === 'maximize' ? 1 : -1;
      const what = `${sense === 'minimize' ? 'minimum' : 'maximum'} of output ${i + 1}`;
      // Start from a good feasible point (local ascent from the best candidates), so every bound prunes from the first box.
      const start = bestPoint(network, network.outputs[i], sign, box, candidates, starts);
      const search = await searchBox(network, box, bounds, network.outputs[i], sign, start, solver, { ...options, highs: { ...RANGE_HIGHS_OPTIONS, ...options.highs } });
      const certificate = rangeCertificate(search, sign, prepared.neurons.unstable, what);
      if (certificate.x) candidates.push(certificate.x);
      results.push(certificate);
    }
    entries.push({ output: i, min: results[0], max: results[1] });
  }
  return entries;
}

/** Gradient ascents per range question: up to 128, fewer for large networks (about 4e7 multiply-adds in all). */
function ascentStarts(network: PwlNetwork): number {
  let terms = 0;
  for (const expression of network.pre) terms += expression.index.length;
  return Math.max(4, Math.min(128, Math.floor(4e7 / (400 * Math.max(1, terms)))));
}

/** The certificate of one range question answered by searchBox (values back in the output's sign). */
function rangeCertificate(search: BoxSearchResult, sign: 1 | -1, binaries: number, what: string): Certificate {
  const objective = sign * search.value, bound = sign * search.bound;
  const gap = Math.abs(search.bound - search.value) / Math.max(1, Math.abs(search.value));
  const how = `${search.boxes === 1 ? 'the whole box' : `${search.boxes} sub-boxes of the input box`}: ${search.boundPruned} discarded by sound bounds, ${search.lpPruned} by an infeasible LP relaxation, ${search.milps} solved by HiGHS branch-and-bound`;
  const message = search.status === 'optimal' ? `${what}: optimal (${how}; gap ${fmt(gap)})`
    : `${what}: ${search.status === 'time-limit' ? 'stopped at the time limit' : search.message}; best ${fmt(objective)}, proven bound ${fmt(bound)} (${how})`;
  // Without any LP or MILP the answer rests on the sound bounds alone (every sub-box bounded by the best value found).
  return { status: search.status, proof: search.milps + search.lpPruned > 0 ? 'milp' : 'bounds', objective, bound, gap, x: search.x, seconds: search.seconds, nodes: search.nodes, binaries, message };
}

/**
 * HiGHS settings for the range MILPs, measured on the bench nets (bench/suites/certify.ts): the
 * sub-MIP heuristics RINS and RENS and the root restarts took most of the time of these small
 * MILPs (WebAssembly makes every sub-MIP's set-up costly), and presolve found almost nothing to
 * remove after bound tightening. They change only how HiGHS searches, never the gap it proves.
 */
const RANGE_HIGHS_OPTIONS = { mip_heuristic_run_rins: false, mip_heuristic_run_rens: false, mip_allow_restart: false, presolve: 'off' };

/** Sampled points for the range questions (the best ones start the local ascent). */
const RANGE_SAMPLES = 256;

/** Deterministic spread of points in the box (centre, then a Kronecker sequence). */
export function samplePoints(box: Bounds, count: number): Float64Array[] {
  const n = box.lower.length;
  const points: Float64Array[] = [];
  for (let p = 0; p < count; p++) {
    const x = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const t = p === 0 ? 0.5 : (p * Math.sqrt(2 + j * 7) + 0.5 * j) % 1;
      x[j] = box.lower[j] + t * (box.upper[j] - box.lower[j]);
    }
    points.push(x);
  }
  return points;
}

export type TargetObjective =
  | { kind: 'feasibility' }
  | { kind: 'linear-cost'; prices: Float64Array }
  | { kind: 'l1' | 'linf'; reference: Float64Array; scale: Float64Array };

/** Options of certifyTarget beyond the MILP's. */
export interface TargetOptions extends MilpOptions {
  /**
   * Rounds of target-conditioned bound tightening before the MILP (target-bounds.ts: per-neuron
   * LPs with the band rows, so neurons undecided over the box but of one sign on the band need no
   * binary); 0 = none (default). With a timeLimit, no new round starts after half of it.
   */
  tightenRounds?: number;
  /**
   * A point of the box believed to meet the band (e.g. the local solver's answer). If the network
   * confirms it does, HiGHS starts from it and the objective is cut off at its value (plus a 1e-7
   * relative slack): the optimum is never worse than a feasible point, so the cutoff removes no
   * optimal point. Should the cut-off problem still come out infeasible (tolerances), the question is
   * asked again without the cutoff: a cutoff never turns a feasible target into 'infeasible'.
   */
  incumbent?: ArrayLike<number>;
}

/**
 * HiGHS's MIP feasibility tolerance for target MILPs: at its default (1e-6) HiGHS prunes nodes within
 * that tolerance of the incumbent and reported 'optimal' with gaps near 1e-6 here; 1e-9 closes them.
 */
const TARGET_MIP_FEASIBILITY = 1e-9;

/** Relative slack of the objective cutoff above the incumbent's value (HiGHS's row tolerance is 1e-7). */
const CUTOFF_RTOL = 1e-7;

/** Objective value of an input point, as the MILP of certifyTarget measures it. */
export function targetObjectiveValue(objective: TargetObjective, x: ArrayLike<number>): number {
  let total = 0;
  if (objective.kind === 'linear-cost') for (let j = 0; j < x.length; j++) total += objective.prices[j] * x[j];
  else if (objective.kind === 'l1') for (let j = 0; j < x.length; j++) total += Math.abs(x[j] - objective.reference[j]) / objective.scale[j];
  else if (objective.kind === 'linf') for (let j = 0; j < x.length; j++) total = Math.max(total, Math.abs(x[j] - objective.reference[j]) / objective.scale[j]);
  return total;
}

/** Does x lie in the box and the network's outputs at x in the band? */
function meetsBand(network: PwlNetwork, box: Bounds, x: ArrayLike<number>, low: ArrayLike<number>, high: ArrayLike<number>): boolean {
  if (x.length !== network.inputCount) return false;
  for (let j = 0; j < x.length; j++) if (!(x[j] >= box.lower[j] && x[j] <= box.upper[j])) return false;
  const y = evaluateNetwork(network, x);
  for (let i = 0; i < y.length; i++) if (!(y[i] >= low[i] && y[i] <= high[i])) return false;
  return true;
}

/**
 * The question's rows on top of the network's MILP: the band, the objective's columns and costs,
 * and (with a cutoff) objective ≤ cutoff. Returns the question's name and a function filling the
 * objective's columns of a start vector at an input point.
 */
function addQuestion(builder: MilpBuilder, network: PwlNetwork, low: ArrayLike<number>, high: ArrayLike<number>, objective: TargetObjective, cutoff: number | null): { what: string; fill: (columns: Float64Array, x: ArrayLike<number>) => void } {
  const n = network.inputCount, m = network.outputs.length;
  for (let i = 0; i < m; i++) {
    if (low[i] === -Infinity && high[i] === Infinity) continue;
    builder.addExpressionRow(network.outputs[i], low[i], high[i]);
  }
  const costIndex: number[] = [], costValue: number[] = [];
  const cost = (column: number, value: number) => { builder.addCost(column, value); costIndex.push(column); costValue.push(value); };
  let what = 'target';
  let fill: (columns: Float64Array, x: ArrayLike<number>) => void = () => {};
  if (objective.kind === 'linear-cost') {
    what = 'cheapest input reaching the target';
    for (let j = 0; j < n; j++) cost(j, objective.prices[j]);
  } else if (objective.kind === 'l1' || objective.kind === 'linf') {
    what = `input nearest the reference (${objective.kind === 'l1' ? 'L1' : 'L∞'}, scaled units) reaching the target`;
    const { reference, scale } = objective;
    const t = objective.kind === 'linf' ? builder.addColumn(0, Infinity) : -1;
    if (t >= 0) cost(t, 1);
    const columns: number[] = [];
    for (let j = 0; j < n; j++) {
      const d = t >= 0 ? t : builder.addColumn(0, Infinity);
      if (t < 0) cost(d, 1);
      columns.push(d);
      // d ≥ ±(x_j − r_j)/s_j
      builder.addRow([d, j], [1, -1 / scale[j]], -reference[j] / scale[j], Infinity);
      builder.addRow([d, j], [1, 1 / scale[j]], reference[j] / scale[j], Infinity);
    }
    fill = (values, x) => {
      for (let j = 0; j < n; j++) {
        const distance = Math.abs(x[j] - reference[j]) / scale[j];
        values[columns[j]] = t >= 0 ? Math.max(values[columns[j]], distance) : distance;
      }
    };
  } else {
    builder.setObjective(constantAffine(0), 'minimize');
  }
  if (cutoff !== null && costIndex.length > 0) builder.addRow(costIndex, costValue, -Infinity, cutoff);
  return { what, fill };
}

/** Is some x in the box with low_i ≤ f_i(x) ≤ high_i for all i — and the best such x for the objective? */
export async function certifyTarget(prepared: PreparedNetwork, low: ArrayLike<number>, high: ArrayLike<number>, objective: TargetObjective, solver: MilpSolver, options: TargetOptions = {}): Promise<Certificate> {
  const { network, box, outputLower, outputUpper } = prepared;
  const m = network.outputs.length;
  for (let i = 0; i < m; i++) {
    if (low[i] > outputUpper[i] || high[i] < outputLower[i]) {
      return {
        status: 'infeasible', proof: 'bounds', objective: NaN, bound: NaN, gap: NaN, x: null, seconds: 0, nodes: 0, binaries: 0,
        message: `infeasible — output ${i + 1} can only take values in [${fmt(outputLower[i])}, ${fmt(outputUpper[i])}] over the box (sound bound propagation), and the target asks for [${fmt(low[i])}, ${fmt(high[i])}]`,
      };
    }
  }
  const incumbent = objective.kind !== 'feasibility' && options.incumbent && meetsBand(network, box, options.incumbent, low, high) ? Float64Array.from(options.incumbent) : null;
  if (incumbent) {
    const value = targetObjectiveValue(objective, incumbent);
    const cut = await answerTarget(prepared, low, high, objective, solver, options, { x: incumbent, value, cutoff: value + CUTOFF_RTOL * (1 + Math.abs(value)) });
    if (cut.status !== 'infeasible') return cut;
  }
  return answerTarget(prepared, low, high, objective, solver, options, null);
}

/** One attempt of certifyTarget: optional band tightening, then the MILP (with the incumbent's cutoff if given). */
async function answerTarget(prepared: PreparedNetwork, low: ArrayLike<number>, high: ArrayLike<number>, objective: TargetObjective, solver: MilpSolver, options: TargetOptions, incumbent: { x: Float64Array; value: number; cutoff: number } | null): Promise<Certificate> {
  const { network, box } = prepared;
  const n = network.inputCount;
  const { tightenRounds = 0, incumbent: _incumbent, ...milpOptions } = options;
  const cutoff = incumbent ? incumbent.cutoff : null;
  let bounds = prepared.bounds;
  let note = '';
  let seconds = 0;
  if (tightenRounds > 0) {
    const tightened = await tightenForTarget(network, box, bounds, (builder) => { addQuestion(builder, network, low, high, objective, cutoff); }, solver, tightenRounds, incumbent?.x, milpOptions.timeLimit !== undefined ? milpOptions.timeLimit / 2 : Infinity);
    seconds += tightened.seconds;
    const what = addQuestion(new MilpBuilder(), network, low, high, objective, null).what;
    if (tightened.infeasible) {
      return {
        status: 'infeasible', proof: 'lp', objective: NaN, bound: NaN, gap: NaN, x: null, seconds, nodes: 0, binaries: 0,
        message: `${what}: infeasible — HiGHS proved the LP relaxation of the exact MILP with the target's band${cutoff !== null ? ' and the objective cutoff' : ''} infeasible (within its feasibility tolerance 1e-7 on scaled rows), after ${tightened.unstable.length - 1} round(s) of bound tightening on the band`,
      };
    }
    bounds = tightened.bounds;
    note = ` [bounds tightened on the band: ${tightened.unstable.join(' → ')} undecided ReLU units, ${tightened.lps} LPs]`;
  }
  const encoding = encodeNetwork(network, box, bounds);
  const { what, fill } = addQuestion(encoding.builder, network, low, high, objective, cutoff);
  const problem = encoding.builder.build();
  let start: Float64Array | undefined;
  if (incumbent) {
    start = startColumns(network, encoding, incumbent.x, problem.numCols);
    fill(start, incumbent.x);
    note += ` [objective cut off at ${fmt(incumbent.value)}, the local solver's point; HiGHS started from it]`;
  }
  const outcome = await solver.solve(problem, { feasibilityTolerance: TARGET_MIP_FEASIBILITY, ...milpOptions, start });
  const certificate = certificateOf(outcome, n, encoding.binaries, what);
  certificate.seconds += seconds;
  if (incumbent && outcome.status === 'time-limit' && !certificate.x) {
    // The incumbent is a feasible point with the cutoff's value; the MILP's bound holds for every point below the cutoff, hence for the optimum.
    certificate.x = incumbent.x.slice();
    certificate.objective = incumbent.value;
    certificate.gap = Math.abs(incumbent.value - outcome.bound) / Math.max(1, Math.abs(incumbent.value));
  }
  certificate.message += note;
  return certificate;
}
