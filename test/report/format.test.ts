// Number formatting ("%g"-like), text tables and JSON conversion. Expected strings follow the
// printf %g rules (C standard) and JSON's grammar, written out by hand.
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/core/errors.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { formatCount, formatNumber, formatPercent, formatSeconds } from '../../src/core/format.ts';
import { stringifyJson, toJsonValue } from '../../src/core/json.ts';
import { textTable } from '../../src/report/table.ts';

describe('formatNumber', () => {
  it('follows %g with 4 significant digits', () => {
    // Values from printf("%.4g") in C (exponent without C's zero padding; exact ties avoided, JS rounds them up).
    const cases: [number, string][] = [
      [12.3456, '12.35'], [0.001234567, '0.001235'], [1.234e-7, '1.234e-7'], [1234567, '1.235e+6'],
      [1234, '1234'], [12346, '1.235e+4'], [0.0001, '0.0001'], [0.00001, '1e-5'], [-2.5, '-2.5'],
      [1, '1'], [100, '100'], [0, '0'], [9.99996, '10'], [99999, '1e+5'], [-0.000123456, '-0.0001235'],
    ];
    for (const [value, expected] of cases) expect(formatNumber(value), String(value)).toBe(expected);
  });

  it('respects the digits argument and prints non-finite values', () => {
    expect(formatNumber(Math.PI, 2)).toBe('3.1');
    expect(formatNumber(Math.PI, 8)).toBe('3.1415927');
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatNumber(Infinity)).toBe('Inf');
    expect(formatNumber(-Infinity)).toBe('-Inf');
  });

  it('formats counts, percentages and durations', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(2.5)).toBe('2.5');
    expect(formatPercent(0.12345)).toBe('12.3%');
    expect(formatSeconds(0.00085)).toBe('850 µs');
    expect(formatSeconds(0.0123)).toBe('12.3 ms');
    expect(formatSeconds(4.567)).toBe('4.57 s');
    expect(formatSeconds(125)).toBe('2 min 5 s');
  });
});

describe('textTable', () => {
  it('aligns numbers right and text left, with a dash rule', () => {
    const table = textTable(['name', 'value'], [['alpha', 1.23456], ['b', 100]]);
    expect(table.split('\n')).toEqual([
      'name   value',
      '-----  -----',
      'alpha  1.235',
      'b        100',
    ]);
  });

  it('counts σ and Δ as one character and honours explicit alignment', () => {
    const table = textTable(['σ', 'Δy'], [['σ₁', 'x']], { align: ['right', 'left'] });
    expect(table.split('\n')).toEqual([' σ  Δy', '--  --', 'σ₁  x']);
  });

  it('rejects rows with the wrong number of cells', () => {
    expect(() => textTable(['a', 'b'], [[1]])).toThrow(ShapeError);
    expect(() => textTable(['a', 'b'], [[1]])).toThrow(/row 1 has 1 cells but there are 2 headers/);
    expect(() => textTable([], [])).toThrow(ShapeError);
  });
});

describe('toJsonValue', () => {
  it('turns matrices into nested arrays and keeps non-finite numbers visible', () => {
    const value = {
      matrix: new Matrix(2, 2, Float64Array.of(1, 2, 3, 4)),
      cond: Infinity,
      bad: NaN,
      vector: Float64Array.of(0.5, -Infinity),
      rank: Int32Array.of(2),
      skipped: undefined,
      nested: [{ ok: true }],
    };
    expect(toJsonValue(value)).toEqual({
      matrix: [[1, 2], [3, 4]], cond: 'Infinity', bad: 'NaN', vector: [0.5, '-Infinity'], rank: [2], nested: [{ ok: true }],
    });
    expect(JSON.parse(stringifyJson(value)).cond).toBe('Infinity');
  });
});
