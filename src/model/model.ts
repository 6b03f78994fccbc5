// The forward-model interface every layer above works against: y = f(x) with an exact Jacobian.
// Points are the rows of a Matrix (N×n in, N×m out); Jacobians are a MatrixBatch of N m×n matrices.
import type { Matrix, MatrixBatch } from '../linalg/index.ts';

/** Box bounds on the inputs (same order as inputNames). */
export interface Bounds {
  lower: Float64Array;
  upper: Float64Array;
}

/** What is known about a model besides its function: units, box, training statistics, provenance. */
export interface ModelMeta {
  inputUnits?: string[];
  outputUnits?: string[];
  /** Operating box of the inputs (e.g. from the training data or the user). */
  bounds?: Bounds;
  /** Training-set mean and standard deviation of inputs and outputs, when known. */
  inputMean?: Float64Array;
  inputStd?: Float64Array;
  outputMean?: Float64Array;
  outputStd?: Float64Array;
  /** Where inputMean/inputStd and outputMean/outputStd came from (default 'metadata'). */
  inputStatsOrigin?: 'metadata' | 'graph-scaling' | 'training-data';
  outputStatsOrigin?: 'metadata' | 'graph-scaling' | 'training-data';
  /** Where the model came from, e.g. "onnx:model.onnx" or "function:arm". */
  source?: string;
  /** True when the Jacobian is a finite-difference approximation (reports must say so). */
  approximateJacobian?: boolean;
  /** Free-form notes shown by `inspect` (e.g. detected standardization). */
  notes?: string[];
}

export interface Model {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Evaluate N points: x is N×n, result is N×m. */
  forward(x: Matrix): Matrix;
  /** Exact Jacobians ∂y/∂x at N points: N matrices of m×n. */
  jacobian(x: Matrix): MatrixBatch;
  /** Both at once when an implementation can share work (optional; callers fall back to two calls). */
  forwardWithJacobian?(x: Matrix): { y: Matrix; jacobian: MatrixBatch };
  /**
   * Sound interval bounds of every output over the box [lower, upper] (see model/intervals.ts), or
   * null when this model cannot bound itself. Optional: without it nothing can be proven unreachable.
   */
  outputBounds?(lower: Float64Array, upper: Float64Array): Bounds | null;
  readonly meta?: ModelMeta;
}

/** Evaluate outputs and Jacobians, sharing work when the model supports it. */
export function evaluateWithJacobian(model: Model, x: Matrix): { y: Matrix; jacobian: MatrixBatch } {
  return model.forwardWithJacobian ? model.forwardWithJacobian(x) : { y: model.forward(x), jacobian: model.jacobian(x) };
}
