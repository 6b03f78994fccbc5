// The ballistics task of Kruse et al. ("Benchmarking invertible architectures on inverse problems"):
// a projectile with linear air drag is thrown from (x1, x2) at `angle` with speed v0; the output is
// the horizontal position where it comes back down to y = 0. The trajectory has a closed form; the
// landing time is found by bracketed root finding (no sampled grid), and the Jacobian comes from
// implicit differentiation of y(t(θ); θ) = 0:  dX/dθ = ∂x/∂θ + ẋ·dt/dθ with dt/dθ = −(∂y/∂θ)/ẏ.
import { InvalidArgumentError } from '../core/index.ts';
import { Matrix, type Random } from '../linalg/index.ts';
import { functionModel } from './functions.ts';
import type { Model } from './model.ts';

/** Physical constants of the task (drag coefficient k, mass m, gravity g), as in Kruse et al. */
export const BALLISTICS_CONSTANTS = { drag: 0.25, mass: 0.2, gravity: 9.81 } as const;

/** Landing time is converged when the bracket is this small relative to the time itself. */
const LANDING_TIME_RTOL = 1e-14;
const MAX_ROOT_ITERATIONS = 200;

export interface Landing {
  /** Horizontal landing position. */
  x: number;
  /** Time of landing (> 0 unless the projectile starts on the ground moving down). */
  time: number;
  /** ∂x_land/∂(x1, x2, angle, v0) by implicit differentiation. */
  gradient: Float64Array;
}

/** Position (x, y) and velocity at time t of the projectile launched from (x1, x2) at angle with speed v0. */
export function ballisticsState(x1: number, x2: number, angle: number, v0: number, t: number): { x: number; y: number; vx: number; vy: number } {
  const { drag: k, mass: m, gravity: g } = BALLISTICS_CONSTANTS;
  const vx0 = v0 * Math.cos(angle), vy0 = v0 * Math.sin(angle);
  const decay = Math.exp((-k * t) / m);
  return {
    x: x1 + ((vx0 * m) / k) * (1 - decay),
    y: x2 - (m / (k * k)) * ((g * m + vy0 * k) * (decay - 1) + g * k * t),
    vx: vx0 * decay,
    vy: ((g * m + vy0 * k) / k) * decay - (g * m) / k,
  };
}

/**
 * Landing position and its gradient. y(t) is concave (ÿ < 0), so after the apex it falls
 * monotonically; the landing time is the root of y in [max(0, t_apex), ∞), bracketed by doubling
 * and refined by Newton steps safeguarded with bisection. Throws when the projectile never reaches
 * y = 0 (it starts below ground and its apex is below ground too).
 */
export function ballisticsLanding(x1: number, x2: number, angle: number, v0: number): Landing {
  const { drag: k, mass: m, gravity: g } = BALLISTICS_CONSTANTS;
  for (const [name, value] of [['x1', x1], ['x2', x2], ['angle', angle], ['v0', v0]] as const) {
    if (!Number.isFinite(value)) throw new InvalidArgumentError(`ballistics: ${name} is ${value}; inputs must be finite`);
  }
  const vy0 = v0 * Math.sin(angle);
  // Apex time: ẏ = 0 ⇔ e^(−kt/m) = g·m / (g·m + vy0·k) (only when moving up).
  const apex = vy0 > 0 ? (m / k) * Math.log1p((vy0 * k) / (g * m)) : 0;
  const heightAt = (t: number) => ballisticsState(x1, x2, angle, v0, t).y;
  let low = apex;
  const apexHeight = heightAt(low);
  if (apexHeight < 0) {
    throw new InvalidArgumentError(
      `ballistics: the projectile from height x2 = ${x2} with angle ${angle} and v0 = ${v0} never reaches y = 0 (highest point ${apexHeight}); x2 must be ≥ 0 or the throw must reach the ground level`,
    );
  }
  // Bracket: grow the step until y < 0. Falling at most at terminal speed g·m/k, so this is quick.
  let step = Math.max(m / k, apex);
  let high = low + step;
  while (heightAt(high) >= 0) {
    low = high;
    step *= 2;
    high = low + step;
  }
  let time = apexHeight === 0 ? apex : 0.5 * (low + high);
  if (apexHeight !== 0) {
    for (let iteration = 0; iteration < MAX_ROOT_ITERATIONS; iteration++) {
      const state = ballisticsState(x1, x2, angle, v0, time);
      if (state.y === 0) break;
      if (state.y > 0) low = time;
      else high = time;
      const newtonStep = state.y / state.vy;
      if (Math.abs(newtonStep) <= LANDING_TIME_RTOL * time) {
        // Converged: take the last Newton step, kept inside the bracket (it may round onto an end).
        time = Math.min(high, Math.max(low, time - newtonStep));
        break;
      }
      const newton = time - newtonStep;
      time = newton > low && newton < high ? newton : 0.5 * (low + high);
      if (high - low <= LANDING_TIME_RTOL * high) break;
    }
  }
  const landing = ballisticsState(x1, x2, angle, v0, time);
  const decay = Math.exp((-k * time) / m);
  const spread = (m / k) * (1 - decay); // ∂x/∂vx0 = ∂y/∂vy0
  const cos = Math.cos(angle), sin = Math.sin(angle);
  // Partial derivatives at fixed t, in the order (x1, x2, angle, v0).
  const partialX = [1, 0, -v0 * sin * spread, cos * spread];
  const partialY = [0, 1, v0 * cos * spread, sin * spread];
  const gradient = new Float64Array(4);
  for (let j = 0; j < 4; j++) {
    const timeDerivative = landing.vy !== 0 ? -partialY[j] / landing.vy : 0;
    gradient[j] = partialX[j] + (landing.vx === 0 ? 0 : landing.vx * timeDerivative);
  }
  return { x: landing.x, time, gradient };
}

/** The ballistics forward model: (x1, x2, angle, v0) → landing x, with its exact Jacobian. */
export function ballisticsModel(): Model {
  return functionModel({
    inputNames: ['x1', 'x2', 'angle', 'v0'],
    outputNames: ['x_land'],
    evaluate(x, out) {
      out[0] = ballisticsLanding(x[0], x[1], x[2], x[3]).x;
    },
    jacobian(x, out) {
      out.set(ballisticsLanding(x[0], x[1], x[2], x[3]).gradient);
    },
    meta: {
      source: 'function:ballistics',
      inputUnits: ['m', 'm', 'rad', 'm/s'],
      outputUnits: ['m'],
      notes: [`linear drag k = ${BALLISTICS_CONSTANTS.drag}, mass ${BALLISTICS_CONSTANTS.mass}, g = ${BALLISTICS_CONSTANTS.gravity}`],
    },
  });
}

/**
 * The prior of Kruse et al.: x1 ~ N(0, 0.5²), x2 = max(N(1.5, 0.5²), 0), angle ~ U(0.1·π/2, 0.9·π/2),
 * v0 ~ Poisson(15). Draws row by row in that order.
 */
export function sampleBallisticsInputs(rows: number, random: Random): Matrix {
  const out = new Matrix(rows, 4);
  const lowAngle = 0.1 * (Math.PI / 2), highAngle = 0.9 * (Math.PI / 2);
  for (let i = 0; i < rows; i++) {
    out.data[i * 4] = random.normal(0, 0.5);
    out.data[i * 4 + 1] = Math.max(random.normal(1.5, 0.5), 0);
    out.data[i * 4 + 2] = random.between(lowAngle, highAngle);
    out.data[i * 4 + 3] = random.poisson(15);
  }
  return out;
}
