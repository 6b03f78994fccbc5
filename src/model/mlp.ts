// A dense or residual MLP (MlpSpec) as a Model, with its exact Jacobian for whole batches.
//
// The affine input transform (standardization, projection) is folded into the first layer and the
// affine output transform into the output layer at construction, so a point goes through
//   h_1 = act(W̃_1 x + b̃_1), …, h_L = act(W_L h_{L−1} + b_L) [+ S̃ x + s̃ for resmlp], y = W̃_out h_L + b̃_out
// and its Jacobian is J = W̃_out · D_L · W_L ⋯ D_1 · W̃_1 (+ W̃_out · S̃), D_l = diag(act'(pre_l)).
//
// Speed: points are processed in blocks of BLOCK_POINTS. The Jacobian is a reverse sweep over the
// whole block at once: the m rows of every point are stacked into a (block·m)×width matrix G, and
// each layer is one dense product G ← (G · W_l) ⊙ D_{l−1}, done by a register-blocked kernel over
// contiguous rows. The stacking order (point, output row) makes the last product land directly in
// the MatrixBatch layout. Buffers are allocated once per call; the loops allocate nothing.
// Reverse mode costs m·width² per layer and point, forward mode n·width²: the WASM path runs
// forward mode when n < m (jacobianModeFor; the rows (point, input) then carry ∂h/∂x_j through the
// same products, and Jᵀ is transposed on the way out), reverse mode otherwise (e.g. 7 inputs, 4 outputs).
//
// Two backends give the same numbers (to rounding): with WebAssembly SIMD (src/linalg/kernels) the
// whole chain (weights, block activations, derivatives, sweep buffers) lives in the kernels' heap,
// points go in and results come out block by block, and tanh with its derivative is computed there
// too; otherwise the same algorithm runs on the register-blocked JS kernels.
import { MatrixBatch } from '../linalg/batch.ts';
import { activeWasmKernels, multiplyTransposedJs, ProductMode, type WasmKernels } from '../linalg/kernels/index.ts';
import { SCALED_ROWS_MODE } from '../linalg/kernels/wasm-module.ts';
import { assertFinite, InvalidArgumentError, NonFiniteError, ShapeError, shapeText } from '../linalg/errors.ts';
import { Matrix } from '../linalg/matrix.ts';
import { activationParameterOrDefault, applyActivation } from './activations.ts';
import { ACTIVATIONS, type Activation, type DenseLayer, type LayerNorm, type MlpSpec } from './mlp-spec.ts';
import { activationInterval, affineInterval, widenOutward } from './intervals.ts';
import type { Bounds, Model, ModelMeta } from './model.ts';

/** Points per block: G then holds BLOCK_POINTS·m·width doubles (128·4·64·8 B = 256 KiB, cache-sized). */
const BLOCK_POINTS = 128;
/** Points per block on the WASM path (tuned with bench/suites/mlp.ts; its heap stays ~1 MB for 64-wide layers). */
const WASM_BLOCK_POINTS = 128;
/** Below this many output columns, products use the A·Bᵀ kernel (vectorized along the inner dimension). */
const NARROW_PRODUCT_COLUMNS = 8;

/** Forward mode pushes input directions through the chain, reverse mode output rows back. */
export type JacobianMode = 'forward' | 'reverse';

/** An affine layer after folding: weight outputs×inputs, its transpose, and bias. */
interface FoldedLayer {
  inputs: number;
  outputs: number;
  weight: Float64Array;
  weightTransposed: Float64Array;
  bias: Float64Array;
}

export class MlpModel implements Model {
  readonly spec: MlpSpec;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly meta: ModelMeta;
  private readonly activation: Activation;
  private readonly activationParameter: number;
  /** Hidden layers; the first has the input transform folded in. */
  private readonly hidden: FoldedLayer[];
  /** Per hidden layer: its layer normalization (before the activation), or null. */
  private readonly norms: (LayerNorm | null)[];
  /** Output layer with the output transform folded in (and the input transform when there are no hidden layers). */
  private readonly output: FoldedLayer;
  /** resmlp: the skip map from raw x to the last hidden width, input transform folded in. */
  private readonly skip: FoldedLayer | null;
  /** resmlp: the constant Jacobian part W̃_out · S̃ (m×n). */
  private readonly skipJacobian: Float64Array | null;
  /** How the WASM path sweeps for Jacobians (the JS path always runs reverse mode). */
  readonly jacobianMode: JacobianMode;
  /** Weights laid out for the WASM heap, built on first use there. */
  private wasmLayout: WasmLayout | null = null;

  /** `options.jacobianMode` overrides the choice by shape (jacobianModeFor); tests and benchmarks compare both. */
  constructor(spec: MlpSpec, options: { jacobianMode?: JacobianMode } = {}) {
    validateSpec(spec);
    this.jacobianMode = options.jacobianMode ?? jacobianModeFor(spec.inputNames.length, spec.outputNames.length);
    if (this.jacobianMode !== 'forward' && this.jacobianMode !== 'reverse') throw new InvalidArgumentError(`jacobianMode '${String(this.jacobianMode)}' is unknown; accepted: 'forward', 'reverse'`);
    this.spec = spec;
    this.inputNames = [...spec.inputNames];
    this.outputNames = [...spec.outputNames];
    this.activation = spec.activation;
    this.activationParameter = activationParameterOrDefault(spec.activation, spec.activationParameter);
    this.meta = buildMeta(spec);

    const inputCount = spec.inputNames.length;
    const inputMap = inputAffineMap(spec); // s' = A_in x + c_in
    const outputMap = outputAffineMap(spec); // y = A_out z + c_out
    const hiddenSpecs = spec.layers.slice(0, -1);
    const outputSpec = spec.layers[spec.layers.length - 1];

    this.hidden = hiddenSpecs.map((layer, index) => (index === 0 ? foldInput(layer, inputMap, inputCount) : foldNothing(layer)));
    this.norms = hiddenSpecs.map((_, index) => spec.layerNorms?.[index] ?? null);
    const outputAfterInput = hiddenSpecs.length === 0 ? foldInput(outputSpec, inputMap, inputCount) : foldNothing(outputSpec);
    this.output = foldOutput(outputAfterInput, outputMap);
    if (spec.kind === 'resmlp' && spec.skip) {
      this.skip = foldInput(spec.skip, inputMap, inputCount);
      this.skipJacobian = new Float64Array(this.output.outputs * inputCount);
      multiplyPlain(this.output.weight, this.output.outputs, this.output.inputs, this.skip.weight, inputCount, this.skipJacobian);
    } else {
      this.skip = null;
      this.skipJacobian = null;
    }
  }

  get inputCount(): number {
    return this.inputNames.length;
  }

  get outputCount(): number {
    return this.outputNames.length;
  }

  forward(x: Matrix): Matrix {
    return this.evaluate(x, false).y;
  }

  jacobian(x: Matrix): MatrixBatch {
    return this.evaluate(x, true).jacobian as MatrixBatch;
  }

  /** Sound interval bounds of the outputs over the box (model/intervals.ts), through the folded layers. */
  outputBounds(lower: Float64Array, upper: Float64Array): Bounds {
    let lo = Float64Array.from(lower), hi = Float64Array.from(upper);
    const through = (layer: FoldedLayer, fromLo: Float64Array, fromHi: Float64Array) => {
      const outLo = new Float64Array(layer.outputs), outHi = new Float64Array(layer.outputs);
      affineInterval(layer.weight, layer.bias, layer.outputs, layer.inputs, fromLo, fromHi, outLo, outHi);
      return [outLo, outHi] as const;
    };
    this.hidden.forEach((layer, l) => {
      [lo, hi] = through(layer, lo, hi);
      const norm = this.norms[l];
      if (norm) layerNormInterval(norm, lo, hi);
      activationInterval(this.activation, this.activationParameter, lo, hi);
    });
    if (this.skip) {
      const [skipLo, skipHi] = through(this.skip, lower, upper);
      for (let k = 0; k < lo.length; k++) { lo[k] += skipLo[k]; hi[k] += skipHi[k]; }
      widenIn(lo, hi);
    }
    const [outLo, outHi] = through(this.output, lo, hi);
    return { lower: outLo, upper: outHi };
  }

  forwardWithJacobian(x: Matrix): { y: Matrix; jacobian: MatrixBatch } {
    const { y, jacobian } = this.evaluate(x, true);
    return { y, jacobian: jacobian as MatrixBatch };
  }

  private checkInput(x: Matrix): void {
    if (!(x instanceof Matrix)) throw new ShapeError(`x must be a Matrix of points (N×${this.inputCount}), got ${typeof x}`);
    if (x.cols !== this.inputCount) {
      throw new ShapeError(
        `x is ${shapeText(x.rows, x.cols)} but the model takes ${this.inputCount} inputs (${this.inputNames.join(', ')}); pass N×${this.inputCount}`,
      );
    }
    assertFinite(x.data, 'x', x.cols);
  }

  private evaluate(x: Matrix, withJacobian: boolean): { y: Matrix; jacobian: MatrixBatch | null } {
    const y = new Matrix(x.rows, this.outputCount);
    const jacobian = withJacobian ? new MatrixBatch(x.rows, this.outputCount, this.inputCount) : null;
    this.evaluateInto(x, y, jacobian);
    return { y, jacobian };
  }

  /**
   * f(x) into `y` (N×m) and, unless `jacobian` is null, the Jacobians into `jacobian` (N of m×n):
   * the allocation-free form for callers that evaluate the same shapes again and again (the WASM
   * path then allocates nothing per call; its heap only grows to the largest block seen).
   */
  evaluateInto(x: Matrix, y: Matrix, jacobian: MatrixBatch | null): void {
    this.checkInput(x);
    const count = x.rows;
    if (!(y instanceof Matrix) || y.rows !== count || y.cols !== this.outputCount) {
      throw new ShapeError(`y must be a ${shapeText(count, this.outputCount)} Matrix for ${count} points, got ${y instanceof Matrix ? shapeText(y.rows, y.cols) : typeof y}`);
    }
    if (jacobian !== null && (!(jacobian instanceof MatrixBatch) || jacobian.count !== count || jacobian.rows !== this.outputCount || jacobian.cols !== this.inputCount)) {
      throw new ShapeError(`jacobian must be a MatrixBatch of ${count} ${shapeText(this.outputCount, this.inputCount)} matrices`);
    }
    const kernels = activeWasmKernels();
    if (kernels && this.hidden.length > 0) this.evaluateWasm(kernels, x, y, jacobian);
    else this.evaluateJs(x, y, jacobian);
    if (count > 0) {
      assertModelFinite(y.data, 'forward output', this.outputCount, this.outputNames);
      if (jacobian) assertModelFinite(jacobian.data, 'Jacobian', this.outputCount * this.inputCount, this.outputNames);
    }
  }

  /** The JS-kernel path: blocks of BLOCK_POINTS points through JS typed arrays. */
  private evaluateJs(x: Matrix, y: Matrix, jacobian: MatrixBatch | null): void {
    const n = this.inputCount, m = this.outputCount, count = x.rows, withJacobian = jacobian !== null;
    const hidden = this.hidden, layerCount = hidden.length;
    const block = Math.min(BLOCK_POINTS, Math.max(count, 1));

    // Workspace, allocated once per call.
    const values = hidden.map((layer) => new Float64Array(block * layer.outputs));
    const derivatives = withJacobian ? hidden.map((layer) => new Float64Array(block * layer.outputs)) : [];
    const norms = this.norms;
    const normalized = hidden.map((layer, l) => (withJacobian && norms[l] ? new Float64Array(block * layer.outputs) : null));
    const invStd = hidden.map((_, l) => (withJacobian && norms[l] ? new Float64Array(block) : null));
    const skipBuffer = this.skip ? new Float64Array(block * this.skip.outputs) : null;
    const maxWidth = hidden.reduce((widest, layer) => Math.max(widest, layer.outputs), 1);
    const sweepA = withJacobian ? new Float64Array(block * m * maxWidth) : null;
    const sweepB = withJacobian ? new Float64Array(block * m * maxWidth) : null;

    for (let start = 0; start < count; start += block) {
      const points = Math.min(block, count - start);
      // Forward through the hidden layers, keeping activation derivatives for the sweep.
      let source = x.data, sourceOffset = start * n, sourceWidth = n;
      for (let l = 0; l < layerCount; l++) {
        const layer = hidden[l], out = values[l];
        multiplyByTransposed(source, sourceOffset, points, sourceWidth, layer.weight, layer.outputs, out, 0);
        addBias(out, 0, points, layer.outputs, layer.bias);
        const norm = norms[l];
        if (norm) layerNormForward(norm, out, 0, points, layer.outputs, normalized[l], invStd[l]);
        applyActivation(this.activation, out, out, withJacobian ? derivatives[l] : null, this.activationParameter, points * layer.outputs);
        if (norm && withJacobian) scaleColumns(derivatives[l], 0, points, layer.outputs, norm.scale);
        source = out; sourceOffset = 0; sourceWidth = layer.outputs;
      }
      if (this.skip && skipBuffer) {
        const skip = this.skip;
        multiplyByTransposed(x.data, start * n, points, n, skip.weight, skip.outputs, skipBuffer, 0);
        addBias(skipBuffer, 0, points, skip.outputs, skip.bias);
        const last = values[layerCount - 1];
        for (let k = 0, size = points * skip.outputs; k < size; k++) last[k] += skipBuffer[k];
      }
      multiplyByTransposed(source, sourceOffset, points, sourceWidth, this.output.weight, m, y.data, start * m);
      addBias(y.data, start * m, points, m, this.output.bias);

      if (jacobian && sweepA && sweepB) this.jacobianBlock(points, derivatives, normalized, invStd, sweepA, sweepB, jacobian.data, start * m * n);
    }
  }

  /**
   * The WASM path: weights (copied once while this model owns the heap), then per block of
   * WASM_BLOCK_POINTS points: x in, forward with tanh in WASM (other activations in JS on heap views),
   * y out, reverse sweep G ← (G·W_l) ⊙ D_{l−1} with the derivative scaling fused into the product's
   * store (forward sweep instead when n < m), J out.
   */
  private evaluateWasm(kernels: WasmKernels, x: Matrix, y: Matrix, jacobian: MatrixBatch | null): void {
    const layout = (this.wasmLayout ??= buildWasmLayout(this.hidden, this.norms, this.output, this.skip, this.skipJacobian));
    const n = this.inputCount, m = this.outputCount, count = x.rows, withJacobian = jacobian !== null;
    const hidden = this.hidden, layerCount = hidden.length, lastWidth = hidden[layerCount - 1].outputs;
    const block = Math.min(WASM_BLOCK_POINTS, Math.max(count, 1));
    const maxWidth = hidden.reduce((widest, layer) => Math.max(widest, layer.inputs, layer.outputs), n);

    // Block regions after the weights, each at an even index (16-byte aligned for v128 loads).
    let end = layout.size;
    const region = (doubles: number): number => { const at = end; end += doubles + (doubles & 1); return at; };
    const xAt = region(block * n);
    const valuesAt = hidden.map((layer) => region(block * layer.outputs));
    const derivativesAt = hidden.map((layer) => region(withJacobian ? block * layer.outputs : 0));
    const norms = this.norms;
    const normalizedAt = hidden.map((layer, l) => (withJacobian && norms[l] ? region(block * layer.outputs) : -1));
    const invStdAt = hidden.map((_, l) => (withJacobian && norms[l] ? region(block) : -1));
    const yAt = region(block * m);
    // Reverse mode stacks m rows per point, forward mode n (whichever is fewer: see jacobianModeFor).
    const forwardMode = this.jacobianMode === 'forward', sweepRows = forwardMode ? n : m;
    const sweepAt = [region(withJacobian ? block * sweepRows * maxWidth : 0), region(withJacobian ? block * sweepRows * maxWidth : 0)];
    const jacobianAt = region(withJacobian ? block * m * n : 0);
    const heap = kernels.reserve(8 * end);
    if (!kernels.claim(layout)) heap.set(layout.data, 0);

    const tanhInWasm = this.activation === 'tanh';
    const valueViews = tanhInWasm ? [] : hidden.map((layer, l) => heap.subarray(valuesAt[l], valuesAt[l] + block * layer.outputs));
    const derivativeViews = tanhInWasm || !withJacobian ? [] : hidden.map((layer, l) => heap.subarray(derivativesAt[l], derivativesAt[l] + block * layer.outputs));
    const skipJacobian = this.skipJacobian, stride = m * n;

    for (let start = 0; start < count; start += block) {
      const points = Math.min(block, count - start);
      heap.set(x.data.subarray(start * n, (start + points) * n), xAt);
      let source = xAt;
      for (let l = 0; l < layerCount; l++) {
        const layer = hidden[l], weights = layout.layers[l], size = points * layer.outputs;
        product(kernels, source, points, layer.inputs, layer.outputs, weights, valuesAt[l], ProductMode.Bias, weights.biasAt);
        const norm = norms[l];
        if (norm) layerNormForward(norm, heap, valuesAt[l], points, layer.outputs, normalizedAt[l] >= 0 ? heap.subarray(normalizedAt[l]) : null, invStdAt[l] >= 0 ? heap.subarray(invStdAt[l]) : null);
        if (tanhInWasm) kernels.tanh(8 * valuesAt[l], 8 * valuesAt[l], 8 * derivativesAt[l], size, withJacobian ? 1 : 0);
        else applyActivation(this.activation, valueViews[l], valueViews[l], withJacobian ? derivativeViews[l] : null, this.activationParameter, size);
        if (norm && withJacobian) kernels.scaleRowGroups(8 * layout.layers[l].normScaleAt, 0, 8 * derivativesAt[l], 8 * derivativesAt[l], points, 1, layer.outputs); // D ⊙= γ
        source = valuesAt[l];
      }
      const output = layout.output;
      product(kernels, source, points, lastWidth, m, output, yAt, ProductMode.Bias, output.biasAt);
      if (layout.skipAt >= 0) kernels.multiplyTransposed(8 * xAt, 8 * layout.skipAt, 8 * yAt, points, n, m, n, n, m, ProductMode.Accumulate, 0);
      y.data.set(heap.subarray(yAt, yAt + points * m), start * m);
      if (!jacobian) continue;
      if (forwardMode) {
        this.forwardSweepWasm(kernels, layout, heap, points, derivativesAt, normalizedAt, invStdAt, sweepAt, jacobianAt);
        const out = jacobian.data, outOffset = start * stride;
        // The sweep gives Jᵀ per point (n×m, at jacobianAt): transpose into the batch layout.
        for (let p = 0; p < points; p++) {
          const from = jacobianAt + p * stride, to = outOffset + p * stride;
          for (let r = 0; r < m; r++) for (let j = 0; j < n; j++) out[to + r * n + j] = heap[from + j * m + r];
        }
        if (skipJacobian) addToEach(out, outOffset, points, skipJacobian);
        continue;
      }

      // G[(p, r), j] = W̃_out[r, j] · D_L[p, j], then G ← (G·W_l) ⊙ D_{l−1}, then J = G·W̃_1.
      let current = sweepAt[0], other = sweepAt[1];
      kernels.scaleRowGroups(8 * output.weightAt, 0, 8 * derivativesAt[layerCount - 1], 8 * current, points, m, lastWidth);
      if (normalizedAt[layerCount - 1] >= 0) kernels.layerNormBackward(8 * current, 8 * normalizedAt[layerCount - 1], 8 * invStdAt[layerCount - 1], points, m, lastWidth, 1 / lastWidth);
      for (let l = layerCount - 1; l >= 1; l--) {
        const layer = hidden[l];
        scaledProduct(kernels, current, points, m, layer.outputs, layer.inputs, layout.layers[l].backward, other, derivativesAt[l - 1]);
        if (normalizedAt[l - 1] >= 0) kernels.layerNormBackward(8 * other, 8 * normalizedAt[l - 1], 8 * invStdAt[l - 1], points, m, layer.inputs, 1 / layer.inputs);
        const swap = current; current = other; other = swap;
      }
      product(kernels, current, points * m, hidden[0].outputs, n, layout.layers[0].backward, jacobianAt, ProductMode.Overwrite, 0);
      const out = jacobian.data, outOffset = start * stride;
      out.set(heap.subarray(jacobianAt, jacobianAt + points * stride), outOffset);
      if (skipJacobian) addToEach(out, outOffset, points, skipJacobian);
    }
  }

  /**
   * Forward-mode sweep of one block (cheaper when n < m): the n columns of every point's Jacobian
   * pushed through the chain as rows, G[(p, j), ·] = ∂h_l/∂x_j:  G ⟵ W̃_1ᵀ per point, then per layer
   * [G ⟵ G·W_lᵀ], [LayerNorm step], G ⟵ G ⊙ D_l; finally Jᵀ = G·W̃_outᵀ (n×m per point at jacobianAt).
   */
  private forwardSweepWasm(
    kernels: WasmKernels, layout: WasmLayout, heap: Float64Array, points: number,
    derivativesAt: number[], normalizedAt: number[], invStdAt: number[], sweepAt: number[], jacobianAt: number,
  ): void {
    const n = this.inputCount, m = this.outputCount, hidden = this.hidden, layerCount = hidden.length;
    let current = sweepAt[0], other = sweepAt[1];
    const firstWidth = hidden[0].outputs, first = layout.layers[0];
    if (normalizedAt[0] >= 0) {
      for (let p = 0; p < points; p++) heap.copyWithin(current + p * n * firstWidth, first.transposedAt, first.transposedAt + n * firstWidth);
      kernels.layerNormBackward(8 * current, 8 * normalizedAt[0], 8 * invStdAt[0], points, n, firstWidth, 1 / firstWidth);
      kernels.scaleRowGroups(8 * current, 8 * n * firstWidth, 8 * derivativesAt[0], 8 * current, points, n, firstWidth);
    } else {
      kernels.scaleRowGroups(8 * first.transposedAt, 0, 8 * derivativesAt[0], 8 * current, points, n, firstWidth);
    }
    for (let l = 1; l < layerCount; l++) {
      const layer = hidden[l];
      if (normalizedAt[l] >= 0) {
        // The layer normalization's step comes between the product and the derivative scaling.
        product(kernels, current, points * n, layer.inputs, layer.outputs, layout.layers[l], other, ProductMode.Overwrite, 0);
        kernels.layerNormBackward(8 * other, 8 * normalizedAt[l], 8 * invStdAt[l], points, n, layer.outputs, 1 / layer.outputs);
        kernels.scaleRowGroups(8 * other, 8 * n * layer.outputs, 8 * derivativesAt[l], 8 * other, points, n, layer.outputs);
      } else {
        scaledProduct(kernels, current, points, n, layer.inputs, layer.outputs, layout.layers[l], other, derivativesAt[l]);
      }
      const swap = current; current = other; other = swap;
    }
    product(kernels, current, points * n, hidden[layerCount - 1].outputs, m, layout.output, jacobianAt, ProductMode.Overwrite, 0);
  }

  /** Reverse sweep for `points` points whose activation derivatives are in `derivatives`. */
  private jacobianBlock(
    points: number,
    derivatives: Float64Array[],
    normalized: (Float64Array | null)[],
    invStd: (Float64Array | null)[],
    sweepA: Float64Array,
    sweepB: Float64Array,
    out: Float64Array,
    outOffset: number,
  ): void {
    const n = this.inputCount, m = this.outputCount, hidden = this.hidden, layerCount = hidden.length;
    const stride = m * n;
    if (layerCount === 0) {
      // Affine model: the Jacobian is the folded output weight everywhere.
      for (let p = 0; p < points; p++) out.set(this.output.weight, outOffset + p * stride);
      return;
    }
    // G[(p, r), j] = W̃_out[r, j] · D_L[p, j]
    const lastWidth = hidden[layerCount - 1].outputs, outputWeight = this.output.weight;
    let lastDerivative = derivatives[layerCount - 1];
    let current = sweepA, other = sweepB;
    for (let p = 0; p < points; p++) {
      const derivativeOffset = p * lastWidth;
      for (let r = 0; r < m; r++) {
        const rowOffset = (p * m + r) * lastWidth, weightOffset = r * lastWidth;
        for (let j = 0; j < lastWidth; j++) current[rowOffset + j] = outputWeight[weightOffset + j] * lastDerivative[derivativeOffset + j];
      }
    }
    const lastNormalized = normalized[layerCount - 1], lastInvStd = invStd[layerCount - 1];
    if (lastNormalized && lastInvStd) layerNormBackward(current, 0, points, m, lastWidth, lastNormalized, 0, lastInvStd, 0);
    // G ← (G · W_l) ⊙ D_{l−1}, for l = L … 2.
    for (let l = layerCount - 1; l >= 1; l--) {
      const layer = hidden[l], width = layer.inputs;
      multiplyByTransposed(current, 0, points * m, layer.outputs, layer.weightTransposed, width, other, 0);
      lastDerivative = derivatives[l - 1];
      for (let p = 0; p < points; p++) {
        const derivativeOffset = p * width;
        for (let r = 0; r < m; r++) {
          const rowOffset = (p * m + r) * width;
          for (let k = 0; k < width; k++) other[rowOffset + k] *= lastDerivative[derivativeOffset + k];
        }
      }
      const below = normalized[l - 1], belowInvStd = invStd[l - 1];
      if (below && belowInvStd) layerNormBackward(other, 0, points, m, width, below, 0, belowInvStd, 0);
      const swap = current; current = other; other = swap;
    }
    // J = G · W̃_1, written straight into the batch (rows (p, r) are the batch layout).
    const first = hidden[0];
    multiplyByTransposed(current, 0, points * m, first.outputs, first.weightTransposed, n, out, outOffset);
    const skipJacobian = this.skipJacobian;
    if (skipJacobian) {
      for (let p = 0; p < points; p++) {
        const offset = outOffset + p * stride;
        for (let k = 0; k < stride; k++) out[offset + k] += skipJacobian[k];
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Kernels

/**
 * C[cOffset + p·bRows + q] = Σ_k A[aOffset + p·inner + k] · B[q·inner + k] for p < rows, q < bRows:
 * A times Bᵀ with both operands read along contiguous rows (the JS kernel of src/linalg/kernels).
 */
export function multiplyByTransposed(
  A: Float64Array, aOffset: number, rows: number, inner: number,
  B: Float64Array, bRows: number,
  C: Float64Array, cOffset: number,
): void {
  multiplyTransposedJs({ data: A, offset: aOffset, stride: inner }, { data: B, offset: 0, stride: inner }, { data: C, offset: cOffset, stride: bRows }, rows, inner, bRows);
}

// ---------------------------------------------------------------------------------------------
// WASM heap layout of the folded weights

/** A matrix M in the heap (indices in doubles) as `product` takes it: M and Mᵀ. */
interface ProductOperand {
  weightAt: number;
  transposedAt: number;
}

/** Where a layer's matrices sit in the heap: W (outputs×inputs), Wᵀ, bias; `backward` is Wᵀ as an operand (G·W = G·(Wᵀ)ᵀ). */
interface WasmLayerAt extends ProductOperand {
  inputs: number;
  outputs: number;
  biasAt: number;
  backward: ProductOperand;
  /** γ of the layer's normalization (−1 without one). */
  normScaleAt: number;
}

/** The folded weights as one array copied to the heap's start, and where each part is. */
interface WasmLayout {
  data: Float64Array;
  size: number;
  layers: WasmLayerAt[];
  /** Output layer; its bias includes W̃_out · s̃ of a resmlp skip. */
  output: WasmLayerAt;
  /** resmlp: W̃_out · S̃ (m×n), so y += x · (W̃_out S̃)ᵀ; −1 without skip. */
  skipAt: number;
}

function buildWasmLayout(hidden: FoldedLayer[], norms: (LayerNorm | null)[], output: FoldedLayer, skip: FoldedLayer | null, skipJacobian: Float64Array | null): WasmLayout {
  const parts: Float64Array[] = [];
  let size = 0;
  const place = (values: Float64Array): number => {
    const at = size;
    parts.push(values);
    size += values.length + (values.length & 1);
    return at;
  };
  const placeLayer = (layer: FoldedLayer, bias: Float64Array, norm: LayerNorm | null): WasmLayerAt => {
    const weightAt = place(layer.weight), transposedAt = place(layer.weightTransposed), biasAt = place(bias);
    const normScaleAt = norm ? place(norm.scale) : -1;
    return { inputs: layer.inputs, outputs: layer.outputs, weightAt, transposedAt, biasAt, backward: { weightAt: transposedAt, transposedAt: weightAt }, normScaleAt };
  };
  const layers = hidden.map((layer, l) => placeLayer(layer, layer.bias, norms[l]));
  const outputBias = Float64Array.from(output.bias);
  if (skip) {
    for (let r = 0; r < output.outputs; r++) {
      for (let k = 0; k < output.inputs; k++) outputBias[r] += output.weight[r * output.inputs + k] * skip.bias[k];
    }
  }
  const outputAt = placeLayer(output, outputBias, null);
  const skipAt = skipJacobian ? place(skipJacobian) : -1;
  const data = new Float64Array(size);
  let at = 0;
  for (const values of parts) { data.set(values, at); at += values.length + (values.length & 1); }
  return { data, size, layers, output: outputAt, skipAt };
}

/**
 * C (rows×cols, at cAt) ⟵ A (rows×inner, at aAt) · Mᵀ for the layer matrix M (cols×inner):
 * the A·B kernel with B = Mᵀ when C is wide, the A·Bᵀ kernel with B = M when it is narrow.
 */
function product(kernels: WasmKernels, aAt: number, rows: number, inner: number, cols: number, matrix: ProductOperand, cAt: number, mode: ProductMode, biasAt: number): void {
  if (cols >= NARROW_PRODUCT_COLUMNS) kernels.multiply(8 * aAt, 8 * matrix.transposedAt, 8 * cAt, rows, inner, cols, inner, cols, cols, mode, 8 * biasAt);
  else kernels.multiplyTransposed(8 * aAt, 8 * matrix.weightAt, 8 * cAt, rows, inner, cols, inner, inner, cols, mode, 8 * biasAt);
}

/**
 * Layer normalization of `points` rows of width `width` at values[start…], in place:
 * v ⟵ γ ⊙ x̂ + β with x̂ = (v − mean v)/√(var v + ε) (biased variance, as ONNX and PyTorch).
 * When asked, keeps x̂ (rows at normalized[0…]) and 1/√(var + ε) (one per row) for the reverse sweep.
 */
function layerNormForward(norm: LayerNorm, values: Float64Array, start: number, points: number, width: number, normalized: Float64Array | null, invStd: Float64Array | null): void {
  const { scale, bias, epsilon } = norm;
  for (let p = 0; p < points; p++) {
    const offset = start + p * width;
    let sum = 0;
    for (let j = 0; j < width; j++) sum += values[offset + j];
    const mean = sum / width;
    let squares = 0;
    for (let j = 0; j < width; j++) { const c = values[offset + j] - mean; squares += c * c; }
    const inverse = 1 / Math.sqrt(squares / width + epsilon);
    if (invStd) invStd[p] = inverse;
    for (let j = 0; j < width; j++) {
      const hat = (values[offset + j] - mean) * inverse;
      if (normalized) normalized[p * width + j] = hat;
      values[offset + j] = scale[j] * hat + bias[j];
    }
  }
}

/** values[start + p·width + j] *= scale[j] for `points` rows (folds γ into the activation derivatives). */
function scaleColumns(values: Float64Array, start: number, points: number, width: number, scale: Float64Array): void {
  for (let p = 0; p < points; p++) {
    const offset = start + p * width;
    for (let j = 0; j < width; j++) values[offset + j] *= scale[j];
  }
}

/**
 * Reverse step of layer normalization on the sweep matrix G (points·m rows of width `width` at
 * G[start…], already scaled by γ): each row g of point p becomes r_p (g − mean g − x̂_p · mean(g ⊙ x̂_p)),
 * the row times ∂x̂/∂z = r (I − 11ᵀ/w − x̂x̂ᵀ/w) (symmetric).
 */
function layerNormBackward(
  G: Float64Array, start: number, points: number, m: number, width: number,
  normalized: Float64Array, normalizedStart: number, invStd: Float64Array, invStdStart: number,
): void {
  for (let p = 0; p < points; p++) {
    const hatOffset = normalizedStart + p * width, inverse = invStd[invStdStart + p];
    for (let r = 0; r < m; r++) {
      const offset = start + (p * m + r) * width;
      let sum = 0, dot = 0;
      for (let j = 0; j < width; j++) { const g = G[offset + j]; sum += g; dot += g * normalized[hatOffset + j]; }
      const mean = sum / width, projection = dot / width;
      for (let j = 0; j < width; j++) G[offset + j] = inverse * (G[offset + j] - mean - normalized[hatOffset + j] * projection);
    }
  }
}

/** out[offset + p·|matrix| + k] += matrix[k] for `points` consecutive copies (the constant skip Jacobian). */
function addToEach(out: Float64Array, offset: number, points: number, matrix: Float64Array): void {
  const size = matrix.length;
  for (let p = 0; p < points; p++) {
    const at = offset + p * size;
    for (let k = 0; k < size; k++) out[at + k] += matrix[k];
  }
}

/**
 * Which sweep gives the Jacobian with fewer flops: reverse mode stacks m rows per point through
 * every layer (m·Σ widths² per point), forward mode n rows (n·Σ widths²); equal costs keep reverse.
 */
export function jacobianModeFor(inputs: number, outputs: number): JacobianMode {
  return inputs < outputs ? 'forward' : 'reverse';
}

/**
 * C ⟵ (A · Mᵀ) ⊙ D per group: `groups` groups of groupRows rows of A (groups·groupRows × inner, at
 * aAt), each product row scaled entrywise by its group's row of D (groups × cols, at scaleAt) — the
 * sweep step G ⟵ (G·W) ⊙ D. Wide C: the scaling fused into multiply's store (mode 3); narrow C: the
 * A·Bᵀ kernel, then scaleRowGroups. Both write the same bits.
 */
function scaledProduct(kernels: WasmKernels, aAt: number, groups: number, groupRows: number, inner: number, cols: number, matrix: ProductOperand, cAt: number, scaleAt: number): void {
  if (cols >= NARROW_PRODUCT_COLUMNS) {
    kernels.multiply(8 * aAt, 8 * matrix.transposedAt, 8 * cAt, groups * groupRows, inner, cols, inner, cols, cols, SCALED_ROWS_MODE, 8 * scaleAt, groupRows);
  } else {
    product(kernels, aAt, groups * groupRows, inner, cols, matrix, cAt, ProductMode.Overwrite, 0);
    kernels.scaleRowGroups(8 * cAt, 8 * groupRows * cols, 8 * scaleAt, 8 * cAt, groups, groupRows, cols);
  }
}

/**
 * Interval of γ ⊙ x̂ + β whatever the layer's input: |x̂_j| = |c_j|/√(Σc²/w + ε) ≤ √w for any
 * centred vector c (also for the computed c, whose sum is not exactly 0), the bound enlarged by
 * (w + 8)·ε for the rounding of Σc², the root and the quotient; then widened outward. In place.
 */
function layerNormInterval(norm: LayerNorm, lo: Float64Array, hi: Float64Array): void {
  const width = lo.length, bound = Math.sqrt(width) * (1 + (width + 8) * Number.EPSILON);
  for (let j = 0; j < width; j++) {
    const radius = Math.abs(norm.scale[j]) * bound;
    lo[j] = norm.bias[j] - radius;
    hi[j] = norm.bias[j] + radius;
  }
  widenOutward(lo, hi);
}

/** Add `bias` to each of `rows` rows of width `cols` starting at `start`. */
/** Outward rounding of a sum of two intervals (one ulp-scale step each way). */
function widenIn(lo: Float64Array, hi: Float64Array): void {
  for (let k = 0; k < lo.length; k++) {
    lo[k] -= Math.abs(lo[k]) * 2 * Number.EPSILON + Number.MIN_VALUE;
    hi[k] += Math.abs(hi[k]) * 2 * Number.EPSILON + Number.MIN_VALUE;
  }
}

function addBias(values: Float64Array, start: number, rows: number, cols: number, bias: Float64Array): void {
  for (let p = 0; p < rows; p++) {
    const offset = start + p * cols;
    for (let q = 0; q < cols; q++) values[offset + q] += bias[q];
  }
}

/** C = A·B for small constant matrices (A rows×inner, B inner×cols), used at construction only. */
function multiplyPlain(A: Float64Array, rows: number, inner: number, B: Float64Array, cols: number, C: Float64Array): void {
  C.fill(0);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < inner; k++) {
      const a = A[i * inner + k];
      for (let j = 0; j < cols; j++) C[i * cols + j] += a * B[k * cols + j];
    }
  }
}

function transpose(values: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = values[i * cols + j];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Folding the affine input/output transforms into the layers

/** An affine map v ↦ matrix·v + offset, matrix rows×cols. */
interface AffineMap {
  rows: number;
  cols: number;
  matrix: Float64Array;
  offset: Float64Array;
}

/** s' = P·((x − mean)/std) + c  as  A_in x + c_in. */
function inputAffineMap(spec: MlpSpec): AffineMap {
  const n = spec.inputNames.length;
  const scale = new Float64Array(n).fill(1), shift = new Float64Array(n);
  if (spec.inputScaling) {
    for (let k = 0; k < n; k++) {
      scale[k] = 1 / spec.inputScaling.std[k];
      shift[k] = -spec.inputScaling.mean[k] / spec.inputScaling.std[k];
    }
  }
  const projection = spec.inputProjection;
  if (!projection) return { rows: n, cols: n, matrix: diagonalMatrix(scale), offset: shift };
  const rows = projection.outputs;
  const matrix = new Float64Array(rows * n), offset = Float64Array.from(projection.bias);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < n; k++) {
      const w = projection.weight[i * n + k];
      matrix[i * n + k] = w * scale[k];
      offset[i] += w * shift[k];
    }
  }
  return { rows, cols: n, matrix, offset };
}

/** y = std·(P·z + c) + mean  as  A_out z + c_out. */
function outputAffineMap(spec: MlpSpec): AffineMap {
  const m = spec.outputNames.length;
  const projection = spec.outputProjection;
  const inner = projection ? projection.inputs : m;
  const matrix = projection ? Float64Array.from(projection.weight) : diagonalMatrix(new Float64Array(m).fill(1));
  const offset = projection ? Float64Array.from(projection.bias) : new Float64Array(m);
  if (spec.outputScaling) {
    const { mean, std } = spec.outputScaling;
    for (let i = 0; i < m; i++) {
      for (let k = 0; k < inner; k++) matrix[i * inner + k] *= std[i];
      offset[i] = offset[i] * std[i] + mean[i];
    }
  }
  return { rows: m, cols: inner, matrix, offset };
}

function diagonalMatrix(values: Float64Array): Float64Array {
  const size = values.length, out = new Float64Array(size * size);
  for (let k = 0; k < size; k++) out[k * size + k] = values[k];
  return out;
}

function makeFolded(inputs: number, outputs: number, weight: Float64Array, bias: Float64Array): FoldedLayer {
  return { inputs, outputs, weight, weightTransposed: transpose(weight, outputs, inputs), bias };
}

function foldNothing(layer: DenseLayer): FoldedLayer {
  return makeFolded(layer.inputs, layer.outputs, Float64Array.from(layer.weight), Float64Array.from(layer.bias));
}

/** W·(A_in x + c_in) + b  =  (W·A_in) x + (W·c_in + b). */
function foldInput(layer: DenseLayer, map: AffineMap, inputCount: number): FoldedLayer {
  const weight = new Float64Array(layer.outputs * inputCount);
  multiplyPlain(layer.weight, layer.outputs, map.rows, map.matrix, inputCount, weight);
  const bias = Float64Array.from(layer.bias);
  for (let i = 0; i < layer.outputs; i++) {
    let sum = 0;
    for (let k = 0; k < map.rows; k++) sum += layer.weight[i * map.rows + k] * map.offset[k];
    bias[i] += sum;
  }
  return makeFolded(inputCount, layer.outputs, weight, bias);
}

/** A_out·(W h + b) + c_out  =  (A_out·W) h + (A_out·b + c_out). */
function foldOutput(layer: FoldedLayer, map: AffineMap): FoldedLayer {
  const weight = new Float64Array(map.rows * layer.inputs);
  multiplyPlain(map.matrix, map.rows, map.cols, layer.weight, layer.inputs, weight);
  const bias = Float64Array.from(map.offset);
  for (let i = 0; i < map.rows; i++) {
    for (let k = 0; k < map.cols; k++) bias[i] += map.matrix[i * map.cols + k] * layer.bias[k];
  }
  return makeFolded(layer.inputs, map.rows, weight, bias);
}

function buildMeta(spec: MlpSpec): ModelMeta {
  const fromScalings: ModelMeta = { source: spec.kind, approximateJacobian: false };
  if (spec.inputScaling) {
    fromScalings.inputMean = Float64Array.from(spec.inputScaling.mean);
    fromScalings.inputStd = Float64Array.from(spec.inputScaling.std);
  }
  if (spec.outputScaling) {
    fromScalings.outputMean = Float64Array.from(spec.outputScaling.mean);
    fromScalings.outputStd = Float64Array.from(spec.outputScaling.std);
  }
  const meta: ModelMeta = { ...fromScalings };
  for (const [key, value] of Object.entries(spec.meta ?? {})) {
    if (value !== undefined) (meta as Record<string, unknown>)[key] = value;
  }
  return meta;
}

/** A non-finite output means the weights overflowed for this input: say where instead of returning NaN. */
function assertModelFinite(values: Float64Array, what: string, perPoint: number, outputNames: readonly string[]): void {
  for (let k = 0; k < values.length; k++) {
    if (!Number.isFinite(values[k])) {
      const point = Math.floor(k / perPoint);
      const output = outputNames[Math.floor((k % perPoint) / (perPoint / outputNames.length))] ?? '?';
      throw new NonFiniteError(`MLP ${what} is not finite (${values[k]}) at point ${point}, output '${output}': the input is outside the range where the weights give finite numbers`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Validation

function layerLabel(index: number, count: number): string {
  return index === count - 1 ? `layers[${index}] (output layer)` : `layers[${index}] (hidden layer ${index + 1})`;
}

function checkDense(layer: DenseLayer | undefined, label: string): asserts layer is DenseLayer {
  if (!layer || typeof layer !== 'object') throw new ShapeError(`${label} is missing`);
  const { inputs, outputs } = layer;
  if (!Number.isInteger(inputs) || !Number.isInteger(outputs) || inputs < 1 || outputs < 1) {
    throw new ShapeError(`${label} has shape ${outputs}×${inputs}; inputs and outputs must be positive integers`);
  }
  if (!(layer.weight instanceof Float64Array) || layer.weight.length !== inputs * outputs) {
    throw new ShapeError(`${label}.weight has ${layer.weight?.length ?? 0} entries, expected outputs×inputs = ${outputs}×${inputs} = ${inputs * outputs} (a Float64Array, row-major)`);
  }
  if (!(layer.bias instanceof Float64Array) || layer.bias.length !== outputs) {
    throw new ShapeError(`${label}.bias has ${layer.bias?.length ?? 0} entries, expected ${outputs} (a Float64Array)`);
  }
  assertFinite(layer.weight, `${label}.weight`, inputs);
  assertFinite(layer.bias, `${label}.bias`);
}

function checkScaling(scaling: MlpSpec['inputScaling'], label: string, size: number): void {
  if (!scaling) return;
  if (!(scaling.mean instanceof Float64Array) || scaling.mean.length !== size) throw new ShapeError(`${label}.mean has ${scaling.mean?.length ?? 0} entries, expected ${size}`);
  if (!(scaling.std instanceof Float64Array) || scaling.std.length !== size) throw new ShapeError(`${label}.std has ${scaling.std?.length ?? 0} entries, expected ${size}`);
  assertFinite(scaling.mean, `${label}.mean`);
  assertFinite(scaling.std, `${label}.std`);
  scaling.std.forEach((value, k) => {
    if (!(value > 0)) throw new InvalidArgumentError(`${label}.std[${k}] is ${value}; standard deviations must be positive`);
  });
}

function checkNames(names: string[], label: string): void {
  if (!Array.isArray(names) || names.length === 0) throw new ShapeError(`${label} is empty; a model needs at least one`);
  const seen = new Set<string>();
  for (const name of names) {
    if (typeof name !== 'string' || name.length === 0) throw new InvalidArgumentError(`${label} contains an empty or non-string name`);
    if (seen.has(name)) throw new InvalidArgumentError(`${label} contains '${name}' twice; names must be unique`);
    seen.add(name);
  }
}

/** Check every shape in the chain; each message names the layer and both sizes. */
export function validateSpec(spec: MlpSpec): void {
  if (!spec || typeof spec !== 'object') throw new InvalidArgumentError('MLP spec must be an object');
  if (spec.kind !== 'mlp' && spec.kind !== 'resmlp') throw new InvalidArgumentError(`MLP spec kind is '${spec.kind as string}'; accepted: 'mlp', 'resmlp'`);
  if (!ACTIVATIONS.includes(spec.activation)) throw new InvalidArgumentError(`MLP activation '${spec.activation as string}' is not supported; accepted: ${ACTIVATIONS.join(', ')}`);
  checkNames(spec.inputNames, 'inputNames');
  checkNames(spec.outputNames, 'outputNames');
  const n = spec.inputNames.length, m = spec.outputNames.length;
  checkScaling(spec.inputScaling, 'inputScaling', n);
  checkScaling(spec.outputScaling, 'outputScaling', m);
  let width = n;
  if (spec.inputProjection) {
    checkDense(spec.inputProjection, 'inputProjection');
    if (spec.inputProjection.inputs !== n) throw new ShapeError(`inputProjection takes ${spec.inputProjection.inputs} inputs but the model has ${n} (${spec.inputNames.join(', ')})`);
    width = spec.inputProjection.outputs;
  }
  const projectedWidth = width;
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) throw new ShapeError('MLP spec has no layers; it needs at least the output layer');
  spec.layers.forEach((layer, index) => {
    const label = layerLabel(index, spec.layers.length);
    checkDense(layer, label);
    if (layer.inputs !== width) {
      const from = index === 0 ? (spec.inputProjection ? 'inputProjection' : 'the model inputs') : layerLabel(index - 1, spec.layers.length);
      throw new ShapeError(`${label} takes ${layer.inputs} inputs but ${from} gives ${width}`);
    }
    width = layer.outputs;
  });
  const outputLayer = spec.layers[spec.layers.length - 1];
  if (spec.outputProjection) {
    checkDense(spec.outputProjection, 'outputProjection');
    if (spec.outputProjection.inputs !== outputLayer.outputs) throw new ShapeError(`outputProjection takes ${spec.outputProjection.inputs} inputs but ${layerLabel(spec.layers.length - 1, spec.layers.length)} gives ${outputLayer.outputs}`);
    width = spec.outputProjection.outputs;
  }
  if (width !== m) throw new ShapeError(`the model ends with ${width} values but has ${m} outputNames (${spec.outputNames.join(', ')})`);
  if (spec.kind === 'resmlp') {
    if (spec.layers.length < 2) throw new ShapeError("'resmlp' needs at least one hidden layer (the skip adds to the last hidden layer)");
    checkDense(spec.skip, 'skip');
    const lastHidden = spec.layers[spec.layers.length - 2].outputs;
    if (spec.skip.inputs !== projectedWidth || spec.skip.outputs !== lastHidden) {
      throw new ShapeError(`skip is ${spec.skip.outputs}×${spec.skip.inputs} but must map the ${projectedWidth} (scaled, projected) inputs to the last hidden width ${lastHidden}: ${lastHidden}×${projectedWidth}`);
    }
  } else if (spec.skip) {
    throw new InvalidArgumentError("MLP spec has a skip layer but kind is 'mlp'; use kind 'resmlp'");
  }
  if (spec.activationParameter !== undefined) activationParameterOrDefault(spec.activation, spec.activationParameter);
  if (spec.layerNorms !== undefined) checkLayerNorms(spec);
}

function checkLayerNorms(spec: MlpSpec): void {
  const hiddenCount = spec.layers.length - 1;
  if (!Array.isArray(spec.layerNorms) || spec.layerNorms.length !== hiddenCount) {
    throw new ShapeError(`layerNorms has ${Array.isArray(spec.layerNorms) ? spec.layerNorms.length : 'no'} entries, expected one per hidden layer (${hiddenCount}; null for none)`);
  }
  spec.layerNorms.forEach((norm, index) => {
    if (norm === null) return;
    const label = `layerNorms[${index}]`, width = spec.layers[index].outputs;
    if (!norm || typeof norm !== 'object') throw new InvalidArgumentError(`${label} must be null or { scale, bias, epsilon }`);
    for (const key of ['scale', 'bias'] as const) {
      if (!(norm[key] instanceof Float64Array) || norm[key].length !== width) throw new ShapeError(`${label}.${key} has ${norm[key]?.length ?? 0} entries, expected ${width} (the width of hidden layer ${index + 1}, a Float64Array)`);
      assertFinite(norm[key], `${label}.${key}`);
    }
    if (typeof norm.epsilon !== 'number' || !Number.isFinite(norm.epsilon) || norm.epsilon < 0) throw new InvalidArgumentError(`${label}.epsilon is ${String(norm.epsilon)}; it must be a finite number ≥ 0`);
  });
}
