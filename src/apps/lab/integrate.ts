// Explicit time integrators (forward Euler, classical RK4) for du/dt = F(u), the Lorenz-63 system,
// and the `integrate` lab: Euler vs RK4 on an ODE with a known solution, whose global error at a
// fixed final time must fall like Δt¹ (Euler) and Δt⁴ (RK4) — the slopes of the log-log plot.
import { InvalidArgumentError, checkChoice, checkInteger, checkPositive } from '../../core/index.ts';
import { Matrix } from '../../linalg/index.ts';
import { fitLine, requireSteps } from './options.ts';

/** Right-hand side F of du/dt = F(u): reads `state`, writes F(state) into `out` (no allocation). */
export type StateFunction = (state: Float64Array, out: Float64Array) => void;

export type IntegratorMethod = 'euler' | 'rk4';
export const INTEGRATOR_METHODS: readonly IntegratorMethod[] = ['euler', 'rk4'];

/** Scratch buffers of one integrator step, allocated once per trajectory. */
export interface StepWorkspace {
  k1: Float64Array;
  k2: Float64Array;
  k3: Float64Array;
  k4: Float64Array;
  stage: Float64Array;
}

export function createStepWorkspace(dimension: number): StepWorkspace {
  return {
    k1: new Float64Array(dimension), k2: new Float64Array(dimension), k3: new Float64Array(dimension),
    k4: new Float64Array(dimension), stage: new Float64Array(dimension),
  };
}

/** u(t+Δt) = u(t) + Δt·F(u(t)). `out` may alias `state`. */
export function eulerStep(rhs: StateFunction, state: Float64Array, dt: number, out: Float64Array, work: StepWorkspace): void {
  rhs(state, work.k1);
  for (let i = 0; i < state.length; i++) out[i] = state[i] + dt * work.k1[i];
}

/** Classical RK4: u(t+Δt) = u + Δt/6·(k1 + 2k2 + 2k3 + k4). `out` may alias `state`. */
export function rk4Step(rhs: StateFunction, state: Float64Array, dt: number, out: Float64Array, work: StepWorkspace): void {
  const { k1, k2, k3, k4, stage } = work;
  const size = state.length;
  rhs(state, k1);
  for (let i = 0; i < size; i++) stage[i] = state[i] + 0.5 * dt * k1[i];
  rhs(stage, k2);
  for (let i = 0; i < size; i++) stage[i] = state[i] + 0.5 * dt * k2[i];
  rhs(stage, k3);
  for (let i = 0; i < size; i++) stage[i] = state[i] + dt * k3[i];
  rhs(stage, k4);
  for (let i = 0; i < size; i++) out[i] = state[i] + (dt / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
}

/**
 * Integrate `steps` steps of size `dt` from `initial`. Returns the trajectory as a (steps/recordEvery
 * + 1)×d matrix whose row k is u(k·recordEvery·Δt) (row 0 is the initial state).
 */
export function integrate(rhs: StateFunction, initial: ArrayLike<number>, options: { dt: number; steps: number; method?: IntegratorMethod; recordEvery?: number }): Matrix {
  const dt = checkPositive(options.dt, 'integrate: dt (Δt)');
  const steps = requireSteps(checkInteger(options.steps, 'integrate: steps', 1), 'steps', 'integrate');
  const recordEvery = checkInteger(options.recordEvery ?? 1, 'integrate: recordEvery', 1, steps);
  const method = checkChoice(options.method ?? 'rk4', 'integrate: method', INTEGRATOR_METHODS);
  const dimension = initial.length;
  const step = method === 'euler' ? eulerStep : rk4Step;
  const work = createStepWorkspace(dimension);
  const state = Float64Array.from(initial);
  const records = Math.floor(steps / recordEvery) + 1;
  const trajectory = new Matrix(records, dimension);
  trajectory.data.set(state, 0);
  for (let k = 1; k <= steps; k++) {
    step(rhs, state, dt, state, work);
    if (k % recordEvery === 0) trajectory.data.set(state, (k / recordEvery) * dimension);
  }
  return trajectory;
}

/** Lorenz-63 parameters; the classic chaotic choice is σ = 10, ρ = 28, β = 8/3. */
export interface Lorenz63Parameters {
  sigma: number;
  rho: number;
  beta: number;
}

export const LORENZ63_CLASSIC: Readonly<Lorenz63Parameters> = Object.freeze({ sigma: 10, rho: 28, beta: 8 / 3 });

/** The Lorenz-63 vector field: ẋ = σ(y − x), ẏ = x(ρ − z) − y, ż = xy − βz. */
export function lorenz63(parameters: Lorenz63Parameters = LORENZ63_CLASSIC): StateFunction {
  const { sigma, rho, beta } = parameters;
  return (state, out) => {
    const x = state[0], y = state[1], z = state[2];
    out[0] = sigma * (y - x);
    out[1] = x * (rho - z) - y;
    out[2] = x * y - beta * z;
  };
}

/** Jacobian ∂F/∂u of Lorenz-63 at `state`, written row-major into the 9-entry `out`. */
export function lorenz63Jacobian(state: ArrayLike<number>, out: Float64Array, parameters: Lorenz63Parameters = LORENZ63_CLASSIC): void {
  const { sigma, rho, beta } = parameters;
  const x = state[0], y = state[1], z = state[2];
  out[0] = -sigma; out[1] = sigma; out[2] = 0;
  out[3] = rho - z; out[4] = -1; out[5] = -x;
  out[6] = y; out[7] = x; out[8] = -beta;
}

/** A point near the Lorenz attractor, reached from (1, 1, 1) after a transient; used as a default start. */
export const LORENZ63_ON_ATTRACTOR: readonly number[] = [-8, 7, 27];

/** A test ODE with its exact solution. */
export interface KnownOde {
  name: string;
  equation: string;
  initial: number[];
  rhs: StateFunction;
  exact(t: number): number[];
}

export type KnownOdeName = 'oscillator' | 'logistic';
export const KNOWN_ODES: readonly KnownOdeName[] = ['oscillator', 'logistic'];

/** The harmonic oscillator x'' = −x as a system (exact: cos t, −sin t) or the logistic equation. */
export function knownOde(name: KnownOdeName): KnownOde {
  if (name === 'oscillator') {
    return {
      name, equation: "x' = v, v' = −x, x(0) = 1, v(0) = 0 (exact: x = cos t, v = −sin t)",
      initial: [1, 0],
      rhs: (state, out) => { out[0] = state[1]; out[1] = -state[0]; },
      exact: (t) => [Math.cos(t), -Math.sin(t)],
    };
  }
  const start = 0.1;
  return {
    name, equation: "u' = u(1 − u), u(0) = 0.1 (exact: u = 1 / (1 + 9e^{−t}))",
    initial: [start],
    rhs: (state, out) => { out[0] = state[0] * (1 - state[0]); },
    exact: (t) => [1 / (1 + (1 / start - 1) * Math.exp(-t))],
  };
}

export interface IntegrateOptions {
  /** Which known ODE (default 'oscillator'). */
  problem?: KnownOdeName;
  /** Final time T (default 2). */
  finalTime?: number;
  /** Step sizes to compare; each must divide T into a whole number of steps (default 0.1·2^-k, k = 0..4). */
  stepSizes?: number[];
}

export interface IntegrateRow {
  dt: number;
  steps: number;
  eulerError: number;
  rk4Error: number;
}

export interface IntegrateResult {
  lab: 'integrate';
  problem: KnownOdeName;
  equation: string;
  finalTime: number;
  rows: IntegrateRow[];
  /** Slopes of log(error) vs log(Δt): theory says 1 for Euler and 4 for RK4. */
  eulerSlope: number;
  rk4Slope: number;
  /** Trajectories of the first component at the largest Δt, for the plot. */
  sample: { dt: number; time: number[]; exact: number[]; euler: number[]; rk4: number[] };
  status: 'ok' | 'slopes-off-theory';
  message: string;
}

/** Slopes further than this from 1 (Euler) and 4 (RK4) are flagged in the result's status. */
export const SLOPE_TOLERANCE = 0.25;
/** A step count within this relative distance of an integer counts as a whole number of steps. */
const WHOLE_STEPS_TOLERANCE = 1e-9;

/** Run the Euler-vs-RK4 convergence study. */
export function runIntegrate(options: IntegrateOptions = {}): IntegrateResult {
  const lab = 'lab integrate';
  const problem = checkChoice(options.problem ?? 'oscillator', `${lab}: problem`, KNOWN_ODES);
  const finalTime = checkPositive(options.finalTime ?? 2, `${lab}: finalTime (T)`);
  const stepSizes = options.stepSizes ?? [0.1, 0.05, 0.025, 0.0125, 0.00625];
  if (stepSizes.length < 2) throw new InvalidArgumentError(`${lab}: stepSizes needs at least 2 values to fit a slope, got ${stepSizes.length}`);
  const ode = knownOde(problem);
  const exactFinal = ode.exact(finalTime);
  const rows: IntegrateRow[] = stepSizes.map((dt, index) => {
    checkPositive(dt, `${lab}: stepSizes[${index}] (Δt)`);
    const steps = requireSteps(Math.round(finalTime / dt), `T/Δt = ${finalTime}/${dt}`, lab);
    if (steps < 1 || Math.abs(steps * dt - finalTime) > WHOLE_STEPS_TOLERANCE * finalTime) {
      throw new InvalidArgumentError(`${lab}: stepSizes[${index}] = ${dt} does not divide T = ${finalTime} into whole steps; use Δt = T/k for an integer k ≥ 1`);
    }
    const error = (method: IntegratorMethod) => {
      const trajectory = integrate(ode.rhs, ode.initial, { dt, steps, method, recordEvery: steps });
      let largest = 0;
      for (let i = 0; i < exactFinal.length; i++) largest = Math.max(largest, Math.abs(trajectory.get(1, i) - exactFinal[i]));
      return largest;
    };
    return { dt, steps, eulerError: error('euler'), rk4Error: error('rk4') };
  });
  const logDt = rows.map((row) => Math.log(row.dt));
  const eulerSlope = fitLine(logDt, rows.map((row) => Math.log(row.eulerError))).slope;
  const rk4Slope = fitLine(logDt, rows.map((row) => Math.log(row.rk4Error))).slope;

  const largest = rows.reduce((best, row) => (row.dt > best.dt ? row : best), rows[0]);
  const euler = integrate(ode.rhs, ode.initial, { dt: largest.dt, steps: largest.steps, method: 'euler' });
  const rk4 = integrate(ode.rhs, ode.initial, { dt: largest.dt, steps: largest.steps, method: 'rk4' });
  const time = Array.from({ length: largest.steps + 1 }, (_, k) => k * largest.dt);
  const sample = {
    dt: largest.dt, time,
    exact: time.map((t) => ode.exact(t)[0]),
    euler: Array.from(euler.column(0)),
    rk4: Array.from(rk4.column(0)),
  };
  const onTheory = Math.abs(eulerSlope - 1) <= SLOPE_TOLERANCE && Math.abs(rk4Slope - 4) <= SLOPE_TOLERANCE;
  const message = `${ode.equation}, T = ${finalTime}: error ∝ Δt^${eulerSlope.toFixed(2)} for Euler (theory 1) and Δt^${rk4Slope.toFixed(2)} for RK4 (theory 4)` +
    (onTheory ? '.' : ` — outside ±${SLOPE_TOLERANCE} of theory (step sizes too large or errors at round-off level).`);
  return { lab: 'integrate', problem, equation: ode.equation, finalTime, rows, eulerSlope, rk4Slope, sample, status: onTheory ? 'ok' : 'slopes-off-theory', message };
}
