// The Lorenz-63 one-step map Φ(u) = u after one sampling interval Δt (RK4 sub-steps) and its exact
// Jacobian DΦ(u), by differentiating the RK4 stages (chain rule through k1..k4):
//   K1 = J(u), K2 = J(u + h/2·k1)(I + h/2·K1), K3 = J(u + h/2·k2)(I + h/2·K2), K4 = J(u + h·k3)(I + h·K3),
//   DΦ_step = I + h/6·(K1 + 2K2 + 2K3 + K4), and DΦ is the product over the sub-steps.
// This is the map an autoregressive emulator u(t+1) = N(u(t)) learns, so DΦ is what the emulator's
// Jacobian should approximate. Theory: det DΦ ≈ exp(Δt·trace J) = exp(−(σ + 1 + β)Δt) (volume
// contraction), and eigenvalues at a fixed point ≈ exp(Δt·λ(J)).
import { lorenz63, lorenz63Jacobian, LORENZ63_CLASSIC, rk4Step, createStepWorkspace, type Lorenz63Parameters } from './integrate.ts';

const DIMENSION = 3;
const SIZE = DIMENSION * DIMENSION;

/** Reusable buffers of lorenzStepJacobian (a hot loop along trajectories allocates nothing). */
export interface LorenzStepWorkspace {
  state: Float64Array;
  stage: Float64Array;
  k1: Float64Array; k2: Float64Array; k3: Float64Array;
  jacobian: Float64Array;
  K1: Float64Array; K2: Float64Array; K3: Float64Array; K4: Float64Array;
  factor: Float64Array;
  step: Float64Array;
  product: Float64Array;
  scratch: Float64Array;
}

export function createLorenzStepWorkspace(): LorenzStepWorkspace {
  const vector = () => new Float64Array(DIMENSION);
  const matrix = () => new Float64Array(SIZE);
  return {
    state: vector(), stage: vector(), k1: vector(), k2: vector(), k3: vector(),
    jacobian: matrix(), K1: matrix(), K2: matrix(), K3: matrix(), K4: matrix(), factor: matrix(), step: matrix(), product: matrix(), scratch: matrix(),
  };
}

/** out = a·b for 3×3 row-major matrices (out must not alias a or b). */
function multiply3(a: Float64Array, b: Float64Array, out: Float64Array): void {
  for (let i = 0; i < DIMENSION; i++) {
    for (let j = 0; j < DIMENSION; j++) {
      let sum = 0;
      for (let k = 0; k < DIMENSION; k++) sum += a[i * DIMENSION + k] * b[k * DIMENSION + j];
      out[i * DIMENSION + j] = sum;
    }
  }
}

/** factor = I + scale·K. */
function identityPlus(K: Float64Array, scale: number, factor: Float64Array): void {
  for (let k = 0; k < SIZE; k++) factor[k] = scale * K[k];
  for (let i = 0; i < DIMENSION; i++) factor[i * DIMENSION + i] += 1;
}

/**
 * Advance `state` by `substeps` RK4 steps of size h (written to `outState`) and write the exact
 * Jacobian of that map with respect to the starting state into `outJacobian` (9 entries, row-major).
 */
export function lorenzStepJacobian(
  state: ArrayLike<number>, h: number, substeps: number, outState: Float64Array, outJacobian: Float64Array,
  parameters: Lorenz63Parameters = LORENZ63_CLASSIC, work: LorenzStepWorkspace = createLorenzStepWorkspace(),
): void {
  const rhs = lorenz63(parameters);
  const { stage, k1, k2, k3, jacobian, K1, K2, K3, K4, factor, step, product, scratch } = work;
  const u = work.state;
  for (let i = 0; i < DIMENSION; i++) u[i] = state[i];
  product.fill(0);
  for (let i = 0; i < DIMENSION; i++) product[i * DIMENSION + i] = 1;
  for (let s = 0; s < substeps; s++) {
    rhs(u, k1);
    lorenz63Jacobian(u, K1, parameters);
    for (let i = 0; i < DIMENSION; i++) stage[i] = u[i] + 0.5 * h * k1[i];
    rhs(stage, k2);
    lorenz63Jacobian(stage, jacobian, parameters);
    identityPlus(K1, 0.5 * h, factor);
    multiply3(jacobian, factor, K2);
    for (let i = 0; i < DIMENSION; i++) stage[i] = u[i] + 0.5 * h * k2[i];
    rhs(stage, k3);
    lorenz63Jacobian(stage, jacobian, parameters);
    identityPlus(K2, 0.5 * h, factor);
    multiply3(jacobian, factor, K3);
    for (let i = 0; i < DIMENSION; i++) stage[i] = u[i] + h * k3[i];
    lorenz63Jacobian(stage, jacobian, parameters);
    identityPlus(K3, h, factor);
    multiply3(jacobian, factor, K4);
    for (let k = 0; k < SIZE; k++) step[k] = (h / 6) * (K1[k] + 2 * K2[k] + 2 * K3[k] + K4[k]);
    for (let i = 0; i < DIMENSION; i++) step[i * DIMENSION + i] += 1;
    multiply3(step, product, scratch);
    product.set(scratch);
    // Advance the state with the same RK4 step (recomputes the stages; clear over clever).
    rk4Step(rhs, u, h, u, stepWorkspace(work));
  }
  outState.set(u);
  outJacobian.set(product);
}

const stepWorkspaces = new WeakMap<LorenzStepWorkspace, ReturnType<typeof createStepWorkspace>>();
function stepWorkspace(work: LorenzStepWorkspace): ReturnType<typeof createStepWorkspace> {
  let found = stepWorkspaces.get(work);
  if (!found) { found = createStepWorkspace(DIMENSION); stepWorkspaces.set(work, found); }
  return found;
}
