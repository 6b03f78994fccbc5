// Analytic forward models with exact Jacobians: a generic wrapper around per-point functions, a
// linear map y = A·x + b, the n-link planar robot arm (seed 002), the 4-DOF arm of Kruse et al.
// (a vertical slide plus three rotary joints) and a 2-D sine landscape. They give the solvers
// problems whose answers are known in closed form.
import { MatrixBatch, Matrix, type MatrixLike, toVector, type VectorLike } from '../linalg/index.ts';
import { InvalidArgumentError, ShapeError, shapeText } from '../core/index.ts';
import { affineInterval } from './intervals.ts';
import type { Bounds, Model, ModelMeta } from './model.ts';

export interface FunctionModelSpec {
  inputNames: readonly string[];
  outputNames: readonly string[];
  /** Write f(x) (length m) into `out` for one point x (length n). */
  evaluate(x: Float64Array, out: Float64Array): void;
  /** Write the m×n Jacobian (row-major) at x into `out`. */
  jacobian(x: Float64Array, out: Float64Array): void;
  meta?: ModelMeta;
}

/** Wrap per-point evaluate/jacobian functions as a batched Model. */
export function functionModel(spec: FunctionModelSpec): Model {
  const n = spec.inputNames.length;
  const m = spec.outputNames.length;
  if (n === 0 || m === 0) throw new ShapeError(`functionModel needs at least one input and one output name, got ${n} inputs and ${m} outputs`);
  const check = (x: Matrix): void => {
    if (!(x instanceof Matrix) || x.cols !== n) {
      throw new ShapeError(`model input must be an N×${n} Matrix (inputs ${spec.inputNames.join(', ')}), got ${x instanceof Matrix ? shapeText(x.rows, x.cols) : typeof x}`);
    }
  };
  const forward = (x: Matrix): Matrix => {
    check(x);
    const out = new Matrix(x.rows, m);
    for (let k = 0; k < x.rows; k++) spec.evaluate(x.data.subarray(k * n, (k + 1) * n), out.data.subarray(k * m, (k + 1) * m));
    return out;
  };
  const jacobian = (x: Matrix): MatrixBatch => {
    check(x);
    const out = new MatrixBatch(x.rows, m, n);
    const stride = m * n;
    for (let k = 0; k < x.rows; k++) spec.jacobian(x.data.subarray(k * n, (k + 1) * n), out.data.subarray(k * stride, (k + 1) * stride));
    return out;
  };
  return {
    inputNames: [...spec.inputNames],
    outputNames: [...spec.outputNames],
    forward,
    jacobian,
    forwardWithJacobian: (x: Matrix) => ({ y: forward(x), jacobian: jacobian(x) }),
    meta: spec.meta ?? { source: 'function' },
  };
}

/** y = A·x + b (A is m×n). Its Jacobian is A everywhere. */
export function linearModel(a: MatrixLike, b?: VectorLike, names?: { inputNames?: string[]; outputNames?: string[] }): Model {
  const matrix = Matrix.from(a, 'A').clone();
  const { rows: m, cols: n } = matrix;
  const offset = b === undefined ? new Float64Array(m) : toVector(b, 'b', m).slice();
  const inputNames = names?.inputNames ?? Array.from({ length: n }, (_, j) => `x${j + 1}`);
  const outputNames = names?.outputNames ?? Array.from({ length: m }, (_, i) => `y${i + 1}`);
  if (inputNames.length !== n || outputNames.length !== m) {
    throw new ShapeError(`linearModel: A is ${shapeText(m, n)} but ${inputNames.length} input names and ${outputNames.length} output names were given`);
  }
  const A = matrix.data;
  const model = functionModel({
    inputNames,
    outputNames,
    evaluate(x, out) {
      for (let i = 0; i < m; i++) {
        let sum = offset[i];
        for (let j = 0; j < n; j++) sum += A[i * n + j] * x[j];
        out[i] = sum;
      }
    },
    jacobian(_x, out) {
      out.set(A);
    },
    meta: { source: 'function:linear' },
  });
  // An affine map is bounded over a box exactly (up to rounding) by centre ± |A|·radius.
  return Object.assign(model, {
    outputBounds(lower: Float64Array, upper: Float64Array): Bounds {
      const outLo = new Float64Array(m), outHi = new Float64Array(m);
      affineInterval(A, offset, m, n, lower, upper, outLo, outHi);
      return { lower: outLo, upper: outHi };
    },
  });
}

/**
 * n-link planar arm: joint angles θ (radians, each relative to the previous link) → end-effector
 * position (x, y) = Σ l_i (cos φ_i, sin φ_i) with cumulative angles φ_i = θ_1 + … + θ_i.
 */
export function planarArm(lengths: VectorLike): Model {
  const links = toVector(lengths, 'lengths').slice();
  if (links.some((length) => !(length > 0))) throw new InvalidArgumentError(`planarArm: every link length must be > 0, got [${Array.from(links).join(', ')}]`);
  const n = links.length;
  return functionModel({
    inputNames: Array.from({ length: n }, (_, j) => `theta${j + 1}`),
    outputNames: ['x', 'y'],
    evaluate(theta, out) {
      let angle = 0, px = 0, py = 0;
      for (let i = 0; i < n; i++) {
        angle += theta[i];
        px += links[i] * Math.cos(angle);
        py += links[i] * Math.sin(angle);
      }
      out[0] = px;
      out[1] = py;
    },
    jacobian(theta, out) {
      // ∂(x, y)/∂θ_j = Σ_{i ≥ j} l_i (−sin φ_i, cos φ_i): accumulate from the tip backwards.
      let angle = 0;
      for (let i = 0; i < n; i++) {
        angle += theta[i];
        out[i] = -links[i] * Math.sin(angle);
        out[n + i] = links[i] * Math.cos(angle);
      }
      for (let j = n - 2; j >= 0; j--) {
        out[j] += out[j + 1];
        out[n + j] += out[n + j + 1];
      }
    },
    meta: { source: `function:planar-arm(${Array.from(links).join(',')})` },
  });
}

/** Link lengths of the Kruse et al. 4-DOF arm. */
export const KRUSE_ARM_LENGTHS = [0.5, 0.5, 1] as const;

/**
 * The 4-DOF arm of Kruse et al.: x1 is the vertical position of the base (a slide), x2..x4 are
 * joint angles. y1 = Σ l_i cos φ_i (horizontal), y2 = x1 + Σ l_i sin φ_i (vertical), with
 * φ_1 = x2, φ_2 = x2 + x3, φ_3 = x2 + x3 + x4 and l = (0.5, 0.5, 1); at x = 0 the tip is at (2, 0).
 */
export function kruseArm(): Model {
  const [l1, l2, l3] = KRUSE_ARM_LENGTHS;
  const links = [l1, l2, l3];
  return functionModel({
    inputNames: ['x1', 'x2', 'x3', 'x4'],
    outputNames: ['y1', 'y2'],
    evaluate(x, out) {
      let angle = 0, horizontal = 0, vertical = x[0];
      for (let i = 0; i < 3; i++) {
        angle += x[i + 1];
        horizontal += links[i] * Math.cos(angle);
        vertical += links[i] * Math.sin(angle);
      }
      out[0] = horizontal;
      out[1] = vertical;
    },
    jacobian(x, out) {
      out[0] = 0;
      out[4] = 1;
      let angle = 0;
      for (let i = 0; i < 3; i++) {
        angle += x[i + 1];
        out[i + 1] = -links[i] * Math.sin(angle);
        out[4 + i + 1] = links[i] * Math.cos(angle);
      }
      for (let j = 2; j >= 1; j--) {
        out[j] += out[j + 1];
        out[4 + j] += out[4 + j + 1];
      }
    },
    meta: { source: 'function:kruse-arm' },
  });
}

/** y = sin(3π x1) + cos(3π x2): a 2→1 landscape with many disconnected level sets. */
export function sineModel(): Model {
  const k = 3 * Math.PI;
  return functionModel({
    inputNames: ['x1', 'x2'],
    outputNames: ['y'],
    evaluate(x, out) {
      out[0] = Math.sin(k * x[0]) + Math.cos(k * x[1]);
    },
    jacobian(x, out) {
      out[0] = k * Math.cos(k * x[0]);
      out[1] = -k * Math.sin(k * x[1]);
    },
    meta: { source: 'function:sine' },
  });
}
