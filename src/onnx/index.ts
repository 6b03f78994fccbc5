// Public API of the ONNX layer: import (exact Float64 interpretation with reverse-mode Jacobians, or
// the opt-in finite-difference fallback), export of inversa's MLPs, and inspection.
export { loadOnnxModel, type LoadOptions } from './load.ts';
export { exportMlpToOnnx, DEFAULT_OPSET, type ExportOptions } from './write.ts';
export { inspectOnnx, type OnnxInspection, type Knowledge } from './inspect.ts';
export { annotateOnnx } from './annotate.ts';
export { OnnxModel } from './model.ts';
export { OnnxFormatError, UnsupportedOperatorError } from './errors.ts';
export { SUPPORTED_OPERATORS } from './ops/registry.ts';
export { METADATA_KEYS } from './metadata.ts';
