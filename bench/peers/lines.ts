// Completing a suite's line to the printed shape: every key present in a fixed order (null when it
// does not apply), the suite and machine attached. Suites written before the harness knew about
// peer kinds (e.g. an `emit` with peer and peerValue but no peerKind) are labelled 'unlabelled'
// rather than guessed to be measured; a legacy `withinTarget` flag becomes `met`.
import type { BenchLine, CompleteBenchLine, MachineInfo, PeerKind } from '../types.ts';

const FIXED_KEYS = ['name', 'value', 'unit', 'peer', 'peerValue', 'peerKind', 'ratio', 'ratioMeaning', 'target', 'targetRatio', 'met'];

export function completeLine(suite: string, line: BenchLine, machine: MachineInfo): CompleteBenchLine {
  const peerValue = typeof line.peerValue === 'number' ? line.peerValue : null;
  const peerKind: PeerKind = line.peerKind ?? (peerValue !== null ? 'unlabelled' : 'none');
  const met = typeof line.met === 'boolean' ? line.met : typeof line.withinTarget === 'boolean' ? line.withinTarget : null;
  const extras: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(line)) {
    if (!FIXED_KEYS.includes(key) && key !== 'suite' && key !== 'machine' && key !== 'withinTarget') extras[key] = value;
  }
  return {
    suite,
    name: line.name,
    value: line.value,
    unit: line.unit,
    peer: line.peer ?? null,
    peerValue,
    peerKind,
    ratio: typeof line.ratio === 'number' ? line.ratio : null,
    ratioMeaning: line.ratioMeaning ?? null,
    target: line.target ?? null,
    targetRatio: typeof line.targetRatio === 'number' ? line.targetRatio : null,
    met,
    ...extras,
    machine,
  };
}
