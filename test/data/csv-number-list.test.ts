// parseNumberList (command-line lists like --lower 0,0.5,1e-3) and the strict cell parser behind it.
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError } from '../../src/core/errors.ts';
import { parseNumberList } from '../../src/io/csv.ts';
import { closestName, editDistance, parseCell } from '../../src/data/cells.ts';

describe('parseNumberList', () => {
  it('parses decimal, signed and exponent forms', () => {
    expect(Array.from(parseNumberList('0, -0.5,1e-3,+2,.25', '--lower'))).toEqual([0, -0.5, 0.001, 2, 0.25]);
    expect(Array.from(parseNumberList('7', '--x', 1))).toEqual([7]);
  });

  it('names the option and the bad entry', () => {
    expect(() => parseNumberList('1,two,3', '--upper')).toThrow(InvalidArgumentError);
    expect(() => parseNumberList('1,two,3', '--upper')).toThrow(/--upper: value 2 of 3 is not a number \("two"\)/);
    expect(() => parseNumberList('1,,3', '--upper')).toThrow(/value 2 of 3 is empty/);
    expect(() => parseNumberList('1,nan', '--upper')).toThrow(/value 2 of 2 is non-finite/);
    expect(() => parseNumberList('  ', '--upper')).toThrow(/empty string/);
  });

  it('checks the expected length', () => {
    expect(() => parseNumberList('1,2', '--start', 3)).toThrow(ShapeError);
    expect(() => parseNumberList('1,2', '--start', 3)).toThrow(/expected 3 comma-separated numbers, got 2/);
  });
});

describe('cells', () => {
  it('classifies cells strictly', () => {
    expect(parseCell(' 1.5e2 ')).toEqual({ kind: 'number', value: 150 });
    expect(parseCell('').kind).toBe('empty');
    expect(parseCell('-inf').kind).toBe('non-finite');
    expect(parseCell('#DIV/0!').kind).toBe('non-finite');
    expect(parseCell('1e999').kind).toBe('non-finite');
    for (const text of ['0x10', '1,5', '1.2.3', 'abc', 'e5', '1e']) expect(parseCell(text).kind, text).toBe('text');
  });

  it('edit distance matches hand-computed cases', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('Rate', 'rate')).toBe(0);
    expect(closestName('pci_rte', ['h2i_rate', 'pci_rate'])).toBe('pci_rate');
    expect(closestName('y', ['z'])).toBeNull();
  });
});
