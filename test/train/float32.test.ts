// The Float32 (WebAssembly SIMD) training path against the Float64 one, which network.test.ts checks
// against central differences: same forward outputs, parameter gradients and input gradients to
// float32 rounding, for every architecture, with and without dropout; and the SIMD kernel (built
// with the shared encoder of src/linalg/gemm) against ml-matrix for strided operands and widths
// that are not multiples of 16. Skipped where the kernels are off (INVERSA_KERNELS=js); the
// fallback to float64 is tested in test/linalg/kernels-fallback.test.ts.
import { Matrix as MlMatrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/linalg/random.ts';
import { createFloat32Kernels, float32KernelsAvailable } from '../../src/linalg/gemm/wasm-float32.ts';
import { Float32TrainingNetwork } from '../../src/train/float32/network.ts';
import { meanSquaredErrorGradient } from '../../src/train/loss.ts';
import { type NetworkArchitecture, TrainingNetwork } from '../../src/train/network.ts';

/** float32 has a 24-bit significand: sums of ≤ 100 terms agree with float64 to ~1e-5 of their scale. */
const FLOAT32_RTOL = 2e-5;

function maxRelativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let difference = 0, scale = 0;
  for (let k = 0; k < a.length; k++) {
    difference = Math.max(difference, Math.abs(a[k] - b[k]));
    scale = Math.max(scale, Math.abs(b[k]));
  }
  return difference / scale;
}

describe('WebAssembly SIMD kernels', () => {
  it('are available in this Node unless INVERSA_KERNELS=js', () => {
    expect(float32KernelsAvailable()).toBe(process.env.INVERSA_KERNELS !== 'js');
  });

  it.skipIf(!float32KernelsAvailable())('gemm: C = bias + A·B with A read through strides (plain and transposed), like ml-matrix', () => {
    const kernels = createFloat32Kernels(1 << 20);
    const memory = new Float32Array(kernels.memory.buffer);
    const random = new Random(3);
    for (const [rows, inner, cols] of [[1, 1, 4], [3, 5, 8], [7, 9, 20], [64, 7, 64], [5, 64, 36]]) {
      const aAddress = 64, bAddress = aAddress + 4 * 4096, cAddress = bAddress + 4 * 4096, biasAddress = cAddress + 4 * 4096;
      const A = new MlMatrix(rows, inner), B = new MlMatrix(inner, cols);
      const bias: number[] = [];
      for (const transposed of [false, true]) {
        for (let r = 0; r < rows; r++) for (let k = 0; k < inner; k++) {
          const value = Math.fround(random.normal());
          A.set(r, k, value);
          // Plain: A row-major rows×inner; transposed: stored as inner×rows (A(r, k) at k·rows + r).
          memory[aAddress / 4 + (transposed ? k * rows + r : r * inner + k)] = value;
        }
        for (let k = 0; k < inner; k++) for (let c = 0; c < cols; c++) {
          const value = Math.fround(random.normal());
          B.set(k, c, value);
          memory[bAddress / 4 + k * cols + c] = value;
        }
        for (let c = 0; c < cols; c++) memory[biasAddress / 4 + c] = bias[c] = Math.fround(random.normal());
        const [rowStride, colStride] = transposed ? [4, 4 * rows] : [4 * inner, 4];
        kernels.gemm(aAddress, rowStride, colStride, bAddress, cAddress, biasAddress, rows, inner, cols);
        const reference = A.mmul(B);
        for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
          expect(memory[cAddress / 4 + r * cols + c]).toBeCloseTo(reference.get(r, c) + bias[c], 4);
        }
      }
    }
  });
});

const architectures: NetworkArchitecture[] = [
  { kind: 'mlp', inputs: 7, hidden: [64, 64], outputs: 4, activation: 'relu' },
  { kind: 'resmlp', inputs: 7, hidden: [64, 64], outputs: 4, activation: 'relu' },
  { kind: 'resmlp', inputs: 4, hidden: [10, 6], outputs: 7, activation: 'tanh' },
  { kind: 'mlp', inputs: 2, hidden: [5], outputs: 1, activation: 'tanh' },
  { kind: 'resmlp', inputs: 3, hidden: [33, 17], outputs: 2, activation: 'relu', dropout: 0.3 },
  { kind: 'mlp', inputs: 3, hidden: [16, 16], outputs: 2, activation: 'tanh', dropout: 0.5 },
];

describe.skipIf(!float32KernelsAvailable())('Float32TrainingNetwork agrees with TrainingNetwork (float64)', () => {
  for (const architecture of architectures) {
    it(`${architecture.kind} ${architecture.inputs}→${architecture.hidden.join('→')}→${architecture.outputs} ${architecture.activation}${architecture.dropout ? ` dropout ${architecture.dropout}` : ''}`, () => {
      const batch = 13;
      const f32 = new Float32TrainingNetwork(architecture, 16);
      const f64 = new TrainingNetwork(architecture, 16);
      f32.initialize(new Random(4));
      f64.initialize(new Random(4));
      expect(Array.from(f32.parameters)).toEqual(Array.from(f64.parameters));
      const random = new Random(5);
      const x = Float64Array.from({ length: batch * architecture.inputs }, () => random.normal());
      const y = Float64Array.from({ length: batch * architecture.outputs }, () => random.normal());
      const training = (architecture.dropout ?? 0) > 0;
      const out32 = f32.forward(x, batch, training, new Random(9)).slice();
      const out64 = f64.forward(x, batch, training, new Random(9)).slice();
      expect(maxRelativeDifference(out32, out64)).toBeLessThan(FLOAT32_RTOL);
      const gradient = new Float64Array(out64.length);
      meanSquaredErrorGradient(out64, y, out64.length, gradient);
      const input32 = f32.backward(gradient, { inputGradient: true })!.slice();
      const input64 = f64.backward(gradient, { inputGradient: true })!.slice();
      expect(maxRelativeDifference(input32, input64)).toBeLessThan(FLOAT32_RTOL);
      expect(maxRelativeDifference(f32.gradients, f64.gradients)).toBeLessThan(FLOAT32_RTOL);
      // Evaluation mode: no dropout, deterministic.
      expect(maxRelativeDifference(f32.predict(x, batch), f64.predict(x, batch))).toBeLessThan(FLOAT32_RTOL);
    });
  }

  it('reads parameter updates made after construction (Adam writes the float64 master copy)', () => {
    const architecture = architectures[0];
    const f32 = new Float32TrainingNetwork(architecture, 4), f64 = new TrainingNetwork(architecture, 4);
    f32.initialize(new Random(1));
    const x = Float64Array.from({ length: 28 }, (_, k) => Math.sin(k));
    f32.predict(x, 4);
    for (let k = 0; k < f32.parameters.length; k++) f32.parameters[k] *= -0.5;
    f64.parameters.set(f32.parameters);
    expect(maxRelativeDifference(f32.predict(x, 4), f64.predict(x, 4))).toBeLessThan(FLOAT32_RTOL);
  });
});
