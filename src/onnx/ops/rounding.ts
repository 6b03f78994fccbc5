// Floor, Ceil, Round (half to even, as ONNX specifies) and Sign: piecewise constant, so their
// derivative is 0 wherever it exists. At the jumps (integers, half-integers, 0) the function is
// discontinuous and no derivative exists; the rules report 0 there too. A Jacobian through these
// operators is therefore 0 along that path — exact almost everywhere, but it says nothing about the
// jumps: docs/onnx-coverage.md flags them.
import { unaryOperator } from './unary.ts';
import type { OperatorRule } from './types.ts';

const zeroDerivative = (x: Float64Array, _y: Float64Array, d: Float64Array) => { d.fill(0, 0, x.length); };

/** Round half to even (banker's rounding), as ONNX Round and numpy.round. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export const Floor: OperatorRule = unaryOperator((x, y) => { for (let e = 0; e < x.length; e++) y[e] = Math.floor(x[e]); }, zeroDerivative);
export const Ceil: OperatorRule = unaryOperator((x, y) => { for (let e = 0; e < x.length; e++) y[e] = Math.ceil(x[e]); }, zeroDerivative);
export const Round: OperatorRule = unaryOperator((x, y) => { for (let e = 0; e < x.length; e++) y[e] = roundHalfEven(x[e]); }, zeroDerivative);
export const Sign: OperatorRule = unaryOperator((x, y) => { for (let e = 0; e < x.length; e++) y[e] = Math.sign(x[e]); }, zeroDerivative);
