// Shared helpers of the ONNX tests: fixture loading, relative errors, onnxruntime-node as the
// reference evaluator, and a tiny builder for hand-made graphs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Matrix } from '../../src/linalg/matrix.ts';
import { onnx, type OnnxTypes } from '../../src/onnx/proto.ts';
import { createSyncSession } from '../../src/io/onnx-runtime.ts';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export interface FixtureReference {
  model: string;
  elementType: 'float32' | 'float64';
  inputName: string;
  outputNames: string[];
  operators: Record<string, number>;
  points: number[][];
  outputs: Record<string, number[][]>;
  jacobians: Record<string, number[][][]>;
  standardization?: { inputMean: number[]; inputStd: number[]; outputMean: number[]; outputStd: number[] };
}

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(FIXTURES, `${name}.onnx`)));
}

export function fixtureReference(name: string): FixtureReference {
  return JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as FixtureReference;
}

/** max_k |a_k − b_k| / max(max_k |b_k|, floor): error relative to the reference's scale. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = Number.MIN_VALUE): number {
  let scale = floor, error = 0;
  for (let k = 0; k < expected.length; k++) scale = Math.max(scale, Math.abs(expected[k]));
  for (let k = 0; k < expected.length; k++) error = Math.max(error, Math.abs(actual[k] - expected[k]));
  return error / scale;
}

/** Largest error of point-wise blocks (each block relative to its own scale). */
export function blockwiseRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>, blockSize: number): number {
  let worst = 0;
  for (let start = 0; start < expected.length; start += blockSize) {
    const a = Array.from({ length: blockSize }, (_, k) => actual[start + k]);
    const e = Array.from({ length: blockSize }, (_, k) => expected[start + k]);
    worst = Math.max(worst, relativeError(a, e));
  }
  return worst;
}

export function flatten(values: number[][] | number[][][]): Float64Array {
  return Float64Array.from((values as unknown[]).flat(2) as number[]);
}

/** onnxruntime-node's output for the rows of x (in the graph's own element type). */
export function runtimeOutput(bytes: Uint8Array, x: Matrix, elementType: 'float32' | 'float64', output?: string): Float64Array {
  const session = createSyncSession(bytes);
  const name = output ?? session.outputNames[0];
  return session.run(x.data, x.rows, x.cols, elementType, [name]).get(name)!.data;
}

/** Central differences of f at every row of x (step h·max(1,|x_j|)): N blocks of m×n, point-major. */
export function centralDifferences(f: (x: Matrix) => Matrix, x: Matrix, m: number, h = 1e-6): Float64Array {
  const n = x.cols, out = new Float64Array(x.rows * m * n);
  for (let j = 0; j < n; j++) {
    const plus = x.clone(), minus = x.clone();
    const steps = new Float64Array(x.rows);
    for (let i = 0; i < x.rows; i++) {
      const step = h * Math.max(1, Math.abs(x.get(i, j)));
      plus.data[i * n + j] += step;
      minus.data[i * n + j] -= step;
      steps[i] = plus.data[i * n + j] - minus.data[i * n + j];
    }
    const yPlus = f(plus), yMinus = f(minus);
    for (let i = 0; i < x.rows; i++) for (let s = 0; s < m; s++) out[i * m * n + s * n + j] = (yPlus.get(i, s) - yMinus.get(i, s)) / steps[i];
  }
  return out;
}

const FLOAT = 1, DOUBLE = 11;

/** A one-input, one-output graph from nodes (input 'x' [batch, n], output 'y' [batch, m]). */
export function buildModel(options: {
  n: number; m: number; nodes: OnnxTypes.INodeProto[]; initializers?: Record<string, { dims: number[]; values: number[]; int64?: boolean }>;
  float64?: boolean; opset?: number; inputShape?: (number | string)[];
}): Uint8Array {
  const type = options.float64 ? DOUBLE : FLOAT;
  const shape = (dims: (number | string)[]) => ({ dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) });
  const initializer = Object.entries(options.initializers ?? {}).map(([name, { dims, values, int64 }]) => {
    if (int64) return { name, dims, dataType: 7, rawData: new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer) };
    const data = options.float64 ? Float64Array.from(values) : Float32Array.from(values);
    return { name, dims, dataType: type, rawData: new Uint8Array(data.buffer) };
  });
  const opset = options.opset ?? 17;
  const model: OnnxTypes.IModelProto = {
    irVersion: opset >= 19 ? 9 : 8,
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: 'test',
      node: options.nodes,
      initializer,
      input: [{ name: 'x', type: { tensorType: { elemType: type, shape: shape(options.inputShape ?? ['batch', options.n]) } } }],
      output: [{ name: 'y', type: { tensorType: { elemType: type, shape: shape(['batch', options.m]) } } }],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

export function node(opType: string, inputs: string[], outputs: string[], attributes: OnnxTypes.IAttributeProto[] = []): OnnxTypes.INodeProto {
  return { opType, name: `${opType}_${outputs[0]}`, input: inputs, output: outputs, attribute: attributes };
}

export const attr = {
  float: (name: string, f: number): OnnxTypes.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f }),
  int: (name: string, i: number): OnnxTypes.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i }),
  ints: (name: string, ints: number[]): OnnxTypes.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints }),
  string: (name: string, s: string): OnnxTypes.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(s) }),
};
