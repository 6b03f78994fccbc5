// The Inverse panel's status line: at most two sentences, read off the re-simulated numbers, never
// claiming "unreachable"; unknown solver statuses are shown as written.
import { describe, expect, it } from 'vitest';
import type { ModelInfo, SolutionView, SolveResponse } from '../../web/src/protocol.ts';
import { statusText, summarize } from '../../web/src/ui/inverse-panel.ts';

const model = { outputNames: ['a', 'b'], inputNames: ['p', 'q', 'r'] } as unknown as ModelInfo;
const solution = (within: boolean[], extra: Partial<SolutionView> = {}): SolutionView => ({
  x: [0, 0, 0], y: [0, 0], residual: [0, 0], residualNorm: within.every(Boolean) ? 1e-12 : 0.5, withinTolerance: within, tolerance: [1e-3, 1e-3],
  status: 'converged', message: '', iterations: 3, singularValues: [1, 1], rank: 2, condRaw: 1, condStandardized: 1, activeBounds: [], objective: null,
  criterionValue: 0, inTrainingRange: true, rangeBasis: 'the operating box', history: { iteration: [], residual: [] }, ...extra,
});
const response = (solutions: SolutionView[], startsRun: number): SolveResponse => ({ best: solutions[0], solutions, criterion: 'cost c·x', startsRun, warnings: [], elapsedMs: 1 });
const sentences = (text: string) => text.split(/(?<=\.)\s+(?=[A-Z])/).length;

describe('summarize', () => {
  it('all targets met, several solutions: names the criterion, two sentences', () => {
    const { text, kind } = summarize(response([solution([true, true]), solution([true, true]), solution([false, true])], 8), model);
    expect(text).toBe('Found inputs whose re-simulated outputs meet all 2 targets within tolerance. 3 distinct points found (2 meet the targets); shown first: the matching one with the lowest cost c·x.');
    expect(kind).toBe('ok');
  });
  it('one start: does not claim all starts agreed', () => {
    const { text } = summarize(response([solution([true, true])], 1), model);
    expect(text).toContain('One start only, so no other solutions were looked for.');
    expect(text).not.toMatch(/all .* starts/i);
  });
  it('a miss is "not reached", never "unreachable"', () => {
    const { text, kind } = summarize(response([solution([true, false], { status: 'not-reached' })], 8), model);
    expect(text).toMatch(/^Not reached: 1 of 2 outputs miss their target after 8 starts/);
    expect(text).toContain('does not prove the target unreachable');
    expect(kind).toBe('warn');
    expect(sentences(text)).toBeLessThanOrEqual(2);
  });
  it('extrapolation is said in the second sentence; unknown training range is not called "outside"', () => {
    const outside = summarize(response([solution([true, true], { inTrainingRange: false })], 4), model);
    expect(outside.text).toContain('x lies outside the training range');
    expect(outside.kind).toBe('warn');
    expect(sentences(outside.text)).toBe(2);
    expect(summarize(response([solution([true, true], { inTrainingRange: null })], 4), model).text).not.toContain('outside');
  });
});

describe('statusText', () => {
  it('words for known statuses, the raw string for new ones', () => {
    expect(statusText('not-reached')).toMatch(/not proven unreachable/);
    expect(statusText('certified-optimal')).toBe('certified-optimal (solver status)');
  });
});
