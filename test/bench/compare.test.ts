// The comparison rule of every bench line: ratio > 1 means inversa is better whatever the unit,
// `met` follows the target ratio and its extra conditions, and a missing peer gives no ratio.
import { describe, expect, it } from 'vitest';
import { advantageRatio, betterDirection, compareToPeer, compareToPytorch, ratioMeaning } from '../../bench/peers/compare.ts';
import type { PeerFigure } from '../../bench/types.ts';

describe('ratio direction', () => {
  it('times and memory are better lower, throughput higher; unknown units are refused', () => {
    expect(betterDirection('ms')).toBe('lower');
    expect(betterDirection('s')).toBe('lower');
    expect(betterDirection('MiB')).toBe('lower');
    expect(betterDirection('samples/s')).toBe('higher');
    expect(() => betterDirection('furlongs')).toThrow(/unknown unit 'furlongs'/);
  });

  it('a time half the peer\'s is a ratio of 2; a throughput half the peer\'s is 0.5', () => {
    expect(advantageRatio(50, 100, 'lower')).toBe(2);
    expect(advantageRatio(50, 100, 'higher')).toBe(0.5);
  });

  it('says which way the ratio reads', () => {
    expect(ratioMeaning('lower', 'measured')).toBe('peer value / inversa value (> 1: inversa is faster)');
    expect(ratioMeaning('higher', 'published')).toBe('inversa value / peer value (> 1: inversa is faster)');
    expect(ratioMeaning('lower', 'budget')).toMatch(/^budget value \/ inversa value .*within budget/);
  });
});

describe('compareToPeer', () => {
  const peer = (value: number | null, unit = 'ms') => ({ peer: 'PyTorch', value, unit, kind: 'measured' as const });

  it('meets a "≥ 5×" target at 5× and misses it just below', () => {
    const at = compareToPeer(0.2, 's', peer(1, 's'), { text: '≥ 5× faster', ratio: 5 });
    expect(at.ratio).toBe(5);
    expect(at.met).toBe(true);
    const below = compareToPeer(0.201, 's', peer(1, 's'), { text: '≥ 5× faster', ratio: 5 });
    expect(below.met).toBe(false);
    expect(below.ratio).toBe(4.98); // 1 / 0.201 = 4.975…, rounded to 3 significant digits
  });

  it('judges `met` on the unrounded ratio', () => {
    // 1 / 1.0004 = 0.9996: rounds to 1.00 but is below the target ratio 1.
    const line = compareToPeer(1.0004, 'ms', peer(1), { text: 'parity', ratio: 1 });
    expect(line.ratio).toBe(1);
    expect(line.met).toBe(false);
  });

  it('for throughput, more samples/s than the peer meets a parity target', () => {
    const line = compareToPeer(120_000, 'samples/s', peer(100_000, 'samples/s'), { text: 'parity', ratio: 1 });
    expect(line.ratio).toBe(1.2);
    expect(line.met).toBe(true);
  });

  it('an extra condition that fails makes the target unmet even when the ratio is reached', () => {
    const line = compareToPeer(0.1, 's', peer(1, 's'), {
      text: '≥ 5× faster', ratio: 5, conditions: [{ description: '≥ 99.9% solved', met: false }],
    });
    expect(line.ratio).toBe(10);
    expect(line.met).toBe(false);
    expect(line.target).toBe('≥ 5× faster and ≥ 99.9% solved');
    expect(line.targetRatio).toBe(5);
  });

  it('without a target, met is null (informational line)', () => {
    const line = compareToPeer(10, 'ms', peer(20));
    expect(line.ratio).toBe(2);
    expect(line.met).toBeNull();
    expect(line.target).toBeNull();
  });

  it('without a peer value, ratio and met are null and the peer is labelled unavailable', () => {
    const line = compareToPeer(10, 'ms', peer(null), { text: 'parity', ratio: 1 });
    expect(line).toMatchObject({ peerKind: 'unavailable', peerValue: null, ratio: null, met: null, targetRatio: 1 });
  });

  it('with no peer at all, the peer kind is none', () => {
    expect(compareToPeer(10, 'ms', undefined).peerKind).toBe('none');
  });

  it('refuses a peer in another unit', () => {
    expect(() => compareToPeer(10, 'ms', peer(1, 's'))).toThrow(/in s but the line is in ms/);
  });

  it('a memory budget: under the limit is a ratio > 1 and meets the target', () => {
    const line = compareToPeer(512, 'MiB', { peer: 'budget', value: 1024, unit: 'MiB', kind: 'budget' }, { text: '< 1 GiB', ratio: 1 });
    expect(line).toMatchObject({ ratio: 2, met: true, peerKind: 'budget' });
    const over = compareToPeer(1500, 'MiB', { peer: 'budget', value: 1024, unit: 'MiB', kind: 'budget' }, { text: '< 1 GiB', ratio: 1 });
    expect(over.met).toBe(false);
  });
});

describe('compareToPytorch', () => {
  it('keeps the measured figure as the peer and adds the ratio against the published one', () => {
    const figure: PeerFigure = { peer: 'PyTorch GN', value: 4, unit: 's', kind: 'measured', source: 'peer script', publishedValue: 1.6, details: { solvedFraction: 1 } };
    const line = compareToPytorch(0.8, 's', figure, 'n/a', { text: '≥ 5×', ratio: 5 });
    expect(line).toMatchObject({ peerKind: 'measured', peerValue: 4, ratio: 5, met: true, publishedPeerValue: 1.6, ratioVsPublished: 2, peerSource: 'peer script', peerDetails: { solvedFraction: 1 } });
  });

  it('a published figure is labelled published', () => {
    const figure: PeerFigure = { peer: 'PyTorch autograd', value: 30, unit: 'ms', kind: 'published', source: 'issue 3' };
    const line = compareToPytorch(60, 'ms', figure, 'n/a', { text: 'parity', ratio: 1 });
    expect(line).toMatchObject({ peerKind: 'published', ratio: 0.5, met: false });
    expect(line).not.toHaveProperty('publishedPeerValue');
  });

  it('without any figure the line names the peer as unavailable', () => {
    const line = compareToPytorch(60, 'ms', undefined, 'PyTorch SVD (not available)');
    expect(line).toMatchObject({ peer: 'PyTorch SVD (not available)', peerKind: 'unavailable', ratio: null, met: null });
  });
});
