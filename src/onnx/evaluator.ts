// What OnnxModel needs from an engine: evaluate rows of x, optionally with their Jacobians. The exact
// engine is the interpreter (interpret.ts); the approximate one is central differences through
// onnxruntime-node (finite-differences.ts).
export interface Evaluator {
  readonly inputCount: number;
  readonly outputCount: number;
  /** True when Jacobians are finite-difference approximations. */
  readonly approximate: boolean;
  /**
   * y (rows×m, at yOffset) and, when `jacobian` is given, rows m×n Jacobians (point-major, at
   * jacobianOffset) for x (rows×n, row-major). `scale` is a typical size per input (σ) for
   * approximate engines; exact engines ignore it.
   */
  run(x: Float64Array, rows: number, y: Float64Array, yOffset: number, jacobian?: Float64Array, jacobianOffset?: number, scale?: Float64Array): void;
  /** Sound interval bounds of the outputs over a box (exact engines only). */
  outputBounds?(lower: Float64Array, upper: Float64Array): { lower: Float64Array; upper: Float64Array };
}
