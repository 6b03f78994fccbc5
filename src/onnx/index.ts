// Entry of src/onnx/: ONNX reader, Float64 interpreter with reverse-mode Jacobians and interval bounds (`ops/` one file per operator family), dense-chain fast path, scaling detection, exporter, annotate.
// Other folders import from this folder only through this file (test/architecture.test.ts), so it
// lists what they use: add a name here when another folder needs it.
export { annotateOnnx, columnQuantiles } from './annotate.ts';
export { OnnxFormatError, UnsupportedOperatorError } from './errors.ts';
export type { Evaluator } from './evaluator.ts';
export { float64Copy } from './float64-copy.ts';
export { ELEMENT_TYPES, isFloatType } from './graph.ts';
export type { GraphNode, OnnxGraph } from './graph.ts';
export { inspectOnnx } from './inspect.ts';
export type { Knowledge, OnnxInspection } from './inspect.ts';
export { loadOnnxModel, loadOnnxModelWith } from './load.ts';
export type { FallbackEngineFactory, LoadOptions } from './load.ts';
export { METADATA_KEYS } from './metadata.ts';
export { OnnxModel } from './model.ts';
export { SUPPORTED_OPERATORS, operatorRule } from './ops/registry.ts';
export { freshForwardContext } from './ops/types.ts';
export { rebuildModel } from './portable.ts';
export { broadcastDims, broadcastIndex, dimsText, sizeOf } from './tensor.ts';
export type { Tensor } from './tensor.ts';
export { DEFAULT_OPSET, exportMlpToOnnx } from './write.ts';
export type { ExportOptions } from './write.ts';
