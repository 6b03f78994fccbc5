// The error function of the ONNX Erf/Gelu operators: the one implementation in model/activations.ts
// (relative error near 1e-16 over the whole line, erfc accurate in the far tail), plus its derivative.
import { erf } from '../../model/activations.ts';

export { erf };

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** d erf(x) / dx = 2/√π · e^(−x²). */
export function erfDerivative(x: number): number {
  return TWO_OVER_SQRT_PI * Math.exp(-x * x);
}
