// SINDy (sparse identification of nonlinear dynamics) on Lorenz-63, as in the course notes:
// simulate with RK4 on a fine step, estimate du/dt by second-order central differences, build the
// polynomial library Θ(u) (degree ≤ 2: 10 terms), and find sparse coefficients Ξ with Θ Ξ ≈ du/dt by
// sequentially thresholded least squares (STLSQ): solve (optionally ridge-regularized) least
// squares, drop terms with |coefficient| < threshold, repeat on the kept terms until the set is
// stable, then refit the kept terms without regularization. Every solve goes through linalg/lstsq.
import { InvalidArgumentError, checkInteger, checkNonNegative, checkNumber, checkPositive } from '../../core/index.ts';
import { lstsq, Matrix, Random, columnMeanAndStd } from '../../linalg/index.ts';
import { integrate, LORENZ63_CLASSIC, LORENZ63_ON_ATTRACTOR, lorenz63, type Lorenz63Parameters, type StateFunction } from './integrate.ts';
import { requireMemory, requireSteps } from './options.ts';
import { evaluateLibrary, evaluateLibraryRow, MAX_LIBRARY_DEGREE, polynomialLibrary, type PolynomialLibrary } from './polynomial-library.ts';

export interface SindyOptions {
  /** Lorenz-63 parameters of the simulated truth (default σ = 10, ρ = 28, β = 8/3). */
  parameters?: Lorenz63Parameters;
  /** RK4 step and sampling interval of the data (default 0.001). */
  dt?: number;
  /** Simulated time span (default 10). */
  duration?: number;
  /** Initial state (default a point on the attractor). */
  initial?: number[];
  /** Total degree of the polynomial library (default 2). */
  degree?: number;
  /** STLSQ threshold: coefficients with |c| below it are dropped (default 0.1). */
  threshold?: number;
  /** Ridge α of the STLSQ iterations: minimizes ‖Θc − u̇‖² + α‖c‖² (default 0). The final refit is unregularized. */
  ridge?: number;
  /** Gaussian measurement noise added to the states, as a fraction of each variable's standard deviation (default 0). */
  noise?: number;
  /** Seed of the noise. */
  seed?: number;
  /** Maximum threshold-and-refit rounds (default 10). */
  maxIterations?: number;
}

export interface SindyEquation {
  variable: string;
  /** "dx/dt = −10 x + 10 y". */
  text: string;
  /** Kept terms and their coefficients. */
  terms: { name: string; coefficient: number }[];
}

export interface SindyCoefficientCheck {
  variable: string;
  term: string;
  identified: number;
  truth: number;
  /** |identified − truth| / |truth| for true terms; NaN for spurious or missed terms. */
  relativeError: number;
  kind: 'true-term' | 'spurious' | 'missed';
}

export interface SindyResult {
  lab: 'sindy';
  parameters: Lorenz63Parameters;
  options: Required<Omit<SindyOptions, 'parameters' | 'initial'>> & { initial: number[] };
  library: string[];
  variables: string[];
  /** K×d coefficient matrix Ξ (row = library term, column = equation); zero for dropped terms. */
  coefficients: Matrix;
  /** Exact Lorenz-63 coefficients in the same layout. */
  trueCoefficients: Matrix;
  equations: SindyEquation[];
  /** Every true or wrongly kept term, with its error against the truth. */
  checks: SindyCoefficientCheck[];
  /** Largest relative coefficient error over the true terms (Infinity if one is missed). */
  maxRelativeError: number;
  spuriousTerms: number;
  missedTerms: number;
  iterations: number;
  samples: number;
  /** Relative residual ‖ΘΞ − u̇‖_F / ‖u̇‖_F of the final model. */
  relativeResidual: number;
  /** Data and the identified model simulated from the same start (short horizon), for the plots. */
  trajectory: { time: number[]; truth: number[][]; identified: number[][] };
  status: 'identified' | 'all-terms-removed' | 'max-iterations';
  message: string;
}

const LAB = 'lab sindy';
const VARIABLES = ['x', 'y', 'z'];
/** Horizon and plot step of the comparison simulation of the identified model. */
const COMPARISON_DURATION = 2;
const COMPARISON_PLOT_STEP = 0.01;
/** Relative cutoff for numerically zero singular values in the STLSQ solves (σ ≤ rtol·σ_max). */
const SOLVE_RTOL = 1e-12;

/** Run SINDy on simulated Lorenz-63 data. */
export function runSindy(options: SindyOptions = {}): SindyResult {
  const parameters = { ...LORENZ63_CLASSIC, ...options.parameters };
  for (const key of ['sigma', 'rho', 'beta'] as const) {
    checkNumber(parameters[key], `${LAB}: parameters.${key}`);
  }
  const dt = checkPositive(options.dt ?? 0.001, `${LAB}: dt (Δt)`);
  const duration = checkPositive(options.duration ?? 10, `${LAB}: duration`);
  const degree = checkInteger(options.degree ?? 2, `${LAB}: degree`, 1, MAX_LIBRARY_DEGREE);
  const threshold = checkNonNegative(options.threshold ?? 0.1, `${LAB}: threshold`);
  const ridge = checkNonNegative(options.ridge ?? 0, `${LAB}: ridge (α)`);
  const noise = checkNonNegative(options.noise ?? 0, `${LAB}: noise`);
  const seed = options.seed ?? 0;
  const maxIterations = checkInteger(options.maxIterations ?? 10, `${LAB}: maxIterations`, 1);
  const initial = options.initial ?? [...LORENZ63_ON_ATTRACTOR];
  if (initial.length !== 3 || !initial.every(Number.isFinite)) {
    throw new InvalidArgumentError(`${LAB}: initial must be 3 finite numbers (x, y, z), got [${initial.join(', ')}]`);
  }
  const steps = requireSteps(Math.round(duration / dt), `duration/dt = ${duration}/${dt}`, LAB);
  // The polynomial library has C(degree + 3, 3) columns, one row per step.
  const libraryColumns = ((degree + 1) * (degree + 2) * (degree + 3)) / 6;
  requireMemory(steps * (libraryColumns + 6), `${steps} steps × ${libraryColumns} library columns`, LAB);
  if (steps < 10) throw new InvalidArgumentError(`${LAB}: duration/dt = ${duration}/${dt} gives ${steps} steps; need at least 10 samples`);

  const truthRhs = lorenz63(parameters);
  const states = integrate(truthRhs, initial, { dt, steps, method: 'rk4' });
  if (noise > 0) addRelativeNoise(states, noise, new Random(seed));
  const { interior, derivatives } = centralDifferences(states, dt);
  const library = polynomialLibrary(VARIABLES, degree);
  const theta = evaluateLibrary(library, interior);

  const termCount = library.names.length;
  const coefficients = new Matrix(termCount, 3);
  let iterations = 0;
  let status: SindyResult['status'] = 'identified';
  const emptyEquations: string[] = [];
  for (let equation = 0; equation < 3; equation++) {
    const target = derivatives.column(equation);
    const fit = sequentiallyThresholdedLeastSquares(theta, target, { threshold, ridge, maxIterations });
    iterations = Math.max(iterations, fit.iterations);
    if (fit.active.length === 0) {
      emptyEquations.push(`d${VARIABLES[equation]}/dt (largest |coefficient| ${fit.largestMagnitude.toPrecision(4)})`);
      continue;
    }
    if (!fit.converged) status = 'max-iterations';
    fit.active.forEach((term, index) => coefficients.set(term, equation, fit.coefficients[index]));
  }

  const trueCoefficients = lorenzCoefficients(library, parameters);
  const checks = compareCoefficients(library, coefficients, trueCoefficients);
  const trueChecks = checks.filter((check) => check.kind === 'true-term');
  const missedTerms = checks.filter((check) => check.kind === 'missed').length;
  const spuriousTerms = checks.filter((check) => check.kind === 'spurious').length;
  const maxRelativeError = missedTerms > 0 ? Infinity : Math.max(0, ...trueChecks.map((check) => check.relativeError));
  const equations = VARIABLES.map((variable, column) => equationOf(variable, library, coefficients, column));
  const relativeResidual = residualNorm(theta, coefficients, derivatives);
  const trajectory = compareTrajectories(library, coefficients, truthRhs, initial, dt);

  let message: string;
  if (emptyEquations.length > 0) {
    status = 'all-terms-removed';
    message = `threshold ${threshold} removes every term of ${emptyEquations.join(' and ')}: no model identified. ` +
      `Use a threshold below the largest coefficient magnitude.`;
  } else {
    message = `identified ${equations.map((equation) => equation.text).join('; ')}. ` +
      `Against the true Lorenz-63 coefficients: max relative error ${(100 * maxRelativeError).toPrecision(3)}%, ` +
      `${spuriousTerms} spurious and ${missedTerms} missed term(s)` +
      (status === 'max-iterations' ? `; the kept set still changed after ${maxIterations} rounds.` : '.');
  }
  return {
    lab: 'sindy', parameters,
    options: { dt, duration, degree, threshold, ridge, noise, seed, maxIterations, initial },
    library: library.names, variables: VARIABLES, coefficients, trueCoefficients, equations, checks,
    maxRelativeError, spuriousTerms, missedTerms, iterations, samples: interior.rows, relativeResidual,
    trajectory, status, message,
  };
}

/** Add N(0, (noise·std_v)²) to every column v of `states` in place. */
function addRelativeNoise(states: Matrix, noise: number, random: Random): void {
  const { rows, cols, data } = states;
  const { std } = columnMeanAndStd(states, 0);
  for (let v = 0; v < cols; v++) {
    for (let i = 0; i < rows; i++) data[i * cols + v] += random.normal(0, noise * std[v]);
  }
}

/**
 * Second-order central differences u̇(t_i) ≈ (u_{i+1} − u_{i−1}) / 2Δt at the interior samples
 * (truncation error Δt²/6·u‴). Returns the interior states and the derivative estimates.
 */
export function centralDifferences(states: Matrix, dt: number): { interior: Matrix; derivatives: Matrix } {
  const { rows, cols, data } = states;
  if (rows < 3) throw new InvalidArgumentError(`central differences need at least 3 samples, got ${rows}`);
  const interior = new Matrix(rows - 2, cols, data.slice(cols, (rows - 1) * cols));
  const derivatives = new Matrix(rows - 2, cols);
  const scale = 1 / (2 * dt);
  for (let i = 1; i < rows - 1; i++) {
    for (let v = 0; v < cols; v++) derivatives.data[(i - 1) * cols + v] = (data[(i + 1) * cols + v] - data[(i - 1) * cols + v]) * scale;
  }
  return { interior, derivatives };
}

export interface StlsqResult {
  /** Library columns kept (ascending). */
  active: number[];
  /** Coefficients of the kept columns, from the final unregularized refit. */
  coefficients: Float64Array;
  iterations: number;
  /** True when the kept set stopped changing within maxIterations. */
  converged: boolean;
  /** max |c| of the last solve before everything was dropped (for the error message). */
  largestMagnitude: number;
}

/** STLSQ for one equation: ridge-regularized LS, hard threshold, repeat; final plain LS refit. */
export function sequentiallyThresholdedLeastSquares(
  theta: Matrix, target: Float64Array, options: { threshold: number; ridge: number; maxIterations: number },
): StlsqResult {
  let active = Array.from({ length: theta.cols }, (_, k) => k);
  let coefficients = solveOnColumns(theta, target, active, options.ridge);
  let iterations = 1;
  let converged = false;
  let largestMagnitude = 0;
  while (iterations <= options.maxIterations) {
    largestMagnitude = Math.max(...Array.from(coefficients, Math.abs));
    const kept = active.filter((_, index) => Math.abs(coefficients[index]) >= options.threshold);
    if (kept.length === active.length) { converged = true; break; }
    active = kept;
    if (active.length === 0) return { active, coefficients: new Float64Array(0), iterations, converged: true, largestMagnitude };
    coefficients = solveOnColumns(theta, target, active, options.ridge);
    iterations++;
  }
  if (options.ridge > 0) coefficients = solveOnColumns(theta, target, active, 0);
  return { active, coefficients, iterations, converged, largestMagnitude };
}

/**
 * argmin ‖Θ_S c − b‖² + α‖c‖² over the columns S, as the least-squares problem of the stacked
 * matrix [Θ_S; √α I] and right side [b; 0] (so α = 0 is plain least squares).
 */
function solveOnColumns(theta: Matrix, target: Float64Array, columns: number[], ridge: number): Float64Array {
  const rows = theta.rows;
  const width = columns.length;
  const extra = ridge > 0 ? width : 0;
  const system = new Matrix(rows + extra, width);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < width; j++) system.data[i * width + j] = theta.data[i * theta.cols + columns[j]];
  }
  const rhs = new Float64Array(rows + extra);
  rhs.set(target);
  const root = Math.sqrt(ridge);
  for (let j = 0; j < extra; j++) system.data[(rows + j) * width + j] = root;
  return Float64Array.from(lstsq(system, rhs, { rtol: SOLVE_RTOL }).x);
}

/** The Lorenz-63 right-hand side written in the library's coordinates. */
function lorenzCoefficients(library: PolynomialLibrary, parameters: Lorenz63Parameters): Matrix {
  const { sigma, rho, beta } = parameters;
  const truth = new Matrix(library.names.length, 3);
  const put = (term: string, column: number, value: number) => {
    const row = library.names.indexOf(term);
    if (row >= 0) truth.set(row, column, value);
  };
  put('x', 0, -sigma); put('y', 0, sigma);
  put('x', 1, rho); put('y', 1, -1); put('x z', 1, -1);
  put('x y', 2, 1); put('z', 2, -beta);
  return truth;
}

function compareCoefficients(library: PolynomialLibrary, identified: Matrix, truth: Matrix): SindyCoefficientCheck[] {
  const checks: SindyCoefficientCheck[] = [];
  for (let column = 0; column < 3; column++) {
    for (let row = 0; row < library.names.length; row++) {
      const found = identified.get(row, column), expected = truth.get(row, column);
      if (found === 0 && expected === 0) continue;
      const kind = expected === 0 ? 'spurious' : found === 0 ? 'missed' : 'true-term';
      checks.push({
        variable: VARIABLES[column], term: library.names[row], identified: found, truth: expected,
        relativeError: kind === 'true-term' ? Math.abs(found - expected) / Math.abs(expected) : NaN, kind,
      });
    }
  }
  return checks;
}

function equationOf(variable: string, library: PolynomialLibrary, coefficients: Matrix, column: number): SindyEquation {
  const terms = library.names.map((name, row) => ({ name, coefficient: coefficients.get(row, column) })).filter((term) => term.coefficient !== 0);
  const body = terms.map((term, index) => {
    const magnitude = Math.abs(term.coefficient).toFixed(4);
    const sign = term.coefficient < 0 ? (index === 0 ? '−' : ' − ') : index === 0 ? '' : ' + ';
    return `${sign}${magnitude}${term.name === '1' ? '' : ` ${term.name}`}`;
  }).join('');
  return { variable, text: `d${variable}/dt = ${body || '0'}`, terms };
}

function residualNorm(theta: Matrix, coefficients: Matrix, derivatives: Matrix): number {
  const { rows, cols: terms } = theta;
  let residualSquares = 0, targetSquares = 0;
  for (let i = 0; i < rows; i++) {
    for (let v = 0; v < 3; v++) {
      let predicted = 0;
      for (let k = 0; k < terms; k++) predicted += theta.data[i * terms + k] * coefficients.data[k * 3 + v];
      const target = derivatives.data[i * 3 + v];
      residualSquares += (predicted - target) ** 2;
      targetSquares += target * target;
    }
  }
  return Math.sqrt(residualSquares / targetSquares);
}

/** The identified model as a vector field u̇ = Ξᵀ Θ(u). */
export function identifiedField(library: PolynomialLibrary, coefficients: Matrix): StateFunction {
  const terms = new Float64Array(library.names.length);
  const variables = coefficients.cols;
  return (state, out) => {
    evaluateLibraryRow(library, state, terms);
    for (let v = 0; v < variables; v++) {
      let sum = 0;
      for (let k = 0; k < terms.length; k++) sum += terms[k] * coefficients.data[k * variables + v];
      out[v] = sum;
    }
  };
}

function compareTrajectories(library: PolynomialLibrary, coefficients: Matrix, truthRhs: StateFunction, initial: number[], dt: number) {
  const steps = Math.max(1, Math.round(COMPARISON_DURATION / dt));
  const recordEvery = Math.max(1, Math.round(COMPARISON_PLOT_STEP / dt));
  const truth = integrate(truthRhs, initial, { dt, steps, method: 'rk4', recordEvery });
  const identified = integrate(identifiedField(library, coefficients), initial, { dt, steps, method: 'rk4', recordEvery });
  const time = Array.from({ length: truth.rows }, (_, k) => k * recordEvery * dt);
  const finite = (value: number) => (Number.isFinite(value) ? value : NaN);
  return {
    time,
    truth: [0, 1, 2].map((v) => Array.from(truth.column(v))),
    identified: [0, 1, 2].map((v) => Array.from(identified.column(v), finite)),
  };
}
