// Activation functions: forward and derivative side by side, numerically stable forms
// (Softplus and Sigmoid never overflow; Elu uses expm1). Derivatives at kinks follow PyTorch
// (Relu'(0) = 0, LeakyRelu'(0) = slope), so Jacobians match autograd exactly.
import { tanh } from '../../linalg/kernels/index.ts';
import { erf, erfDerivative } from './erf.ts';
import { numberAttribute, type OperatorRule } from './types.ts';
import { unaryOperator } from './unary.ts';
import { OnnxFormatError } from '../errors.ts';

const SQRT_HALF = Math.SQRT1_2;
const SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_TANH_CUBIC = 0.044715;
const INV_SQRT_TWO_PI = 1 / Math.sqrt(2 * Math.PI);

export const Relu: OperatorRule = unaryOperator(
  (x, y) => { for (let e = 0; e < x.length; e++) y[e] = x[e] > 0 ? x[e] : 0; },
  (x, _y, d) => { for (let e = 0; e < x.length; e++) d[e] = x[e] > 0 ? 1 : 0; },
);

export const LeakyRelu: OperatorRule = unaryOperator(
  (x, y, node) => {
    const slope = numberAttribute(node, 'alpha', 0.01);
    for (let e = 0; e < x.length; e++) y[e] = x[e] > 0 ? x[e] : slope * x[e];
  },
  (x, _y, d, node) => {
    const slope = numberAttribute(node, 'alpha', 0.01);
    for (let e = 0; e < x.length; e++) d[e] = x[e] > 0 ? 1 : slope;
  },
);

/** tanh by the shared kernel (src/linalg/kernels: WebAssembly SIMD within an ulp of Math.tanh, or Math.tanh). */
export const Tanh: OperatorRule = unaryOperator(
  (x, y) => tanh(x, y, null, x.length),
  (_x, y, d) => { for (let e = 0; e < y.length; e++) d[e] = 1 - y[e] * y[e]; },
);

export const Sigmoid: OperatorRule = unaryOperator(
  (x, y) => {
    for (let e = 0; e < x.length; e++) {
      const v = x[e];
      if (v >= 0) y[e] = 1 / (1 + Math.exp(-v));
      else { const t = Math.exp(v); y[e] = t / (1 + t); }
    }
  },
  (_x, y, d) => { for (let e = 0; e < y.length; e++) d[e] = y[e] * (1 - y[e]); },
);

export const Elu: OperatorRule = unaryOperator(
  (x, y, node) => {
    const alpha = numberAttribute(node, 'alpha', 1);
    for (let e = 0; e < x.length; e++) y[e] = x[e] > 0 ? x[e] : alpha * Math.expm1(x[e]);
  },
  (x, _y, d, node) => {
    const alpha = numberAttribute(node, 'alpha', 1);
    for (let e = 0; e < x.length; e++) d[e] = x[e] > 0 ? 1 : alpha * Math.exp(x[e]);
  },
);

export const Softplus: OperatorRule = unaryOperator(
  (x, y) => {
    for (let e = 0; e < x.length; e++) {
      const v = x[e];
      y[e] = v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
    }
  },
  (x, _y, d) => {
    for (let e = 0; e < x.length; e++) {
      const v = x[e];
      if (v >= 0) d[e] = 1 / (1 + Math.exp(-v));
      else { const t = Math.exp(v); d[e] = t / (1 + t); }
    }
  },
);

export const Erf: OperatorRule = unaryOperator(
  (x, y) => { for (let e = 0; e < x.length; e++) y[e] = erf(x[e]); },
  (x, _y, d) => { for (let e = 0; e < x.length; e++) d[e] = erfDerivative(x[e]); },
);

function geluMode(approximate: unknown): 'none' | 'tanh' {
  if (approximate === undefined || approximate === 'none') return 'none';
  if (approximate === 'tanh') return 'tanh';
  throw new OnnxFormatError(`operator Gelu: attribute approximate='${String(approximate)}' is not 'none' or 'tanh'`);
}

/** Gelu (opset 20): x·Φ(x), or its tanh approximation when approximate='tanh'. */
export const Gelu: OperatorRule = unaryOperator(
  (x, y, node) => {
    if (geluMode(node.attributes.get('approximate')) === 'tanh') {
      for (let e = 0; e < x.length; e++) {
        const v = x[e];
        y[e] = 0.5 * v * (1 + Math.tanh(SQRT_TWO_OVER_PI * (v + GELU_TANH_CUBIC * v * v * v)));
      }
    } else {
      for (let e = 0; e < x.length; e++) y[e] = 0.5 * x[e] * (1 + erf(x[e] * SQRT_HALF));
    }
  },
  (x, _y, d, node) => {
    if (geluMode(node.attributes.get('approximate')) === 'tanh') {
      for (let e = 0; e < x.length; e++) {
        const v = x[e];
        const t = Math.tanh(SQRT_TWO_OVER_PI * (v + GELU_TANH_CUBIC * v * v * v));
        d[e] = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * SQRT_TWO_OVER_PI * (1 + 3 * GELU_TANH_CUBIC * v * v);
      }
    } else {
      for (let e = 0; e < x.length; e++) {
        const v = x[e];
        d[e] = 0.5 * (1 + erf(v * SQRT_HALF)) + v * INV_SQRT_TWO_PI * Math.exp(-0.5 * v * v);
      }
    }
  },
);

/** Selu: γ·x for x > 0, γ·α·(eˣ − 1) otherwise; ONNX defaults are the float32 roundings of the SELU constants. */
export const Selu: OperatorRule = unaryOperator(
  (x, y, node) => {
    const alpha = numberAttribute(node, 'alpha', 1.67326319217681884765625), gamma = numberAttribute(node, 'gamma', 1.05070102214813232421875);
    for (let e = 0; e < x.length; e++) y[e] = x[e] > 0 ? gamma * x[e] : gamma * alpha * Math.expm1(x[e]);
  },
  (x, _y, d, node) => {
    const alpha = numberAttribute(node, 'alpha', 1.67326319217681884765625), gamma = numberAttribute(node, 'gamma', 1.05070102214813232421875);
    for (let e = 0; e < x.length; e++) d[e] = x[e] > 0 ? gamma : gamma * alpha * Math.exp(x[e]);
  },
);

/** Celu: max(0, x) + min(0, α·(e^(x/α) − 1)). */
export const Celu: OperatorRule = unaryOperator(
  (x, y, node) => {
    const alpha = numberAttribute(node, 'alpha', 1);
    for (let e = 0; e < x.length; e++) y[e] = x[e] > 0 ? x[e] : alpha * Math.expm1(x[e] / alpha);
  },
  (x, _y, d, node) => {
    const alpha = numberAttribute(node, 'alpha', 1);
    for (let e = 0; e < x.length; e++) d[e] = x[e] > 0 ? 1 : Math.exp(x[e] / alpha);
  },
);

/** HardSwish: x·max(0, min(1, x/6 + 1/2)); left derivative at the kinks x = −3 (0) and x = 3 (3/2). */
export const HardSwish: OperatorRule = unaryOperator(
  (x, y) => { for (let e = 0; e < x.length; e++) y[e] = x[e] * Math.max(0, Math.min(1, x[e] / 6 + 0.5)); },
  (x, _y, d) => { for (let e = 0; e < x.length; e++) d[e] = x[e] <= -3 ? 0 : x[e] <= 3 ? x[e] / 3 + 0.5 : 1; },
);

/** Softplus without overflow: log(1 + eˣ). */
function softplus(v: number): number {
  return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
}

/** Logistic sigmoid without overflow. */
function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const t = Math.exp(v);
  return t / (1 + t);
}

/** Mish (opset 18): x·tanh(softplus(x)); derivative tanh(sp) + x·(1 − tanh²(sp))·σ(x). */
export const Mish: OperatorRule = unaryOperator(
  (x, y) => { for (let e = 0; e < x.length; e++) y[e] = x[e] * Math.tanh(softplus(x[e])); },
  (x, _y, d) => {
    for (let e = 0; e < x.length; e++) {
      const t = Math.tanh(softplus(x[e]));
      d[e] = t + x[e] * (1 - t * t) * sigmoid(x[e]);
    }
  },
);

/** Softsign: x/(1 + |x|); derivative 1/(1 + |x|)². */
export const Softsign: OperatorRule = unaryOperator(
  (x, y) => { for (let e = 0; e < x.length; e++) y[e] = x[e] / (1 + Math.abs(x[e])); },
  (x, _y, d) => { for (let e = 0; e < x.length; e++) { const s = 1 + Math.abs(x[e]); d[e] = 1 / (s * s); } },
);
