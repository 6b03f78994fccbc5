// Analytic models: values known in closed form and exact Jacobians checked against central differences.
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/linalg/matrix.ts';
import { InvalidArgumentError, ShapeError } from '../../src/core/errors.ts';
import { kruseArm, linearModel, planarArm, sineModel } from '../../src/model/functions.ts';
import type { Model } from '../../src/model/model.ts';

/** Max |J − central difference| relative to max |J| at the point. */
function jacobianError(model: Model, point: number[]): number {
  const n = point.length, m = model.outputNames.length;
  const exact = model.jacobian(new Matrix(1, n, Float64Array.from(point))).data;
  let worst = 0, largest = 0;
  for (let j = 0; j < n; j++) {
    const h = 1e-6 * Math.max(1, Math.abs(point[j]));
    const plus = Float64Array.from(point), minus = Float64Array.from(point);
    plus[j] += h; minus[j] -= h;
    const fp = model.forward(new Matrix(1, n, plus)).data, fm = model.forward(new Matrix(1, n, minus)).data;
    for (let i = 0; i < m; i++) {
      worst = Math.max(worst, Math.abs(exact[i * n + j] - (fp[i] - fm[i]) / (2 * h)));
      largest = Math.max(largest, Math.abs(exact[i * n + j]));
    }
  }
  return worst / largest;
}

describe('analytic models', () => {
  it('kruseArm: x = 0 puts the tip at (2, 0); a slide of 0.3 and a right angle move it as geometry says', () => {
    const arm = kruseArm();
    expect(Array.from(arm.forward(new Matrix(1, 4)).data)).toEqual([2, 0]);
    const y = arm.forward(new Matrix(1, 4, Float64Array.of(0.3, Math.PI / 2, 0, 0))).data;
    expect(y[0]).toBeCloseTo(0, 12);
    expect(y[1]).toBeCloseTo(2.3, 12);
  });

  it('planarArm: sums of link vectors at cumulative angles', () => {
    const arm = planarArm([1, 2]);
    const y = arm.forward(new Matrix(1, 2, Float64Array.of(Math.PI / 2, -Math.PI / 2))).data;
    expect(y[0]).toBeCloseTo(2, 12);
    expect(y[1]).toBeCloseTo(1, 12);
    expect(() => planarArm([1, 0])).toThrow(InvalidArgumentError);
  });

  it('linearModel: y = A·x + b, Jacobian A', () => {
    const model = linearModel([[1, 2, 3], [4, 5, 6]], [1, -1]);
    expect(Array.from(model.forward(new Matrix(1, 3, Float64Array.of(1, 1, 1))).data)).toEqual([7, 14]);
    expect(Array.from(model.jacobian(new Matrix(1, 3)).data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => model.forward(new Matrix(1, 2))).toThrow(ShapeError);
  });

  it('sineModel: sin(3πx1) + cos(3πx2)', () => {
    const y = sineModel().forward(new Matrix(1, 2, Float64Array.of(1 / 6, 1 / 3))).data[0];
    expect(y).toBeCloseTo(1 + Math.cos(Math.PI), 12);
  });

  it('exact Jacobians agree with central differences', () => {
    expect(jacobianError(planarArm([1, 0.7, 0.4]), [0.3, -1.1, 0.8])).toBeLessThan(1e-7);
    expect(jacobianError(kruseArm(), [0.2, 0.4, -0.9, 1.3])).toBeLessThan(1e-7);
    expect(jacobianError(sineModel(), [0.11, 0.27])).toBeLessThan(1e-7);
  });
});
