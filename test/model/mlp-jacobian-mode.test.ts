// Forward- and reverse-mode sweeps of MlpModel's WebAssembly path give the same Jacobians (to
// rounding), for n < m (where forward mode is chosen), n > m and n = m, with resmlp skips, scalings,
// layer normalizations and several activations; the mode follows the shape unless asked.
import { afterEach, describe, expect, it } from 'vitest';
import { MatrixBatch } from '../../src/linalg/batch.ts';
import { kernelBackend, setKernelBackend, wasmSimdAvailable } from '../../src/linalg/gemm/index.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { jacobianModeFor, MlpModel } from '../../src/model/mlp.ts';
import type { Activation, MlpSpec } from '../../src/model/mlp-spec.ts';
import { randomMlpSpec, randomPoints } from './mlp-random-spec.ts';

/** The two sweeps multiply the same factors in another order: rounding-level agreement. */
const MODE_RTOL = 1e-12;

const initial = kernelBackend();
afterEach(() => { setKernelBackend(initial); });

function maxRelative(actual: Float64Array, expected: Float64Array): number {
  const scale = expected.reduce((largest, v) => Math.max(largest, Math.abs(v)), 0);
  return actual.reduce((worst, v, k) => Math.max(worst, Math.abs(v - expected[k]) / scale), 0);
}

describe('jacobianModeFor', () => {
  it('chooses forward mode only when there are fewer inputs than outputs', () => {
    expect(jacobianModeFor(2, 9)).toBe('forward');
    expect(jacobianModeFor(7, 4)).toBe('reverse');
    expect(jacobianModeFor(5, 5)).toBe('reverse');
    const spec = randomMlpSpec({ inputs: 2, hidden: [8], outputs: 6, seed: 1 });
    expect(new MlpModel(spec).jacobianMode).toBe('forward');
    expect(new MlpModel(spec, { jacobianMode: 'reverse' }).jacobianMode).toBe('reverse');
    expect(() => new MlpModel(spec, { jacobianMode: 'sideways' as 'forward' })).toThrow("jacobianMode 'sideways' is unknown");
  });
});

describe.skipIf(!wasmSimdAvailable())('forward and reverse sweeps agree (WebAssembly path)', () => {
  const cases: [string, number, number, Activation, 'mlp' | 'resmlp', boolean][] = [
    ['n < m, tanh, resmlp, scalings', 2, 9, 'tanh', 'resmlp', false],
    ['n < m, relu', 3, 11, 'relu', 'mlp', false],
    ['n > m, sigmoid, layer norms', 7, 4, 'sigmoid', 'mlp', true],
    ['n < m, elu, layer norms, resmlp', 3, 8, 'elu', 'resmlp', true],
    ['n = m, gelu', 5, 5, 'gelu', 'mlp', false],
  ];
  for (const [label, n, m, activation, kind, norms] of cases) {
    it(`${label} (${n}→${m}), 300 points in blocks`, () => {
      setKernelBackend('wasm-simd');
      const hidden = [16, 13, 12];
      const spec: MlpSpec = randomMlpSpec({ kind, inputs: n, hidden, outputs: m, activation, scaling: true, seed: n * 31 + m });
      if (norms) {
        const random = new Random(m);
        spec.layerNorms = hidden.map((width, l) => (l === 1 ? null : {
          scale: Float64Array.from({ length: width }, () => 1 + random.normal(0, 0.3)),
          bias: Float64Array.from({ length: width }, () => random.normal(0, 0.3)),
          epsilon: 1e-3,
        }));
      }
      const x = new Matrix(300, n, randomPoints(spec, 300, 2));
      const forward = new MlpModel(spec, { jacobianMode: 'forward' }).forwardWithJacobian(x);
      const reverse = new MlpModel(spec, { jacobianMode: 'reverse' }).forwardWithJacobian(x);
      expect(Buffer.from(forward.y.data.buffer).equals(Buffer.from(reverse.y.data.buffer))).toBe(true);
      expect(maxRelative(forward.jacobian.data, reverse.jacobian.data)).toBeLessThan(MODE_RTOL);
      setKernelBackend('js');
      const js = new MlpModel(spec).forwardWithJacobian(x);
      expect(maxRelative(forward.jacobian.data, js.jacobian.data)).toBeLessThan(MODE_RTOL);
      // evaluateInto on the chosen mode writes the same bits as forwardWithJacobian.
      setKernelBackend('wasm-simd');
      const chosen = new MlpModel(spec);
      const y = new Matrix(300, m), jacobian = new MatrixBatch(300, m, n);
      chosen.evaluateInto(x, y, jacobian);
      const reference = chosen.jacobianMode === 'forward' ? forward : reverse;
      expect(Buffer.from(jacobian.data.buffer).equals(Buffer.from(reference.jacobian.data.buffer))).toBe(true);
    });
  }
});
