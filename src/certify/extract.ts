// The PwlNetwork of a Model, when it has one: inversa MLPs from their spec, ONNX models from their
// graph. The encoding is checked against the model itself at a few points of the box (Float64,
// relative 1e-9), so a certificate is never about a different function than the one being solved.
import { Matrix } from '../linalg/index.ts';
import { MlpModel, type Bounds, type Model } from '../model/index.ts';
import type { OnnxGraph } from '../onnx/index.ts';
import { pwlNetworkFromMlp } from './from-mlp.ts';
import { pwlNetworkFromOnnx } from './from-onnx.ts';
import { evaluateNetwork, NotPiecewiseLinearError, type PwlNetwork } from './network.ts';

/** Relative agreement required between the encoding and the model at the check points. */
export const ENCODING_CHECK_RTOL = 1e-9;
const CHECK_POINTS = 8;

export type Extraction = { network: PwlNetwork } | { reason: string };

/** The network of a model, or why there is none (smooth activations, unsupported operators, no graph). */
export function extractNetwork(model: Model, box: Bounds): Extraction {
  let network: PwlNetwork;
  try {
    const graph = (model as { graph?: OnnxGraph }).graph;
    const outputName = (model as { outputName?: string }).outputName;
    if (model instanceof MlpModel) network = pwlNetworkFromMlp(model.spec);
    else if (graph) network = pwlNetworkFromOnnx(graph, { output: outputName });
    else return { reason: 'the model is neither an inversa MLP nor an ONNX graph, so its piecewise-linear structure is unknown' };
  } catch (error) {
    if (error instanceof NotPiecewiseLinearError) return { reason: error.message };
    throw error;
  }
  if (network.inputCount !== model.inputNames.length || network.outputs.length !== model.outputNames.length) {
    return { reason: `the encoded network maps ${network.inputCount} → ${network.outputs.length} values but the model ${model.inputNames.length} → ${model.outputNames.length}` };
  }
  const mismatch = checkEncoding(model, network, box);
  if (mismatch) return { reason: mismatch };
  return { network };
}

/** Compare encoding and model at the box centre, corners-ish and a deterministic spread of points. */
function checkEncoding(model: Model, network: PwlNetwork, box: Bounds): string | null {
  const n = network.inputCount, m = network.outputs.length;
  const points = new Matrix(CHECK_POINTS, n);
  for (let p = 0; p < CHECK_POINTS; p++) {
    for (let j = 0; j < n; j++) {
      // Fractions of the box from a fixed low-discrepancy sequence (no randomness needed).
      const t = p === 0 ? 0.5 : ((p * 0.6180339887498949 + j * 0.7548776662466927) % 1);
      const lo = box.lower[j], hi = box.upper[j];
      points.data[p * n + j] = lo + t * (hi - lo);
    }
  }
  const y = model.forward(points);
  for (let p = 0; p < CHECK_POINTS; p++) {
    const encoded = evaluateNetwork(network, points.data.subarray(p * n, (p + 1) * n));
    for (let i = 0; i < m; i++) {
      const value = y.data[p * m + i];
      if (Math.abs(encoded[i] - value) > ENCODING_CHECK_RTOL * (1 + Math.abs(value))) {
        return `the piecewise-linear encoding disagrees with the model at a check point (output ${model.outputNames[i]}: ${encoded[i]} vs ${value}); not certifying`;
      }
    }
  }
  return null;
}
