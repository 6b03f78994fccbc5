// The printed shape of a bench line, the command line of `npm run bench`, and the stderr summary.
import { describe, expect, it } from 'vitest';
import { completeLine } from '../../bench/peers/lines.ts';
import { formatFigure, formatSummary, summaryRows } from '../../bench/peers/summary.ts';
import { parseBenchArguments, selectSuites } from '../../bench/run.ts';
import type { MachineInfo } from '../../bench/types.ts';

const MACHINE: MachineInfo = { cpu: 'test cpu', cores: 2, node: 'v20', platform: 'linux-x64', memoryGiB: 8, loadAverage1m: 1 };

describe('completeLine', () => {
  it('puts every key in a fixed order, extras before the machine', () => {
    const line = completeLine('svd', { name: 'a', value: 1, unit: 'ms', shape: '4×7', peer: 'p', peerValue: 2, peerKind: 'measured', ratio: 2, met: true }, MACHINE);
    expect(Object.keys(line)).toEqual(['suite', 'name', 'value', 'unit', 'peer', 'peerValue', 'peerKind', 'ratio', 'ratioMeaning', 'target', 'targetRatio', 'met', 'shape', 'machine']);
    expect(line).toMatchObject({ suite: 'svd', ratioMeaning: null, target: null, targetRatio: null, met: true, machine: MACHINE });
  });

  it('labels a peer value without a kind as unlabelled (not measured) and a line without a peer as none', () => {
    const legacy = completeLine('mlp', { name: 'm', value: 10, unit: 'ms', peer: 'PyTorch (issue figure)', peerValue: 30, ratio: 3 }, MACHINE);
    expect(legacy).toMatchObject({ peerKind: 'unlabelled', ratio: 3, met: null });
    expect(completeLine('x', { name: 'n', value: 1, unit: 'ms' }, MACHINE)).toMatchObject({ peer: null, peerValue: null, peerKind: 'none', ratio: null, met: null });
  });

  it('turns a legacy withinTarget flag into met', () => {
    const line = completeLine('analyze', { name: 'rss', value: 500, unit: 'MiB', withinTarget: false }, MACHINE);
    expect(line.met).toBe(false);
    expect(line).not.toHaveProperty('withinTarget');
  });
});

describe('bench command line', () => {
  it('reads --quick, --no-pytorch and suite names; refuses unknown options', () => {
    expect(parseBenchArguments(['--quick', 'svd', 'solve'])).toEqual({ quick: true, pytorch: true, suites: ['svd', 'solve'], help: false });
    expect(parseBenchArguments(['--no-pytorch'])).toMatchObject({ pytorch: false, quick: false, suites: [] });
    expect(() => parseBenchArguments(['--quik'])).toThrow(/unknown option '--quik'/);
  });

  it('selects suites by name or prefix, all when none given, and refuses a name that matches nothing', () => {
    const available = ['train', 'svd', 'solve', 'mlp', 'jacobian', 'analyze'];
    expect(selectSuites(available, [])).toEqual(['analyze', 'jacobian', 'mlp', 'solve', 'svd', 'train']);
    expect(selectSuites(available, ['s'])).toEqual(['solve', 'svd']);
    expect(selectSuites(available, ['train', 'jacobian'])).toEqual(['jacobian', 'train']);
    expect(() => selectSuites(available, ['sdv'])).toThrow(/no bench suite matches 'sdv'/);
  });
});

describe('summary', () => {
  it('formats figures with at most 4 significant digits and thousands separators', () => {
    expect(formatFigure(89_257.4, 'samples/s')).toBe('89,257 samples/s');
    expect(formatFigure(23.1234, 'ms')).toBe('23.12 ms');
    expect(formatFigure(0.012345)).toBe('0.01235');
    expect(formatFigure(null)).toBe('—');
  });

  it('one row per line with peer kind, ratio, target ratio and met', () => {
    const lines = [
      completeLine('solve', { name: 'solve-lm', value: 0.5, unit: 's', peer: 'PyTorch GN', peerValue: 3.96, peerKind: 'measured', ratio: 7.92, targetRatio: 5, met: true }, MACHINE),
      completeLine('svd', { name: 'svd-vs-pytorch', value: 12, unit: 'ms', peer: 'PyTorch', peerValue: null, peerKind: 'unavailable' }, MACHINE),
      completeLine('train', { name: 'train', value: 50_000, unit: 'samples/s', peer: 'PyTorch', peerValue: 317_000, peerKind: 'published', ratio: 0.158, targetRatio: 1, met: false }, MACHINE),
    ];
    const rows = summaryRows(lines);
    expect(rows).toHaveLength(4);
    expect(rows[1]).toEqual(['solve', 'solve-lm', '0.5 s', '3.96 s (measured)', '7.92×', '≥ 5×', 'yes']);
    expect(rows[2]).toEqual(['svd', 'svd-vs-pytorch', '12 ms', 'unavailable', '—', '—', '—']);
    expect(rows[3][3]).toBe('317,000 samples/s (published)');
    expect(rows[3][6]).toBe('NO');
    expect(formatSummary(lines)).toMatch(/Targets met: 1 of 2 judged/);
  });
});
