// The `stability` lab: an autoregressive emulator u(t+Δt) = N(u(t)) of Lorenz-63, trained with
// inversa's own trainer (trainForward), rolled out from a state it has not seen, and analysed as in
// the course notes: a perturbation grows as e_t = J_t e_{t−1} with J_t the emulator's Jacobian at
// u_t, so the eigenvalues and singular values of J_t along the rollout decide stability. Every
// figure is compared with the exact one-step map Φ of the true system (RK4, lorenz-step.ts):
//   - eigenvalues of J_N(u) vs those of DΦ(u) at the same points,
//   - volume contraction: mean log|det J|/Δt vs trace(∂F/∂u) = −(σ + 1 + β) (exact for the flow),
//   - largest Lyapunov exponent from the product of Jacobians (≈ 0.906 for the classic Lorenz-63).
// Form 'residual' (default, the notes' Euler form) learns the increment: u(t+Δt) = u + N(u), J = I + J_N.
import { MatrixBatch, svdBatch, Matrix, median, eigenvalues } from '../../linalg/index.ts';
import { MlpModel } from '../../model/index.ts';
import { trainForward, type EpochProgress, prepareData } from '../../train/index.ts';
import { integrate, lorenz63, LORENZ63_CLASSIC, LORENZ63_ON_ATTRACTOR } from './integrate.ts';
import { createLorenzStepWorkspace, lorenzStepJacobian } from './lorenz-step.ts';
import { checkChoice, checkInteger, checkNumber } from '../../core/index.ts';

export type EmulatorForm = 'residual' | 'direct';
export const EMULATOR_FORMS: readonly EmulatorForm[] = ['residual', 'direct'];

export interface StabilityOptions {
  /** Sampling interval Δt of the data and the emulator (default 0.01). */
  dt?: number;
  /** Training pairs (u(t), u(t+Δt)) (default 4000). */
  samples?: number;
  /** Emulator steps in the rollout (default 300). */
  rolloutSteps?: number;
  /** Hidden widths of the emulator (default [32, 32], tanh, resmlp). */
  hidden?: number[];
  epochs?: number;
  learningRate?: number;
  form?: EmulatorForm;
  seed?: number;
  /** Called after every training epoch (e.g. for a progress bar). */
  onEpoch?: (progress: EpochProgress) => void;
}

export interface StabilityPoint {
  step: number;
  /** Eigenvalues of the emulator Jacobian (descending modulus). */
  emulatorEigenvalues: { real: number; imaginary: number }[];
  /** Eigenvalues of the exact step map DΦ at the same state. */
  exactEigenvalues: { real: number; imaginary: number }[];
  emulatorSpectralRadius: number;
  exactSpectralRadius: number;
  emulatorSingularValues: number[];
  exactSingularValues: number[];
}

export interface StabilityResult {
  lab: 'stability';
  dt: number;
  form: EmulatorForm;
  training: { samples: number; epochs: number; bestEpoch: number; testLoss: number; testR2: number[]; seconds: number };
  /** Mean one-step error ‖N(u) − Φ(u)‖ / (attractor scale) on held-out states. */
  oneStepRelativeError: number;
  rollout: {
    time: number[];
    emulator: number[][];
    truth: number[][];
    /** ‖u_emulator − u_true‖ per step. */
    error: number[];
    /** First time the error exceeds 10% of the attractor scale (Infinity if never). */
    divergenceTime: number;
  };
  /** Along the emulator's rollout: spectral radius and largest singular value of J_t, and the same for DΦ. */
  series: { time: number[]; emulatorRadius: number[]; exactRadius: number[]; emulatorSigmaMax: number[]; exactSigmaMax: number[] };
  /** Eigenvalue tables at a few points of the rollout. */
  points: StabilityPoint[];
  /** Median relative distance between emulator and exact eigenvalues (matched by modulus order). */
  eigenvalueRelativeError: number;
  /**
   * Median |log λ_emulator − log λ_exact| / Δt (complex log): the error in the local growth rates,
   * in 1/time units. Eigenvalues of a one-step map sit near 1, so this shows what the relative error hides.
   */
  eigenvalueRateError: number;
  /** The same median per eigenvalue, by descending modulus (the last is the transverse, contracting one). */
  eigenvalueRateErrorByIndex: number[];
  /** mean log|det J|/Δt along the rollout (theory for the flow: −(σ + 1 + β)). */
  emulatorContraction: number;
  exactContraction: number;
  theoryContraction: number;
  /** Largest Lyapunov exponent from the Jacobian products e_t = J_t e_{t−1}. */
  emulatorLyapunov: number;
  exactLyapunov: number;
  /** Share of rollout steps where the emulator's spectral radius exceeds 1 (locally expanding). */
  expandingShare: number;
  status: 'ok' | 'emulator-diverged';
  message: string;
}

const LAB = 'lab stability';
/** RK4 sub-steps per sampling interval for the reference data and DΦ. */
const SUBSTEPS = 10;
/** Simulated time discarded so the data lie on the attractor. */
const TRANSIENT_TIME = 5;
/** Error (relative to the attractor scale) that counts as "the rollout has left the true trajectory". */
const DIVERGENCE_FRACTION = 0.1;
/** Points of the rollout at which full eigenvalue tables are listed. */
const TABLE_POINTS = 5;
/** Held-out states for the one-step error. */
const CHECK_STATES = 200;

export function runStability(options: StabilityOptions = {}): StabilityResult {
  const dt = checkNumber(options.dt ?? 0.01, `${LAB}: dt (Δt)`, { min: 0, minOpen: true, max: 0.05 }, 'larger steps make the one-step map too nonlinear to emulate');
  const samples = checkInteger(options.samples ?? 4000, `${LAB}: samples`, 100, 100000);
  const rolloutSteps = checkInteger(options.rolloutSteps ?? 300, `${LAB}: rolloutSteps`, 10, 100000);
  const form = checkChoice(options.form ?? 'residual', `${LAB}: form`, EMULATOR_FORMS);
  const seed = options.seed ?? 0;
  const h = dt / SUBSTEPS;
  const parameters = LORENZ63_CLASSIC;
  const rhs = lorenz63(parameters);

  // Data: one long trajectory after a transient, sampled every Δt.
  const transient = integrate(rhs, LORENZ63_ON_ATTRACTOR, { dt: h, steps: Math.round(TRANSIENT_TIME / h), method: 'rk4', recordEvery: Math.round(TRANSIENT_TIME / h) });
  const startState = transient.row(1);
  const totalSamples = samples + 1 + CHECK_STATES + 1;
  const trajectory = integrate(rhs, startState, { dt: h, steps: (totalSamples - 1) * SUBSTEPS, method: 'rk4', recordEvery: SUBSTEPS });
  const inputs = new Matrix(samples, 3), outputs = new Matrix(samples, 3);
  for (let i = 0; i < samples; i++) {
    for (let v = 0; v < 3; v++) {
      const now = trajectory.data[i * 3 + v], next = trajectory.data[(i + 1) * 3 + v];
      inputs.data[i * 3 + v] = now;
      outputs.data[i * 3 + v] = form === 'residual' ? next - now : next;
    }
  }
  const scale = attractorScale(trajectory);

  const started = performance.now();
  const data = prepareData({ x: inputs, y: outputs, inputNames: ['x', 'y', 'z'], outputNames: form === 'residual' ? ['dx', 'dy', 'dz'] : ['x_next', 'y_next', 'z_next'], source: 'lab:stability lorenz63' }, { seed });
  const trained = trainForward(data, {
    arch: 'resmlp', hidden: options.hidden ?? [32, 32], activation: 'tanh', epochs: options.epochs ?? 150,
    batchSize: 64, learningRate: options.learningRate ?? 3e-3, patience: 40, seed, onEpoch: options.onEpoch,
  });
  const seconds = (performance.now() - started) / 1000;
  const model = new MlpModel(trained.spec);
  const step = (states: Matrix): Matrix => {
    const predicted = model.forward(states);
    if (form === 'residual') for (let k = 0; k < predicted.data.length; k++) predicted.data[k] += states.data[k];
    return predicted;
  };

  // One-step error on states after the training segment.
  const checkStart = samples + 1;
  const checkStates = new Matrix(CHECK_STATES, 3, trajectory.data.slice(checkStart * 3, (checkStart + CHECK_STATES) * 3));
  const checkNext = trajectory.data.slice((checkStart + 1) * 3, (checkStart + CHECK_STATES + 1) * 3);
  const predictedNext = step(checkStates);
  let oneStepError = 0;
  for (let i = 0; i < CHECK_STATES; i++) {
    oneStepError += Math.hypot(predictedNext.data[i * 3] - checkNext[i * 3], predictedNext.data[i * 3 + 1] - checkNext[i * 3 + 1], predictedNext.data[i * 3 + 2] - checkNext[i * 3 + 2]);
  }
  const oneStepRelativeError = oneStepError / CHECK_STATES / scale;

  // Rollout from the last (unseen) state of the check segment.
  const rolloutStart = trajectory.row(checkStart + CHECK_STATES);
  const emulatorStates = new Matrix(rolloutSteps + 1, 3);
  const truthStates = integrate(rhs, rolloutStart, { dt: h, steps: rolloutSteps * SUBSTEPS, method: 'rk4', recordEvery: SUBSTEPS });
  emulatorStates.data.set(rolloutStart, 0);
  const current = new Matrix(1, 3);
  let diverged = false;
  for (let t = 1; t <= rolloutSteps; t++) {
    current.data.set(emulatorStates.data.subarray((t - 1) * 3, t * 3));
    const next = step(current).data;
    if (!next.every(Number.isFinite)) { diverged = true; emulatorStates.data.fill(NaN, t * 3); break; }
    emulatorStates.data.set(next, t * 3);
  }
  const time = Array.from({ length: rolloutSteps + 1 }, (_, t) => t * dt);
  const error = time.map((_, t) => Math.hypot(
    emulatorStates.data[t * 3] - truthStates.data[t * 3], emulatorStates.data[t * 3 + 1] - truthStates.data[t * 3 + 1], emulatorStates.data[t * 3 + 2] - truthStates.data[t * 3 + 2]));
  const divergenceIndex = error.findIndex((value) => !(value <= DIVERGENCE_FRACTION * scale));
  const divergenceTime = divergenceIndex < 0 ? Infinity : time[divergenceIndex];

  // Jacobians along the emulator's own rollout (the states it actually visits).
  const visited = diverged ? firstFiniteRows(emulatorStates) : emulatorStates;
  const count = visited.rows - 1;
  const emulatorJacobians = model.jacobian(new Matrix(count, 3, visited.data.slice(0, count * 3)));
  if (form === 'residual') for (let k = 0; k < count; k++) for (let i = 0; i < 3; i++) emulatorJacobians.data[k * 9 + i * 4] += 1;
  const exactJacobians = new MatrixBatch(count, 3, 3);
  const work = createLorenzStepWorkspace();
  const ignoredState = new Float64Array(3);
  for (let k = 0; k < count; k++) {
    lorenzStepJacobian(visited.data.subarray(k * 3, k * 3 + 3), h, SUBSTEPS, ignoredState, exactJacobians.data.subarray(k * 9, k * 9 + 9), parameters, work);
  }
  const emulatorSvd = svdBatch(emulatorJacobians, { vectors: false });
  const exactSvd = svdBatch(exactJacobians, { vectors: false });

  const series = { time: time.slice(0, count), emulatorRadius: [] as number[], exactRadius: [] as number[], emulatorSigmaMax: [] as number[], exactSigmaMax: [] as number[] };
  const eigenvalueErrors: number[] = [];
  const rateErrors: number[] = [];
  const rateErrorsByIndex: number[][] = [[], [], []];
  const points: StabilityPoint[] = [];
  const tableSteps = new Set(Array.from({ length: TABLE_POINTS }, (_, k) => Math.round((k * (count - 1)) / (TABLE_POINTS - 1))));
  let emulatorLogDet = 0, exactLogDet = 0;
  for (let k = 0; k < count; k++) {
    const emulatorMatrix = emulatorJacobians.view(k), exactMatrix = exactJacobians.view(k);
    const emulatorEigen = eigenvalues(emulatorMatrix), exactEigen = eigenvalues(exactMatrix);
    series.emulatorRadius.push(emulatorEigen.spectralRadius);
    series.exactRadius.push(exactEigen.spectralRadius);
    series.emulatorSigmaMax.push(emulatorSvd.singularValues[k * 3]);
    series.exactSigmaMax.push(exactSvd.singularValues[k * 3]);
    for (let i = 0; i < 3; i++) {
      eigenvalueErrors.push(Math.hypot(emulatorEigen.real[i] - exactEigen.real[i], emulatorEigen.imaginary[i] - exactEigen.imaginary[i]) / exactEigen.modulus[i]);
      const angle = Math.atan2(emulatorEigen.imaginary[i], emulatorEigen.real[i]) - Math.atan2(exactEigen.imaginary[i], exactEigen.real[i]);
      const wrapped = Math.atan2(Math.sin(angle), Math.cos(angle));
      const rateError = Math.hypot(Math.log(emulatorEigen.modulus[i] / exactEigen.modulus[i]), wrapped) / dt;
      rateErrors.push(rateError);
      rateErrorsByIndex[i].push(rateError);
    }
    emulatorLogDet += Math.log(Math.abs(determinant3(emulatorMatrix.data)));
    exactLogDet += Math.log(Math.abs(determinant3(exactMatrix.data)));
    if (tableSteps.has(k)) {
      const pairs = (e: typeof emulatorEigen) => Array.from(e.real, (real, i) => ({ real, imaginary: e.imaginary[i] }));
      points.push({
        step: k, emulatorEigenvalues: pairs(emulatorEigen), exactEigenvalues: pairs(exactEigen),
        emulatorSpectralRadius: emulatorEigen.spectralRadius, exactSpectralRadius: exactEigen.spectralRadius,
        emulatorSingularValues: Array.from(emulatorSvd.singularValues.subarray(k * 3, k * 3 + 3)),
        exactSingularValues: Array.from(exactSvd.singularValues.subarray(k * 3, k * 3 + 3)),
      });
    }
  }
  const emulatorContraction = emulatorLogDet / (count * dt);
  const exactContraction = exactLogDet / (count * dt);
  const theoryContraction = -(parameters.sigma + 1 + parameters.beta);
  const emulatorLyapunov = largestLyapunov(emulatorJacobians, dt);
  const exactLyapunov = largestLyapunov(exactJacobians, dt);
  const expandingShare = series.emulatorRadius.filter((radius) => radius > 1).length / count;
  const eigenvalueRelativeError = median(eigenvalueErrors.filter(Number.isFinite));
  const eigenvalueRateError = median(rateErrors.filter(Number.isFinite));
  const eigenvalueRateErrorByIndex = rateErrorsByIndex.map((errors) => median(errors.filter(Number.isFinite)));

  const status: StabilityResult['status'] = diverged ? 'emulator-diverged' : 'ok';
  const message =
    `emulator ${form === 'residual' ? 'u + N(u)' : 'N(u)'} (resmlp ${(options.hidden ?? [32, 32]).join('×')} tanh, ${samples} pairs, Δt = ${dt}) trained in ${seconds.toFixed(1)} s; ` +
    `one-step error ${(100 * oneStepRelativeError).toPrecision(3)}% of the attractor scale; rollout follows the truth for ${Number.isFinite(divergenceTime) ? `${divergenceTime.toFixed(2)} time units` : `all ${rolloutSteps} steps`}` +
    `${diverged ? ' and then blows up (non-finite states)' : ''}. Along the rollout: eigenvalues of J within ${(100 * eigenvalueRelativeError).toPrecision(3)}% (median) of the exact map's, ` +
    `i.e. growth rates log(λ)/Δt off by ${eigenvalueRateErrorByIndex.map((value) => value.toPrecision(2)).join(', ')} per time unit for |λ₁| ≥ |λ₂| ≥ |λ₃| ` +
    `(the transverse, strongly contracting direction is barely sampled by data on the attractor); ` +
    `volume contraction ${emulatorContraction.toFixed(2)} vs exact ${exactContraction.toFixed(2)} (theory ${theoryContraction.toFixed(3)}); ` +
    `largest Lyapunov exponent ${emulatorLyapunov.toFixed(2)} vs exact ${exactLyapunov.toFixed(2)} (long-run value ≈ 0.906); ` +
    `spectral radius > 1 on ${(100 * expandingShare).toFixed(0)}% of the steps (errors grow there).`;
  return {
    lab: 'stability', dt, form,
    training: { samples, epochs: trained.loop.epochsRun, bestEpoch: trained.loop.bestEpoch, testLoss: trained.testLoss, testR2: trained.test.map((score) => score.r2), seconds },
    oneStepRelativeError,
    rollout: {
      time, error, divergenceTime,
      emulator: [0, 1, 2].map((v) => Array.from(emulatorStates.column(v))),
      truth: [0, 1, 2].map((v) => Array.from(truthStates.column(v))),
    },
    series, points, eigenvalueRelativeError, eigenvalueRateError, eigenvalueRateErrorByIndex, emulatorContraction, exactContraction, theoryContraction,
    emulatorLyapunov, exactLyapunov, expandingShare, status, message,
  };
}

/** Root-mean-square distance of the states from their mean: the size of the attractor. */
function attractorScale(states: Matrix): number {
  const mean = [0, 1, 2].map((v) => states.column(v).reduce((sum, value) => sum + value, 0) / states.rows);
  let squares = 0;
  for (let i = 0; i < states.rows; i++) for (let v = 0; v < 3; v++) squares += (states.data[i * 3 + v] - mean[v]) ** 2;
  return Math.sqrt(squares / states.rows);
}

function firstFiniteRows(states: Matrix): Matrix {
  let rows = 0;
  while (rows < states.rows && Number.isFinite(states.data[rows * 3]) && Number.isFinite(states.data[rows * 3 + 1]) && Number.isFinite(states.data[rows * 3 + 2])) rows++;
  return new Matrix(rows, 3, states.data.slice(0, rows * 3));
}

export function determinant3(a: ArrayLike<number>): number {
  return a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
}

/**
 * Largest Lyapunov exponent from a sequence of Jacobians: push a unit vector through e_t = J_t e_{t−1},
 * renormalize each step, average the log growth per unit time.
 */
export function largestLyapunov(jacobians: MatrixBatch, dt: number): number {
  const n = jacobians.rows;
  let vector = new Float64Array(n).fill(1 / Math.sqrt(n));
  let next = new Float64Array(n);
  let logGrowth = 0;
  for (let k = 0; k < jacobians.count; k++) {
    const offset = k * n * n;
    let norm = 0;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += jacobians.data[offset + i * n + j] * vector[j];
      next[i] = sum;
      norm += sum * sum;
    }
    norm = Math.sqrt(norm);
    logGrowth += Math.log(norm);
    for (let i = 0; i < n; i++) next[i] /= norm;
    [vector, next] = [next, vector];
  }
  return logGrowth / (jacobians.count * dt);
}
