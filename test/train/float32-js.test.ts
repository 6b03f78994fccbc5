// The float32 kernels' JS twin (src/linalg/gemm/js-float32.ts) gives the bits of the WebAssembly
// SIMD kernels: kernel by kernel on random data, and through whole training runs (forward, backward
// with input gradients, Adam) of the float32 TrainingNetwork, MLP and residual MLP, ReLU and tanh,
// with dropout.
import { describe, expect, it } from 'vitest';
import { createFloat32KernelsJs } from '../../src/linalg/gemm/js-float32.ts';
import { createFloat32Kernels, float32KernelsAvailable } from '../../src/linalg/gemm/wasm-float32.ts';
import { Random } from '../../src/linalg/random.ts';
import { Adam } from '../../src/train/adam.ts';
import { meanSquaredErrorGradient } from '../../src/train/loss.ts';
import { type NetworkArchitecture, TrainingNetwork } from '../../src/train/network.ts';

function bytesEqual(a: Float32Array | Float64Array, b: Float32Array | Float64Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

describe.skipIf(!float32KernelsAvailable())('float32 kernels: JS twin = WebAssembly SIMD, bit for bit', () => {
  it('gemm (plain and strided A), relu, reluBackward, addInto on random data', () => {
    const random = new Random(5), bytes = 1 << 16;
    const wasm = createFloat32Kernels(bytes), js = createFloat32KernelsJs(bytes);
    const memories = [new Float32Array(wasm.memory.buffer), new Float32Array(js.memory.buffer)];
    const data = Float32Array.from({ length: 4096 }, () => random.normal() * (random.uniform() < 0.1 ? 1e4 : 1));
    for (const memory of memories) memory.set(data, 16);
    const a = 64, b = 64 + 4 * 1200, c = 64 + 4 * 2400, bias = 64 + 4 * 3600, rows = 9, inner = 13, cols = 20;
    for (const kernels of [wasm, js]) {
      kernels.gemm(a, inner * 4, 4, b, c, bias, rows, inner, cols);
      kernels.gemm(a, 4, rows * 4, b, c + 4 * 256, bias, inner, rows, cols); // Aᵀ through strides
      kernels.relu(a, c + 4 * 600, 400);
      kernels.reluBackward(a, c + 4 * 1000, 400);
      kernels.addInto(b, c + 4 * 1000, 400);
    }
    expect(bytesEqual(memories[0].subarray(0, 8192), memories[1].subarray(0, 8192))).toBe(true);
  });

  const architectures: NetworkArchitecture[] = [
    { kind: 'mlp', inputs: 5, hidden: [13, 9], outputs: 3, activation: 'relu', dropout: 0.2 },
    { kind: 'resmlp', inputs: 7, hidden: [16, 6], outputs: 4, activation: 'tanh' },
    { kind: 'resmlp', inputs: 3, hidden: [11], outputs: 2, activation: 'relu', dropout: 0.1 },
  ];
  for (const architecture of architectures) {
    it(`training ${architecture.kind} ${architecture.hidden.join('x')} ${architecture.activation}${architecture.dropout ? ' with dropout' : ''}: same parameters and input gradients`, () => {
      const run = (float32Kernels: 'wasm-simd' | 'js') => {
        const random = new Random(3), batch = 16, rows = 64;
        const network = new TrainingNetwork(architecture, batch, 'float32', { float32Kernels });
        network.initialize(random);
        const adam = new Adam(network.parameters.length);
        const x = Float64Array.from({ length: rows * architecture.inputs }, () => random.normal());
        const y = Float64Array.from({ length: rows * architecture.outputs }, () => random.normal());
        const gradient = new Float64Array(batch * architecture.outputs), inputGradients: number[] = [];
        for (let epoch = 0; epoch < 3; epoch++) {
          for (let start = 0; start < rows; start += batch) {
            const out = network.forward(x.subarray(start * architecture.inputs), batch, true, random);
            meanSquaredErrorGradient(out, y.subarray(start * architecture.outputs), batch * architecture.outputs, gradient);
            inputGradients.push(...network.backward(gradient, { inputGradient: true })!);
            adam.step(network.parameters, network.gradients);
          }
        }
        return { parameters: Float64Array.from(network.parameters), inputGradients: Float64Array.from(inputGradients), prediction: network.predict(x, rows) };
      };
      const wasm = run('wasm-simd'), js = run('js');
      expect(bytesEqual(js.parameters, wasm.parameters)).toBe(true);
      expect(bytesEqual(js.inputGradients, wasm.inputGradients)).toBe(true);
      expect(bytesEqual(js.prediction, wasm.prediction)).toBe(true);
    });
  }
});
