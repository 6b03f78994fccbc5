// evaluateParallel: outputs and Jacobians from worker threads are the bits of one in-process call.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { closePools, completedPoolTasks } from '../../src/io/pool.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { loadOnnxModel } from '../../src/onnx/load.ts';
import { evaluateParallel } from '../../src/io/evaluate-parallel.ts';

afterAll(closePools);

const bytesOf = (array: Float64Array): Buffer => Buffer.from(array.buffer, array.byteOffset, array.byteLength);

describe('evaluateParallel', () => {
  it('the same bytes as in-process for 2 and 3 threads, with and without Jacobians', async () => {
    const fixture = fileURLToPath(new URL('../fixtures/tanh_mlp_7x64x64x4.onnx', import.meta.url));
    const model = await loadOnnxModel(new Uint8Array(readFileSync(fixture)));
    const random = new Random(2);
    const x = new Matrix(1001, 7);
    for (let k = 0; k < x.data.length; k++) x.data[k] = random.normal();
    const y = model.forward(x), jacobian = model.jacobian(x);
    for (const threads of [2, 3]) {
      const before = completedPoolTasks();
      const both = await evaluateParallel(model, x, { threads });
      expect(completedPoolTasks() - before).toBe(threads);
      expect(bytesOf(both.y.data).equals(bytesOf(y.data))).toBe(true);
      expect(bytesOf(both.jacobian!.data).equals(bytesOf(jacobian.data))).toBe(true);
      const forwardOnly = await evaluateParallel(model, x, { threads, withJacobian: false });
      expect(forwardOnly.jacobian).toBeNull();
      expect(bytesOf(forwardOnly.y.data).equals(bytesOf(y.data))).toBe(true);
    }
    expect(x.data.length).toBe(7007); // the caller's points are copied, not moved
  });
});
