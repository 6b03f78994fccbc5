// The Node entry points for loading models: from a file path, and from bytes with the opt-in
// finite-difference fallback, whose engine (onnxruntime-node, an optional peer dependency) is
// imported only when a graph needs it. The browser entry uses src/onnx/load.ts without it.
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from '../core/index.ts';
import type { Model } from '../model/index.ts';
import { type FallbackEngineFactory, loadOnnxModelWith, type LoadOptions, type OnnxModel } from '../onnx/index.ts';
import { assertRegularFile, MAX_MODEL_FILE_BYTES } from './input-file.ts';

const finiteDifferenceEngine: FallbackEngineFactory = async (bytes, inputCount, outputName, source) => {
  const { FiniteDifferenceEvaluator } = await import('./finite-differences.ts');
  return new FiniteDifferenceEvaluator(bytes, inputCount, outputName, source);
};

/** ONNX bytes → model; with `fallback: 'finite-differences'`, unsupported operators run in onnxruntime-node. */
export async function loadOnnxModel(bytes: Uint8Array, options: LoadOptions = {}): Promise<OnnxModel> {
  return loadOnnxModelWith(bytes, options, finiteDifferenceEngine);
}

/** Load a model file by extension (ONNX today). */
export async function loadModelFile(path: string, options: LoadOptions = {}): Promise<Model> {
  const lower = path.toLowerCase();
  if (!lower.endsWith('.onnx')) {
    throw new InvalidArgumentError(`model file '${path}' is not an .onnx file; inversa loads ONNX models (export from PyTorch with torch.onnx.export)`);
  }
  assertRegularFile(path, 'model', MAX_MODEL_FILE_BYTES);
  const bytes = await readFile(path);
  const name = path.split(/[\\/]/).pop() ?? path;
  return loadOnnxModel(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { ...options, source: options.source ?? name });
}
