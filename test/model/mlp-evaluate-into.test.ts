// MlpModel.evaluateInto: the allocation-free form writes the same bits as forwardWithJacobian into
// the caller's buffers (reused across calls), and rejects buffers of the wrong shape.
import { describe, expect, it } from 'vitest';
import { MatrixBatch } from '../../src/linalg/batch.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { MlpModel } from '../../src/model/mlp.ts';
import { randomMlpSpec, randomPoints } from './mlp-random-spec.ts';

describe('MlpModel.evaluateInto', () => {
  it('writes the bits of forwardWithJacobian into reused buffers', () => {
    const spec = randomMlpSpec({ inputs: 5, hidden: [16, 16], outputs: 3, activation: 'tanh', seed: 4 });
    const model = new MlpModel(spec);
    const y = new Matrix(300, 3), jacobian = new MatrixBatch(300, 3, 5);
    for (const seed of [1, 2]) {
      const x = new Matrix(300, 5, randomPoints(spec, 300, seed));
      const reference = model.forwardWithJacobian(x);
      model.evaluateInto(x, y, jacobian);
      expect(Buffer.from(y.data.buffer).equals(Buffer.from(reference.y.data.buffer))).toBe(true);
      expect(Buffer.from(jacobian.data.buffer).equals(Buffer.from(reference.jacobian.data.buffer))).toBe(true);
      model.evaluateInto(x, y, null);
      expect(Buffer.from(y.data.buffer).equals(Buffer.from(reference.y.data.buffer))).toBe(true);
    }
  });

  it('rejects out buffers of the wrong shape with a message naming the shape', () => {
    const spec = randomMlpSpec({ inputs: 5, hidden: [8], outputs: 3, activation: 'tanh', seed: 1 });
    const model = new MlpModel(spec);
    const x = new Matrix(10, 5, randomPoints(spec, 10, 1));
    expect(() => model.evaluateInto(x, new Matrix(9, 3), null)).toThrow('y must be a 10×3 Matrix');
    expect(() => model.evaluateInto(x, new Matrix(10, 3), new MatrixBatch(10, 5, 3))).toThrow('jacobian must be a MatrixBatch of 10 3×5 matrices');
  });
});
