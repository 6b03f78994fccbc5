// The ONNX activation operators: loops over the one activation table (model/activations.ts), which
// holds every value and derivative formula (numerically stable forms, PyTorch's derivatives at kinks).
// One loop per operator on purpose (`duplicates` lists them as same-shape boilerplate): each call
// site stays monomorphic so the table's scalar function inlines.
import { tanh } from '../../linalg/index.ts';
import { celu, celuDerivative, elu, eluDerivative, erf, erfDerivative, gelu, geluDerivative, geluTanh, geluTanhDerivative, hardSwish, hardSwishDerivative, leakyRelu, leakyReluDerivative, mish, mishDerivative, relu, reluDerivative, selu, SELU_ALPHA, SELU_GAMMA, seluDerivative, sigmoid, sigmoidDerivativeFromValue, softplus, softplusDerivative, softsign, softsignDerivative, tanhDerivativeFromValue } from '../../model/index.ts';
import { numberAttribute, type OperatorRule } from './types.ts';
import { unaryOperator } from './unary.ts';
import { OnnxFormatError } from '../errors.ts';

export const Relu: OperatorRule = unaryOperator(
  (x, y) => { for (let e = 0; e < x.length; e++) y[e] = relu(x[e]); },
  (x, _y, d) => { for (let e = 0; e < x.length; e++) d[e] = reluDerivative(x[e]); },
);

export const LeakyRelu: OperatorRule = unaryOperator(
  (x, y, node) => {
    const slope = numberAttribute(node, 'alpha', 0.01);
    for (let e = 0; e < x.length; e++) y[e] = leakyRelu(x[e], slope);
  },
  (x, _y, d, node) => {
    const slope = numberAttribute(node, 'alpha', 0.01);
    for (let e = 0; e < x.length; e++) d[e] = leakyReluDerivative(x[e], slope);
  },
);

/** tanh by the shared kernel (src/linalg/gemm: WebAssembly SIMD within an ulp of Math.tanh, or Math.tanh). */
export const Tanh: OperatorRule = unaryOperator(
  (x, y) => tanh(x, y, null, x.length),
  (_x, y, d) => { for (let e = 0; e < y.length; e++) d[e] = tanhDerivativeFromValue(y[e]); },
);

export const Sigmoid: OperatorRule = unaryOperator(
  (x, y) => { for (let e = 0; e < x.length; e++) y[e] = sigmoid(x[e]); },
  (_x, y, d) => { for (let e = 0; e < y.length; e++) d[e] = sigmoidDerivativeFromValue(y[e]); },
);

export const Elu: OperatorRule = unaryOperator(
  (x, y, node) => {
    const alpha = numberAttribute(node, 'alpha', 1);
    for (let e = 0; e < x.length; e++) y[e] = elu(x[e], alpha);
  },
  (x, _y, d, node) => {
    const alpha = numberAttribute(node, 'alpha', 1);
    for (let e = 0; e < x.length; e++) d[e] = eluDerivative(x[e], alpha);
  },
);

export const Softplus: OperatorRule = unaryOperator(
  (x, y) => { for (let e = 0; e < x.length; e++) y[e] = softplus(x[e]); },
  (x, _y, d) => { for (let e = 0; e < x.length; e++) d[e] = softplusDerivative(x[e]); },
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
    if (geluMode(node.attributes.get('approximate')) === 'tanh') for (let e = 0; e < x.length; e++) y[e] = geluTanh(x[e]);
    else for (let e = 0; e < x.length; e++) y[e] = gelu(x[e]);
  },
  (x, _y, d, node) => {
    if (geluMode(node.attributes.get('approximate')) === 'tanh') for (let e = 0; e < x.length; e++) d[e] = geluTanhDerivative(x[e]);
    else for (let e = 0; e < x.length; e++) d[e] = geluDerivative(x[e]);
  },
);

/** Selu: γ·x for x > 0, γ·α·(eˣ − 1) otherwise; ONNX defaults are the float32 roundings of the SELU constants. */
export const Selu: OperatorRule = unaryOperator(
  (x, y, node) => {
    const alpha = numberAttribute(node, 'alpha', SELU_ALPHA), gamma = numberAttribute(node, 'gamma', SELU_GAMMA);
    for (let e = 0; e < x.length; e++) y[e] = selu(x[e], alpha, gamma);
  },
  (x, _y, d, node) => {
    const alpha = numberAttribute(node, 'alpha', SELU_ALPHA), gamma = numberAttribute(node, 'gamma', SELU_GAMMA);
    for (let e = 0; e < x.length; e++) d[e] = seluDerivative(x[e], alpha, gamma);
  },
);

/** Celu: max(0, x) + min(0, α·(e^(x/α) − 1)). */
export const Celu: OperatorRule = unaryOperator(
  (x, y, node) => {
    const alpha = numberAttribute(node, 'alpha', 1);
    for (let e = 0; e < x.length; e++) y[e] = celu(x[e], alpha);
  },
  (x, _y, d, node) => {
    const alpha = numberAttribute(node, 'alpha', 1);
    for (let e = 0; e < x.length; e++) d[e] = celuDerivative(x[e], alpha);
  },
);

/** HardSwish: x·max(0, min(1, x/6 + 1/2)). */
export const HardSwish: OperatorRule = unaryOperator(
  (x, y) => { for (let e = 0; e < x.length; e++) y[e] = hardSwish(x[e]); },
  (x, _y, d) => { for (let e = 0; e < x.length; e++) d[e] = hardSwishDerivative(x[e]); },
);

/** Mish (opset 18): x·tanh(softplus(x)). */
export const Mish: OperatorRule = unaryOperator(
  (x, y) => { for (let e = 0; e < x.length; e++) y[e] = mish(x[e]); },
  (x, _y, d) => { for (let e = 0; e < x.length; e++) d[e] = mishDerivative(x[e]); },
);

/** Softsign: x/(1 + |x|). */
export const Softsign: OperatorRule = unaryOperator(
  (x, y) => { for (let e = 0; e < x.length; e++) y[e] = softsign(x[e]); },
  (x, _y, d) => { for (let e = 0; e < x.length; e++) d[e] = softsignDerivative(x[e]); },
);
