// The candidate-function library Θ(u) of SINDy: all monomials of the state variables up to a total
// degree, e.g. for (x, y, z) and degree 2: 1, x, y, z, x², x y, x z, y², y z, z² (10 terms, the
// order of the course notes). Evaluated row by row into preallocated storage.
import { ShapeError, checkInteger } from '../../core/index.ts';
import { Matrix } from '../../linalg/index.ts';

export interface PolynomialLibrary {
  variables: string[];
  degree: number;
  /** exponents[k][v]: power of variable v in term k. */
  exponents: Int32Array[];
  /** Human-readable term names ("1", "x", "x y", "z²"). */
  names: string[];
}

/** Largest total degree supported (the library grows combinatorially). */
export const MAX_LIBRARY_DEGREE = 5;

const SUPERSCRIPTS = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/** All monomials of `variables` with total degree 0..degree, by degree then lexicographically. */
export function polynomialLibrary(variables: string[], degree: number): PolynomialLibrary {
  checkInteger(degree, 'polynomial library: degree', 0, MAX_LIBRARY_DEGREE);
  if (variables.length === 0) throw new ShapeError('polynomial library: variables is empty');
  const exponents: Int32Array[] = [];
  for (let total = 0; total <= degree; total++) {
    // Non-decreasing index sequences of length `total` = monomials of that degree, lexicographic.
    const indices = new Array<number>(total).fill(0);
    const emit = () => {
      const powers = new Int32Array(variables.length);
      for (const index of indices) powers[index]++;
      exponents.push(powers);
    };
    if (total === 0) { emit(); continue; }
    for (;;) {
      emit();
      let position = total - 1;
      while (position >= 0 && indices[position] === variables.length - 1) position--;
      if (position < 0) break;
      const next = indices[position] + 1;
      for (let i = position; i < total; i++) indices[i] = next;
    }
  }
  const names = exponents.map((powers) => termName(variables, powers));
  return { variables, degree, exponents, names };
}

function termName(variables: string[], powers: Int32Array): string {
  const factors: string[] = [];
  powers.forEach((power, v) => {
    if (power === 0) return;
    factors.push(power === 1 ? variables[v] : `${variables[v]}${String(power).split('').map((digit) => SUPERSCRIPTS[Number(digit)]).join('')}`);
  });
  return factors.length === 0 ? '1' : factors.join(' ');
}

/** Θ(u) for one state: writes the library.names.length term values into `out`. */
export function evaluateLibraryRow(library: PolynomialLibrary, state: ArrayLike<number>, out: Float64Array): void {
  const { exponents } = library;
  for (let k = 0; k < exponents.length; k++) {
    const powers = exponents[k];
    let value = 1;
    for (let v = 0; v < powers.length; v++) for (let p = 0; p < powers[v]; p++) value *= state[v];
    out[k] = value;
  }
}

/** Θ(U) for the rows of `states` (N×d) → N×K. */
export function evaluateLibrary(library: PolynomialLibrary, states: Matrix): Matrix {
  if (states.cols !== library.variables.length) {
    throw new ShapeError(`polynomial library over ${library.variables.length} variables (${library.variables.join(', ')}) cannot evaluate states with ${states.cols} columns`);
  }
  const termCount = library.exponents.length;
  const out = new Matrix(states.rows, termCount);
  const row = new Float64Array(termCount);
  for (let i = 0; i < states.rows; i++) {
    evaluateLibraryRow(library, states.data.subarray(i * states.cols, (i + 1) * states.cols), row);
    out.data.set(row, i * termCount);
  }
  return out;
}
