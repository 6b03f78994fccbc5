// Strict parsing of what a user types into the page's number fields: invalid text is an error with a
// message, never 0 (the reference page, seed 001, read invalid text as 0).
import { describe, expect, it } from 'vitest';
import { formatNumber, parseNumber, parseNumberList } from '../../web/src/parse.ts';

describe('parseNumber', () => {
  it.each([
    ['42', 42], ['-3.5', -3.5], ['+.5', 0.5], ['1e3', 1000], ['  7.25 ', 7.25], ['2.', 2], ['-1.5E-2', -0.015],
  ])('reads %j as %d', (text, value) => {
    expect(parseNumber(text)).toEqual({ ok: true, value });
  });

  it.each(['', '   ', 'abc', '1,5', '0x10', '1e999', 'NaN', 'Infinity', '1 2', '--1', '.', 'e5', '12abc'])('rejects %j with a message instead of 0', (text) => {
    const parsed = parseNumber(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.length).toBeGreaterThan(5);
  });

  it('suggests a dot for a decimal comma', () => {
    const parsed = parseNumber('1,5');
    expect(parsed.ok === false && parsed.error).toContain('dot');
  });

  it('applies integer, positive and range rules', () => {
    expect(parseNumber('2.5', { integer: true }).ok).toBe(false);
    expect(parseNumber('0', { positive: true }).ok).toBe(false);
    expect(parseNumber('-1', { min: 0 }).ok).toBe(false);
    expect(parseNumber('201', { max: 200 }).ok).toBe(false);
    expect(parseNumber('200', { min: 1, max: 200, integer: true })).toEqual({ ok: true, value: 200 });
  });
});

describe('parseNumberList', () => {
  it('reads comma or space separated lists of the right length', () => {
    expect(parseNumberList('4, 1 0.5;0', 4)).toEqual({ ok: true, values: [4, 1, 0.5, 0] });
  });
  it('names the bad entry and the expected length', () => {
    const wrongLength = parseNumberList('1,2', 3);
    expect(wrongLength.ok === false && wrongLength.error).toContain('3 numbers');
    const badEntry = parseNumberList('1,x,3', 3);
    expect(badEntry.ok === false && badEntry.error).toContain('entry 2');
  });
});

describe('formatNumber', () => {
  it('keeps significant digits and uses exponents for extreme magnitudes', () => {
    expect(formatNumber(1438.123456, 6)).toBe('1438.12');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(1.5e-7)).toBe('1.5e-7');
    expect(formatNumber(Infinity)).toBe('∞');
    expect(formatNumber(Number.NaN)).toBe('—');
  });
});
