// The one-step check of seed 000: take the minimum-norm linearised step Δx = J⁺Δy at x and see how
// far the model really moves: error = ‖f(x + Δx) − (y + Δy)‖. Zero for a linear model; for a
// nonlinear model it measures how far the linearisation can be trusted at that step size.
// J⁺ comes from each point's SVD with singular values below rtol·σ_max treated as zero.
import { MatrixBatch, Matrix, norm2, svdBatch, numericalRank } from '../linalg/index.ts';
import { ShapeError } from '../core/index.ts';
import type { Model } from '../model/index.ts';

export interface OneStepResult {
  /** N×n: the steps Δx = J⁺Δy. */
  steps: Matrix;
  /** ‖f(x + Δx) − (y + Δy)‖ per point, in output units. */
  error: Float64Array;
}

/** Write Δx = J⁺Δy for every Jacobian of the batch into `steps` (N×n). */
export function pseudoInverseSteps(jacobian: MatrixBatch, deltaY: Float64Array, rtol: number, steps: Matrix): void {
  const { count, rows: m, cols: n } = jacobian;
  if (deltaY.length !== m) throw new ShapeError(`deltaY has ${deltaY.length} entries but the model has ${m} outputs`);
  if (steps.rows !== count || steps.cols !== n) throw new ShapeError(`steps is ${steps.rows}×${steps.cols}, expected ${count}×${n}`);
  const { k, singularValues, U, V } = svdBatch(jacobian, { vectors: true });
  const u = U!.data, v = V!.data, out = steps.data;
  out.fill(0);
  for (let p = 0; p < count; p++) {
    const rank = numericalRank(singularValues, rtol, p * k, k);
    const uBase = p * m * k, vBase = p * n * k, outBase = p * n;
    for (let i = 0; i < rank; i++) {
      // coefficient (u_i · Δy) / σ_i along the right singular vector v_i
      let projection = 0;
      for (let r = 0; r < m; r++) projection += u[uBase + r * k + i] * deltaY[r];
      const coefficient = projection / singularValues[p * k + i];
      for (let j = 0; j < n; j++) out[outBase + j] += v[vBase + j * k + i] * coefficient;
    }
  }
}

/** The one-step check at points x (N×n) with outputs y (N×m) and Jacobians J (N of m×n). */
export function oneStepCheck(model: Model, x: Matrix, y: Matrix, jacobian: MatrixBatch, deltaY: Float64Array, rtol: number): OneStepResult {
  const steps = new Matrix(x.rows, x.cols);
  pseudoInverseSteps(jacobian, deltaY, rtol, steps);
  const moved = new Matrix(x.rows, x.cols);
  for (let k = 0; k < moved.data.length; k++) moved.data[k] = x.data[k] + steps.data[k];
  const reached = model.forward(moved);
  const m = y.cols, error = new Float64Array(x.rows), miss = new Float64Array(m);
  for (let p = 0; p < x.rows; p++) {
    for (let i = 0; i < m; i++) miss[i] = reached.data[p * m + i] - (y.data[p * m + i] + deltaY[i]);
    error[p] = norm2(miss);
  }
  return { steps, error };
}
