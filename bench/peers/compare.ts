// The comparison of one inversa figure with one peer figure: the ratio, which way it reads, and
// whether the target was met. One rule for every suite so that "ratio > 1" always means
// "inversa is better" (faster, higher throughput, or under budget), whatever the unit.
import type { BenchLine, PeerFigure, PeerKind } from '../types.ts';

/** Which direction of a unit is better: times and memory are better lower, throughput higher. */
export type Better = 'lower' | 'higher';

const LOWER_IS_BETTER = new Set(['ms', 's', 'MiB', 'GiB', 'bytes']);
const HIGHER_IS_BETTER = new Set(['samples/s', 'points/s', 'targets/s']);

/** The better direction of `unit`; an unknown unit is an error rather than a guess. */
export function betterDirection(unit: string): Better {
  if (LOWER_IS_BETTER.has(unit)) return 'lower';
  if (HIGHER_IS_BETTER.has(unit)) return 'higher';
  throw new Error(`bench: unknown unit '${unit}'; known: ${[...LOWER_IS_BETTER, ...HIGHER_IS_BETTER].join(', ')}`);
}

/**
 * inversa's advantage over the peer, > 1 when inversa is better:
 * peer / ours for lower-is-better units, ours / peer for higher-is-better units.
 */
export function advantageRatio(value: number, peerValue: number, better: Better): number {
  return better === 'lower' ? peerValue / value : value / peerValue;
}

/** The sentence that says how `ratio` was computed and which way it reads. */
export function ratioMeaning(better: Better, peerKind: PeerKind): string {
  const what = peerKind === 'budget' ? 'budget' : 'peer';
  const gain = peerKind === 'budget' ? 'inversa is within budget' : 'inversa is faster';
  return better === 'lower'
    ? `${what} value / inversa value (> 1: ${gain})`
    : `inversa value / ${what} value (> 1: ${gain})`;
}

/** An extra pass/fail condition of a target besides the ratio, e.g. "≥ 99.9% solved". */
export interface TargetCondition {
  description: string;
  met: boolean;
}

export interface Target {
  /** The target in words, e.g. '≥ 5× faster than PyTorch's 20-iteration Gauss–Newton'. */
  text: string;
  /** The ratio the line must reach or exceed (inversa's advantage as defined by `advantageRatio`). */
  ratio: number;
  conditions?: TargetCondition[];
}

export interface PeerSide {
  peer: string;
  value: number | null;
  unit: string;
  kind: PeerKind;
}

export type Comparison = Pick<BenchLine, 'peer' | 'peerValue' | 'peerKind' | 'ratio' | 'ratioMeaning' | 'target' | 'targetRatio' | 'met'>;

/**
 * The peer fields of a bench line. `value` is ours in `unit`; the peer must be in the same unit.
 * Without a peer value (peer unavailable) the ratio and `met` are null; without a target `met` is
 * null. `met` uses the unrounded ratio; the printed ratio is rounded to 3 significant digits.
 */
export function compareToPeer(value: number, unit: string, peer: PeerSide | undefined, target?: Target): Comparison {
  if (!peer) {
    return { peer: null, peerValue: null, peerKind: 'none', ratio: null, ratioMeaning: null, target: target?.text ?? null, targetRatio: target?.ratio ?? null, met: null };
  }
  if (peer.unit !== unit) throw new Error(`bench: peer '${peer.peer}' is in ${peer.unit} but the line is in ${unit}`);
  const better = betterDirection(unit);
  const usable = peer.value !== null && Number.isFinite(peer.value) && peer.value > 0 && Number.isFinite(value) && value > 0;
  const ratio = usable ? advantageRatio(value, peer.value as number, better) : null;
  let met: boolean | null = null;
  if (target && ratio !== null) {
    met = ratio >= target.ratio && (target.conditions ?? []).every((condition) => condition.met);
  }
  return {
    peer: peer.peer,
    peerValue: peer.value,
    peerKind: usable ? peer.kind : 'unavailable',
    ratio: ratio === null ? null : roundSignificant(ratio, 3),
    ratioMeaning: ratioMeaning(better, peer.kind),
    target: target ? describeTarget(target) : null,
    targetRatio: target?.ratio ?? null,
    met,
  };
}

/** The target's words plus its extra conditions, e.g. '≥ 5× … and ≥ 99.9% solved'. */
function describeTarget(target: Target): string {
  const conditions = (target.conditions ?? []).map((condition) => condition.description);
  return [target.text, ...conditions].join(' and ');
}

export function roundSignificant(value: number, digits: number): number {
  return Number(value.toPrecision(digits));
}

/**
 * The peer fields of a line compared with a PyTorch figure (measured or published, see
 * BenchContext.pytorch), plus where the figure came from and — when a measured figure has a
 * published one beside it — the ratio against the published figure too. Without any figure the
 * line names the peer as 'unavailable' with no ratio.
 */
export function compareToPytorch(value: number, unit: string, figure: PeerFigure | undefined, unavailablePeer: string, target?: Target): Comparison & Record<string, unknown> {
  if (!figure) {
    return { ...compareToPeer(value, unit, { peer: unavailablePeer, value: null, unit, kind: 'unavailable' }, target), peerSource: 'PyTorch not available here and no published figure' };
  }
  const comparison = compareToPeer(value, unit, { peer: figure.peer, value: figure.value, unit: figure.unit, kind: figure.kind }, target);
  const extras: Record<string, unknown> = { peerSource: figure.source };
  if (figure.publishedValue !== undefined) {
    extras.publishedPeerValue = figure.publishedValue;
    extras.ratioVsPublished = roundSignificant(advantageRatio(value, figure.publishedValue, betterDirection(unit)), 3);
  }
  if (figure.details && Object.keys(figure.details).length > 0) extras.peerDetails = figure.details;
  return { ...comparison, ...extras };
}
