// Bad input across the public linalg API: non-finite, ragged, empty and mismatched shapes raise typed
// errors whose messages name the argument and the shapes; nothing returns NaN silently.
import { describe, expect, it } from 'vitest';
import { cholesky } from '../../src/linalg/cholesky.ts';
import { NonFiniteError, ShapeError, SingularMatrixError } from '../../src/core/errors.ts';
import * as linalg from '../../src/linalg/index.ts';
import { solve } from '../../src/linalg/lu.ts';
import { lstsq } from '../../src/linalg/lstsq.ts';
import { Matrix, multiply, multiplyVector } from '../../src/linalg/matrix.ts';

type MatrixFunction = (a: linalg.MatrixLike) => unknown;
const MATRIX_FUNCTIONS: [string, MatrixFunction][] = [
  ['svd', (a) => linalg.svd(a)],
  ['singularValues', (a) => linalg.singularValues(a)],
  ['pinv', (a) => linalg.pinv(a)],
  ['dampedPinv', (a) => linalg.dampedPinv(a, 0.1)],
  ['rank', (a) => linalg.rank(a)],
  ['cond', (a) => linalg.cond(a)],
  ['nullSpace', (a) => linalg.nullSpace(a)],
  ['nullSpaceProjector', (a) => linalg.nullSpaceProjector(a)],
  ['leftInverse', (a) => linalg.leftInverse(a)],
  ['rightInverse', (a) => linalg.rightInverse(a)],
  ['lowRank', (a) => linalg.lowRank(a, 1)],
  ['lu', (a) => linalg.lu(a)],
  ['inverse', (a) => linalg.inverse(a)],
  ['determinant', (a) => linalg.determinant(a)],
  ['lstsq', (a) => linalg.lstsq(a, [1, 2])],
];

describe('every matrix function rejects bad matrices with a typed, named error', () => {
  for (const [name, call] of MATRIX_FUNCTIONS) {
    it(name, () => {
      expect(() => call([[1, NaN], [3, 4]])).toThrow(NonFiniteError);
      expect(() => call([[1, NaN], [3, 4]])).toThrow(/A has a non-finite entry \(NaN\) at row 0, column 1/);
      expect(() => call([[1, 2], [3, Infinity]])).toThrow(/A has a non-finite entry \(Infinity\) at row 1, column 1/);
      expect(() => call([[1, 2], [3]])).toThrow(ShapeError);
      expect(() => call([[1, 2], [3]])).toThrow(/A is ragged: row 0 has 2 columns but row 1 has 1/);
      expect(() => call([])).toThrow(/A is empty \(0 rows\)/);
      expect(() => call([[]])).toThrow(/A is empty/);
      expect(() => call(new Matrix(0, 3))).toThrow(/A is empty \(0×3\)/);
    });
  }
});

describe('mismatched shapes name both shapes', () => {
  it('lstsq with the wrong b length', () => {
    expect(() => lstsq([[1, 2], [3, 4], [5, 6]], [1, 2])).toThrow(/lstsq: b has length 2 but A is 3×2; b needs 3 entries/);
    expect(() => lstsq([[1, 2]], [NaN])).toThrow(/b has a non-finite entry \(NaN\) at index 0/);
  });
  it('solve, multiply, multiplyVector', () => {
    expect(() => solve([[1, 0], [0, 1]], [1, 2, 3])).toThrow(/b has length 3, expected 2/);
    expect(() => solve([[1, 0], [0, 1]], [[1], [2], [3]])).toThrow(/b \(3×1\) must have 2 rows to match A \(2×2\)/);
    expect(() => multiply([[1, 2]], [[1, 2]])).toThrow(/cannot multiply A \(1×2\) by B \(1×2\)/);
    expect(() => multiplyVector([[1, 2]], [1])).toThrow(/x has length 1, expected 2/);
  });
  it('square-only operations say so', () => {
    for (const call of [() => linalg.inverse([[1, 2, 3]]), () => linalg.determinant([[1, 2, 3]]), () => cholesky([[1, 2, 3]])]) {
      expect(call).toThrow(/needs a square matrix, but A is 1×3/);
    }
  });
  it('rtol out of range is an InvalidArgumentError naming rtol', () => {
    for (const rtol of [-0.1, 1, NaN]) expect(() => linalg.pinv([[1]], { rtol })).toThrow(/rtol must be a finite number in \[0, 1\)/);
  });
});

describe('singular and indefinite matrices', () => {
  it('cholesky of an indefinite matrix is a SingularMatrixError', () => {
    expect(() => cholesky([[1, 2], [2, 1]])).toThrow(SingularMatrixError);
    expect(() => cholesky([[1, 2], [2, 1]])).toThrow(/not numerically positive definite: pivot 1/);
  });
});
