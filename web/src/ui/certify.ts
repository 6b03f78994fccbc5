// Certified answers on the Inverse panel: the "Prove" result (one certificate per question, HiGHS
// MILP in the numerics worker) and the reachable range of every output over the box. The texts are
// drawn from the certificate's status and the re-simulated numbers beside them, so they never
// contradict: "optimal" only when the polished point meets the target, "unreachable" only with a
// MILP or bound-propagation proof, and an interval bound is called a bound, never a range.
import { formatNumber } from '../parse.ts';
import type { ModelInfo, ProveResponse, ReachOutput, ReachResponse } from '../protocol.ts';
import { el } from './dom.ts';

function gapText(gap: number): string {
  return Number.isFinite(gap) ? gap.toExponential(1) : '—';
}

/** One concise line for a certificate, and the status kind it is shown with. */
export function proveSummary(response: ProveResponse): { text: string; kind: 'ok' | 'warn' | 'error' } {
  const met = response.withinTolerance.every(Boolean);
  const worst = Math.max(...response.residual.map((value, i) => Math.abs(value) / response.tolerance[i]));
  switch (response.certificate) {
    case 'optimal': {
      const proof = response.proof === 'witness' ? 'the point itself is the proof' : `MILP by HiGHS, ${response.binaries} binaries, ${response.nodes} nodes`;
      // The library calls the answer optimal only once lm has polished the MILP's point onto the target.
      if (response.status !== 'optimal') {
        return { text: `The MILP is optimal (gap ${gapText(response.gap)}) but lm could not polish its x onto the target (${response.status}; worst output at ${formatNumber(worst, 3)}× the page's tolerance): the target is reachable, the x below is not certified.`, kind: 'warn' };
      }
      if (!met) {
        return { text: `The MILP is optimal (gap ${gapText(response.gap)}) but the polished x misses the target (worst output at ${formatNumber(worst, 3)}× its tolerance): no certified point.`, kind: 'warn' };
      }
      return { text: `optimal (gap ${gapText(response.gap)}; ${proof}): the polished x below meets every target within tolerance.`, kind: 'ok' };
    }
    case 'infeasible':
      return { text: `provably unreachable in the box (${response.proof === 'bounds' ? 'sound bound propagation' : response.proof === 'lp' ? 'HiGHS: the LP relaxation of the exact MILP is infeasible on the target band' : 'MILP by HiGHS'}): no input within the bounds gives these outputs. x below is the closest point the local solver found.`, kind: 'warn' };
    case 'time-limit':
      return { text: `no certificate: stopped at the time limit (${formatNumber(response.seconds, 3)} s); best proven bound on the objective ${formatNumber(response.bound, 6)}. ${met ? 'The x below meets the targets, optimality unproven.' : 'Reachability unknown.'}`, kind: 'warn' };
    case 'not-certified':
      return { text: `${response.certificateMessage}. The x below is the local answer (${met ? 'meets the targets' : 'not proven unreachable'}).`, kind: 'warn' };
    default:
      return { text: `no certificate: ${response.certificateMessage}`, kind: 'error' };
  }
}

/** The certified point (or closest point) with its re-simulated outputs. */
export function proveTable(response: ProveResponse, model: ModelInfo): HTMLElement {
  const rows = [
    ...model.inputNames.map((name, j) => el('tr', {}, [el('th', { scope: 'row' }, [name]), el('td', { id: `inv-prove-x-${j}`, class: 'number', 'data-value': String(response.x[j]) }, [formatNumber(response.x[j], 8)]), el('td', {}, [model.inputUnits[j] || ''])])),
    ...model.outputNames.map((name, i) => el('tr', {}, [el('th', { scope: 'row' }, [`f(x) ${name}`]), el('td', { id: `inv-prove-y-${i}`, class: 'number', 'data-value': String(response.y[i]) }, [formatNumber(response.y[i], 8)]), el('td', {}, [model.outputUnits[i] || ''])])),
  ];
  return el('table', { id: 'inv-prove-table' }, [
    el('caption', {}, [response.certificate === 'optimal' ? 'Certified x (polished) and f(x) re-simulated' : 'Closest x found locally and f(x) re-simulated']),
    el('tbody', {}, rows),
  ]);
}

/** One output's reachable range (min … max) and what it is: a certified range, proven bounds, or a sound bound. */
export function reachParts(output: ReachOutput): { span: string; label: string } {
  if (output.kind === 'none') return { span: 'unknown', label: '' };
  const span = `${formatNumber(output.min, 6)} … ${formatNumber(output.max, 6)}`;
  if (output.kind === 'bound') return { span, label: 'sound bound, not a range' };
  if (output.minStatus === 'optimal' && output.maxStatus === 'optimal') return { span, label: 'certified range' };
  return { span, label: `proven bounds (min ${output.minStatus}, max ${output.maxStatus})` };
}

/** The table cell's content: the span, then its label on a line of its own. */
export function reachCell(output: ReachOutput): Node[] {
  const { span, label } = reachParts(output);
  return [el('span', {}, [span]), ...(label ? [el('span', { class: 'reach-label muted' }, [` ${label}`])] : [])];
}

export function reachSummary(response: ReachResponse): string {
  const when = `${formatNumber(response.elapsedMs / 1000, 3)} s`;
  if (response.reason === null) return `Reachable ranges over the box, each end a MILP solved by HiGHS (${when}).`;
  const bounded = response.outputs.some((output) => output.kind === 'bound');
  return `No certified range: ${response.reason}. ${bounded ? 'Shown: the sound interval bound of each output over the box; the true range lies inside it.' : 'The model gives no interval bound either.'} (${when})`;
}
