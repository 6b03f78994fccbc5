// A synchronous onnxruntime-node session (CPU, one thread) for the finite-difference fallback and
// for tests. The public InferenceSession.run is async only because it defers to setImmediate; the
// native binding it wraps is synchronous, and the Model interface is synchronous, so this uses the
// binding directly. onnxruntime-node is optional: it is loaded on first use, with a clear error.
import { createRequire } from 'node:module';
import { InversaError } from '../core/index.ts';

interface OrtTensor { data: ArrayLike<number | bigint>; dims: readonly number[]; type: string }
interface NativeSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: object): void;
  readonly inputMetadata: { name: string }[];
  readonly outputMetadata: { name: string }[];
  run(feeds: Record<string, unknown>, fetches: Record<string, null>, options: object): Record<string, OrtTensor>;
}

/** onnxruntime-node is missing or failed to load. */
export class RuntimeUnavailableError extends InversaError {}

interface Runtime {
  Tensor: new (type: string, data: Float32Array | Float64Array, dims: readonly number[]) => unknown;
  Session: new () => NativeSession;
}

let runtime: Runtime | undefined;

function loadRuntime(): Runtime {
  if (runtime) return runtime;
  try {
    const require = createRequire(import.meta.url);
    const ort = require('onnxruntime-node') as { Tensor: Runtime['Tensor'] };
    const bindingModule = require('onnxruntime-node/dist/binding.js') as { binding: { InferenceSession: Runtime['Session'] }; initOrt: () => void };
    bindingModule.initOrt();
    runtime = { Tensor: ort.Tensor, Session: bindingModule.binding.InferenceSession };
    return runtime;
  } catch (error) {
    const reason = ((error as Error).message ?? String(error)).split('\n')[0];
    throw new RuntimeUnavailableError(`the finite-difference fallback needs onnxruntime-node, an optional peer dependency of inversa: add it with \`npm install onnxruntime-node@1.23\` (${reason})`);
  }
}

export interface SyncSession {
  readonly inputNames: string[];
  readonly outputNames: string[];
  /** Run on rows×n values; returns every requested output as Float64 with its dims. */
  run(input: Float64Array, rows: number, columns: number, elementType: 'float32' | 'float64', outputs: string[]): Map<string, { data: Float64Array; dims: number[] }>;
}

export function createSyncSession(bytes: Uint8Array): SyncSession {
  const ort = loadRuntime();
  const session = new ort.Session();
  try {
    session.loadModel(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'basic' });
  } catch (error) {
    throw new InversaError(`onnxruntime-node cannot load the model: ${(error as Error).message}`);
  }
  const inputNames = session.inputMetadata.map((m) => m.name);
  const outputNames = session.outputMetadata.map((m) => m.name);
  return {
    inputNames,
    outputNames,
    run(input, rows, columns, elementType, outputs) {
      const data = elementType === 'float32' ? Float32Array.from(input) : input;
      const feeds = { [inputNames[0]]: new ort.Tensor(elementType, data, [rows, columns]) };
      const fetches = Object.fromEntries(outputNames.map((name) => [name, null])); // the binding wants every output
      const result = session.run(feeds, fetches, {});
      const out = new Map<string, { data: Float64Array; dims: number[] }>();
      for (const name of outputs) {
        const value = result[name];
        if (!value) throw new InversaError(`onnxruntime-node returned no output '${name}' (outputs: ${outputNames.join(', ')})`);
        out.set(name, { data: Float64Array.from(value.data as ArrayLike<number>), dims: [...value.dims] });
      }
      return out;
    },
  };
}
