// The benchmark forward functions against answers known independently: the arm and sine at
// hand-computed points, the ballistics landing against a finely integrated ODE (RK4 of
// m·v̇ = −k·v − m·g·ŷ, no closed form used), and every Jacobian against central differences.
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { BALLISTICS_CONSTANTS, ballisticsLanding, ballisticsModel, sampleBallisticsInputs } from '../../src/model/ballistics.ts';
import type { Model } from '../../src/model/model.ts';
import { getTask } from '../../src/apps/benchmark/tasks.ts';

/** Landing x by RK4 on the drag ODE with a small fixed step, then linear interpolation of the crossing. */
function integratedLanding(x1: number, x2: number, angle: number, v0: number, step = 1e-5): number {
  const { drag: k, mass: m, gravity: g } = BALLISTICS_CONSTANTS;
  const rate = (s: number[]) => [s[2], s[3], (-k / m) * s[2], -g - (k / m) * s[3]];
  let state = [x1, x2, v0 * Math.cos(angle), v0 * Math.sin(angle)];
  let previous = state;
  let goneUp = state[1] > 0 || state[3] > 0;
  for (let n = 0; n < 10_000_000; n++) {
    const a = rate(state);
    const b = rate(state.map((v, i) => v + 0.5 * step * a[i]));
    const c = rate(state.map((v, i) => v + 0.5 * step * b[i]));
    const d = rate(state.map((v, i) => v + step * c[i]));
    previous = state;
    state = state.map((v, i) => v + (step / 6) * (a[i] + 2 * b[i] + 2 * c[i] + d[i]));
    if (state[1] > 0) goneUp = true;
    if (goneUp && state[1] < 0) {
      const fraction = previous[1] / (previous[1] - state[1]);
      return previous[0] + fraction * (state[0] - previous[0]);
    }
  }
  throw new Error('ODE did not land');
}

function centralDifferenceJacobian(model: Model, point: number[], relativeStep = 1e-6): number[][] {
  const n = point.length;
  const m = model.outputNames.length;
  const columns: number[][] = [];
  for (let j = 0; j < n; j++) {
    const h = relativeStep * Math.max(1, Math.abs(point[j]));
    const plus = point.slice(), minus = point.slice();
    plus[j] += h;
    minus[j] -= h;
    const yPlus = model.forward(Matrix.fromArray([plus])).data, yMinus = model.forward(Matrix.fromArray([minus])).data;
    columns.push(Array.from({ length: m }, (_, i) => (yPlus[i] - yMinus[i]) / (2 * h)));
  }
  return Array.from({ length: m }, (_, i) => columns.map((column) => column[i]));
}

function expectJacobianMatchesDifferences(model: Model, points: number[][], relativeTolerance: number): void {
  for (const point of points) {
    const exact = model.jacobian(Matrix.fromArray([point])).data;
    const numeric = centralDifferenceJacobian(model, point).flat();
    const scale = Math.max(...numeric.map(Math.abs));
    numeric.forEach((value, index) => expect(Math.abs(exact[index] - value), `at [${point}] entry ${index}`).toBeLessThan(relativeTolerance * scale));
  }
}

describe('arm task', () => {
  const arm = getTask('arm').model;
  it('x = 0 is at (2, 0); hand-computed poses', () => {
    const y = arm.forward(Matrix.fromArray([[0, 0, 0, 0], [0.3, Math.PI / 2, 0, 0], [0, 0, Math.PI / 2, -Math.PI / 2], [-0.2, 0, 0, Math.PI]]));
    const expected = [[2, 0], [0, 2.3], [1.5, 0.5], [0, -0.2]];
    expected.flat().forEach((value, index) => expect(y.data[index]).toBeCloseTo(value, 12));
  });
  it('Jacobian equals central differences', () => {
    expectJacobianMatchesDifferences(arm, [[0.1, 0.2, -0.3, 0.4], [-0.4, 1, 0.5, -0.7]], 1e-8);
  });
});

describe('sine task', () => {
  const sine = getTask('sine').model;
  it('values at hand-computed points', () => {
    // sin(3π·x1) + cos(3π·x2)
    const y = sine.forward(Matrix.fromArray([[0, 0], [1 / 6, 0], [1 / 6, 1 / 3], [-1 / 6, 1 / 6], [0.5, 1]]));
    [1, 2, 0, -1, -2].forEach((value, index) => expect(y.data[index]).toBeCloseTo(value, 12));
  });
  it('Jacobian equals central differences', () => {
    expectJacobianMatchesDifferences(sine, [[0.1, -0.7], [0.9, 0.33]], 1e-7);
  });
});

describe('ballistics', () => {
  it('landing equals a finely integrated ODE', () => {
    const cases = [[0, 1.5, Math.PI / 4, 15], [0.3, 0, 0.3, 12], [-0.5, 2.2, 1.3, 20], [0.1, 0.8, 0.2, 3], [0, 1, 0.5, 0]];
    for (const [x1, x2, angle, v0] of cases) {
      const reference = integratedLanding(x1, x2, angle, v0);
      const landing = ballisticsLanding(x1, x2, angle, v0);
      expect(Math.abs(landing.x - reference), `case ${[x1, x2, angle, v0]}`).toBeLessThan(1e-7 * Math.max(1, Math.abs(reference)));
    }
  });

  it('without drag-like effects at tiny times, a throw straight down from the ground lands where it starts', () => {
    // x2 = 0 and moving down: lands at t = 0, x = x1.
    const landing = ballisticsLanding(0.7, 0, -0.5, 10);
    expect(landing.time).toBe(0);
    expect(landing.x).toBe(0.7);
  });

  it('Jacobian by implicit differentiation equals central differences', () => {
    const model = ballisticsModel();
    const points = Array.from({ length: 60 }, (_, i) => {
      const row = sampleBallisticsInputs(1, new Random(100 + i)).data;
      return [row[0], Math.max(row[1], 0.2), row[2], Math.max(row[3], 5)];
    });
    expectJacobianMatchesDifferences(model, points, 1e-7);
  });

  it('landing x is independent of where we start horizontally (∂/∂x1 = 1) and of the bracket', () => {
    const a = ballisticsLanding(0, 1.5, 0.8, 14), b = ballisticsLanding(3, 1.5, 0.8, 14);
    expect(b.x - a.x).toBeCloseTo(3, 12);
    expect(a.gradient[0]).toBe(1);
  });

  it('the prior matches Kruse et al.: moments of 20,000 draws', () => {
    const x = sampleBallisticsInputs(20_000, new Random(7));
    const column = (j: number) => Array.from({ length: x.rows }, (_, i) => x.data[i * 4 + j]);
    const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
    const x1 = column(0), x2 = column(1), angle = column(2), v0 = column(3);
    expect(mean(x1)).toBeCloseTo(0, 1);
    expect(Math.min(...x2)).toBe(0); // clipped at 0 (P(N(1.5, 0.5²) < 0) ≈ 0.13%)
    expect(Math.min(...angle)).toBeGreaterThanOrEqual(0.1 * Math.PI / 2);
    expect(Math.max(...angle)).toBeLessThan(0.9 * Math.PI / 2);
    expect(mean(v0)).toBeGreaterThan(14.8);
    expect(mean(v0)).toBeLessThan(15.2);
    expect(v0.every(Number.isInteger)).toBe(true);
  });

  it('a throw that never reaches the ground is a clear error', () => {
    expect(() => ballisticsLanding(0, -1, 0.1, 1)).toThrow(InvalidArgumentError);
    expect(() => ballisticsLanding(0, -1, 0.1, 1)).toThrow(/never reaches y = 0/);
  });
});
