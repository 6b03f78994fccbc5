// The shared option validators (src/core/options.ts): each rejects bad values with a message naming
// the option, what is accepted and what was given, and accepts the edge values of its range.
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NonFiniteError, ShapeError } from '../../src/core/errors.ts';
import {
  checkChoice, checkFiniteArray, checkInteger, checkIntegerList, checkNonNegative, checkNumber, checkPositive, checkProbability, numberFromText, parseNumberText,
} from '../../src/core/options.ts';
import { integerOption, numberOption } from '../../src/apps/cli/option-text.ts';
import { UsageError } from '../../src/core/errors.ts';

describe('checkInteger', () => {
  it('accepts the ends of its range and returns the value', () => {
    expect(checkInteger(1, 'starts', 1)).toBe(1);
    expect(checkInteger(0, 'port', 0, 65535)).toBe(0);
    expect(checkInteger(65535, 'port', 0, 65535)).toBe(65535);
    expect(checkInteger(-7, 'seed')).toBe(-7);
  });
  it.each([
    [0, 1, Infinity, 'starts must be an integer ≥ 1, got 0'],
    [1.5, 1, Infinity, 'starts must be an integer ≥ 1, got 1.5'],
    [NaN, 1, Infinity, 'starts must be an integer ≥ 1, got NaN'],
    [Infinity, 1, Infinity, 'starts must be an integer ≥ 1, got Infinity'],
    [65536, 0, 65535, 'starts must be an integer in [0, 65535], got 65536'],
    ['3', 1, Infinity, 'starts must be an integer ≥ 1, got "3"'],
    [2 ** 53, 1, Infinity, `starts must be an integer ≥ 1, got ${2 ** 53}`],
  ])('rejects %j (range %d..%d)', (value, min, max, message) => {
    expect(() => checkInteger(value, 'starts', min, max)).toThrow(InvalidArgumentError);
    expect(() => checkInteger(value, 'starts', min, max)).toThrow(message);
  });
  it('puts the note before the value given', () => {
    expect(() => checkInteger(0, '--patience', 1, Infinity, 'epochs without improvement')).toThrow('--patience must be an integer ≥ 1 (epochs without improvement), got 0');
  });
});

describe('checkNumber and its shorthands', () => {
  it('accepts edge values', () => {
    expect(checkNumber(-1e300, 'x')).toBe(-1e300);
    expect(checkPositive(Number.MIN_VALUE, 'dt')).toBe(Number.MIN_VALUE);
    expect(checkNonNegative(0, 'noise')).toBe(0);
    expect(checkProbability(0, 'alpha')).toBe(0);
    expect(checkProbability(1, 'alpha')).toBe(1);
    expect(checkNumber(0.05, 'dt', { min: 0, minOpen: true, max: 0.05 })).toBe(0.05);
    expect(checkNumber(-5, 'y', { max: 0 })).toBe(-5);
  });
  it.each([
    [() => checkNumber(NaN, 'seed'), 'seed must be a finite number, got NaN'],
    [() => checkNumber(Infinity, 'seed'), 'seed must be a finite number, got Infinity'],
    [() => checkPositive(0, 'lr'), 'lr must be a finite number > 0, got 0'],
    [() => checkPositive(Infinity, 'lr'), 'lr must be a finite number > 0, got Infinity'],
    [() => checkNonNegative(-1e-300, 'noise'), 'noise must be a finite number ≥ 0, got -1e-300'],
    [() => checkProbability(1.5, '--alpha'), '--alpha must be a number in [0, 1], got 1.5'],
    [() => checkProbability(NaN, '--alpha'), '--alpha must be a number in [0, 1], got NaN'],
    [() => checkNumber(0, 'dt', { min: 0, minOpen: true, max: 0.05 }), 'dt must be a number in (0, 0.05], got 0'],
    [() => checkNumber(1, 'rtol', { min: 0, max: 1, maxOpen: true }), 'rtol must be a number in [0, 1), got 1'],
    [() => checkNumber(1, 'y', { max: 1, maxOpen: true }), 'y must be a finite number < 1, got 1'],
    [() => checkNumber('0.5', 'x'), 'x must be a finite number, got "0.5"'],
    [() => checkPositive(undefined, 'lambda', 'the damping'), 'lambda must be a finite number > 0 (the damping), got undefined'],
  ])('rejects with the named message (%#)', (call, message) => {
    expect(call).toThrow(InvalidArgumentError);
    expect(call).toThrow(message);
  });
});

describe('checkChoice, checkIntegerList, checkFiniteArray', () => {
  it('accepts members and valid arrays', () => {
    expect(checkChoice('lm', 'method', ['lm', 'gn'] as const)).toBe('lm');
    expect(checkIntegerList([1, 64], '--hidden widths', 1)).toEqual([1, 64]);
    expect(checkIntegerList([], 'T values', 1)).toEqual([]);
    const values = new Float64Array([0, -1, 1e300]);
    expect(checkFiniteArray(values, 'x', 3)).toBe(values);
    expect(checkFiniteArray([], 'x')).toEqual([]);
  });
  it('rejects with the named message', () => {
    expect(() => checkChoice('newton', 'method', ['lm', 'gn'])).toThrow('method must be one of lm, gn, got "newton"');
    expect(() => checkChoice(3, 'method', ['lm'])).toThrow('method must be one of lm, got 3');
    expect(() => checkIntegerList([4, 0], '--T values', 1)).toThrow('--T values must be integers ≥ 1, got 0');
    expect(() => checkIntegerList([2.5], '--T values', 1)).toThrow(InvalidArgumentError);
    expect(() => checkFiniteArray([1, 2], 'x0', 3)).toThrow(ShapeError);
    expect(() => checkFiniteArray([1, 2], 'x0', 3)).toThrow('x0 must have 3 entries, got 2');
    expect(() => checkFiniteArray([1], 'x0', 2)).toThrow('x0 must have 2 entries, got 1');
    expect(() => checkFiniteArray([1, NaN], 'x0')).toThrow(NonFiniteError);
    expect(() => checkFiniteArray([1, NaN], 'x0')).toThrow('x0 must be finite numbers; entry 1 is NaN');
    expect(() => checkFiniteArray(null as unknown as number[], 'x0')).toThrow('x0 must be an array of finite numbers, got null');
  });
});

describe('number text', () => {
  it('reads complete decimal numbers only', () => {
    for (const [text, value] of [['42', 42], [' -3.5 ', -3.5], ['+.5', 0.5], ['1e3', 1000], ['2.', 2]] as const) expect(numberFromText(text)).toBe(value);
    for (const text of ['', ' ', 'ten', '1,5', '0x10', '1e999', 'NaN', 'Infinity', '1 2', '.', 'e5']) expect(numberFromText(text)).toBeUndefined();
    expect(() => parseNumberText('ten', '--lr')).toThrow("--lr 'ten' is not a number");
  });
  it('CLI options parse then validate with the same functions, as usage errors', () => {
    expect(integerOption(' 4 ', '--threads', 1)).toBe(4);
    expect(() => integerOption('0', '--threads', 1)).toThrow(UsageError);
    expect(() => integerOption('0', '--threads', 1)).toThrow('--threads must be an integer ≥ 1, got 0');
    expect(() => integerOption('four', '--threads', 1)).toThrow('--threads must be an integer ≥ 1, got "four"');
    expect(() => integerOption('', '--port', 0, 65535)).toThrow('--port must be an integer in [0, 65535], got ""');
    expect(numberOption('1e-6', '--tolerance', { min: 0, minOpen: true })).toBe(1e-6);
    expect(() => numberOption('-1', '--tolerance', { min: 0, minOpen: true })).toThrow('--tolerance must be a finite number > 0, got -1');
  });
});
