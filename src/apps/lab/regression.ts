// The `regression` lab: feature least squares y ≈ Aθ through the pseudo-inverse, in the two regimes
// of the course notes. Tall (n ≫ p): θ* = A⁺y = (AᵀA)⁻¹Aᵀy is the least-squares solution (residual
// orthogonal to the columns). Wide (p ≫ n): infinitely many θ fit the data exactly and A⁺y is the
// one of smallest ‖θ‖₂ — shown by comparing it with two other exact solutions (a square solve on the
// first n features, and A⁺y plus a null-space vector, whose norm obeys Pythagoras).
import { InvalidArgumentError, checkChoice, checkInteger, checkNonNegative } from '../../core/index.ts';
import { inverse, lstsq, type LstsqKind, pinv, Matrix, multiply, multiplyVector, norm2, Random } from '../../linalg/index.ts';
import { requireMemory } from './options.ts';

export type FeatureBasis = 'monomial' | 'chebyshev' | 'cosine';
export const FEATURE_BASES: readonly FeatureBasis[] = ['monomial', 'chebyshev', 'cosine'];

export interface RegressionOptions {
  /** Tall case: samples n and features p, n > p (default 50 and 4). */
  samples?: number;
  features?: number;
  /** Wide case: samples n and features p, p > n (default 8 and 20). */
  wideSamples?: number;
  wideFeatures?: number;
  /** Feature functions of x ∈ [−1, 1] (default 'monomial': 1, x, x², …). */
  basis?: FeatureBasis;
  /** Standard deviation of the Gaussian noise on y (default 0.1). */
  noise?: number;
  seed?: number;
}

/** The data-generating function y = 1 − 2x + 0.5x³ (exactly representable by monomials of degree ≥ 3). */
export const REGRESSION_TRUTH = { text: 'y = 1 − 2x + 0.5x³', monomialCoefficients: [1, -2, 0, 0.5], evaluate: (x: number) => 1 - 2 * x + 0.5 * x ** 3 };

export interface RegressionCase {
  samples: number;
  features: number;
  /** θ* = A⁺y from lstsq. */
  theta: number[];
  kind: LstsqKind;
  rank: number;
  residualNorm: number;
  thetaNorm: number;
  /** ‖θ_lstsq − pinv(A)·y‖ / ‖θ_lstsq‖: the two core routes agree. */
  pinvAgreement: number;
  x: number[];
  y: number[];
}

export interface TallCase extends RegressionCase {
  /** Normal-equation solution (AᵀA)⁻¹Aᵀy of the notes, and its relative distance to θ*. */
  normalEquationTheta: number[];
  normalEquationDistance: number;
  /** ‖Aᵀr‖ / (‖A‖_F ‖r‖): zero at the least-squares optimum (residual ⟂ columns). */
  orthogonality: number;
}

export interface WideCase extends RegressionCase {
  /** Another exact solution: solve the square system of the first n features, other θ entries 0. */
  squareSolveTheta: number[];
  squareSolveNorm: number;
  squareSolveResidualNorm: number;
  /** θ* + v with v a null-space vector of A: also exact, with ‖θ*+v‖² = ‖θ*‖² + ‖v‖². */
  nullShiftedNorm: number;
  nullShiftedResidualNorm: number;
  nullVectorNorm: number;
  /** |θ*·v| / (‖θ*‖‖v‖): zero because A⁺y lies in the row space of A. */
  nullSpaceCosine: number;
}

export interface RegressionResult {
  lab: 'regression';
  basis: FeatureBasis;
  noise: number;
  truth: string;
  tall: TallCase;
  wide: WideCase;
  /** Fitted curves on a fine grid for the plots. */
  curves: { x: number[]; truth: number[]; tallFit: number[]; wideMinimumNorm: number[]; wideSquareSolve: number[] };
  status: 'ok' | 'theory-violated';
  message: string;
}

const LAB = 'lab regression';
/** Points of the plotting grid on [−1, 1]. */
const CURVE_POINTS = 201;
/** Relative agreement below which the theory checks count as satisfied (well above round-off). */
export const THEORY_TOLERANCE = 1e-8;
/** Relative distance allowed between A⁺y and the normal-equation solution (AᵀA)⁻¹Aᵀy, which squares cond(A). */
export const NORMAL_EQUATION_TOLERANCE = 1e-6;

/** Feature matrix (n×p) of the points xs in the chosen basis. */
export function featureMatrix(xs: ArrayLike<number>, features: number, basis: FeatureBasis): Matrix {
  const out = new Matrix(xs.length, features);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const row = i * features;
    for (let j = 0; j < features; j++) {
      let value: number;
      if (basis === 'monomial') value = j === 0 ? 1 : out.data[row + j - 1] * x;
      else if (basis === 'chebyshev') value = j === 0 ? 1 : j === 1 ? x : 2 * x * out.data[row + j - 1] - out.data[row + j - 2];
      else value = Math.cos((j * Math.PI * (x + 1)) / 2);
      out.data[row + j] = value;
    }
  }
  return out;
}

export function runRegression(options: RegressionOptions = {}): RegressionResult {
  const samples = checkInteger(options.samples ?? 50, `${LAB}: samples (n, tall case)`, 2);
  const features = checkInteger(options.features ?? 4, `${LAB}: features (p, tall case)`, 1, samples - 1);
  const wideSamples = checkInteger(options.wideSamples ?? 8, `${LAB}: wideSamples (n, wide case)`, 1);
  const wideFeatures = checkInteger(options.wideFeatures ?? 20, `${LAB}: wideFeatures (p, wide case)`, wideSamples + 1);
  requireMemory(samples * (features + 2), `samples × features = ${samples} × ${features}`, LAB);
  requireMemory(wideSamples * (wideFeatures + 2), `wideSamples × wideFeatures = ${wideSamples} × ${wideFeatures}`, LAB);
  const basis = checkChoice(options.basis ?? 'monomial', `${LAB}: basis`, FEATURE_BASES);
  const noise = checkNonNegative(options.noise ?? 0.1, `${LAB}: noise`);
  const random = new Random(options.seed ?? 0);

  const tallData = sampleData(samples, noise, random);
  const wideData = sampleData(wideSamples, noise, random);
  const tall = tallCase(tallData, features, basis);
  const wide = wideCase(wideData, wideFeatures, basis, random);

  const grid = Array.from({ length: CURVE_POINTS }, (_, k) => -1 + (2 * k) / (CURVE_POINTS - 1));
  const evaluate = (theta: number[]) => Array.from(multiplyVector(featureMatrix(grid, theta.length, basis), theta));
  const curves = {
    x: grid, truth: grid.map(REGRESSION_TRUTH.evaluate),
    tallFit: evaluate(tall.theta), wideMinimumNorm: evaluate(wide.theta), wideSquareSolve: evaluate(wide.squareSolveTheta),
  };

  const checks = [
    tall.kind === 'least-squares', tall.orthogonality < THEORY_TOLERANCE, tall.normalEquationDistance < NORMAL_EQUATION_TOLERANCE,
    wide.kind === 'minimum-norm', wide.thetaNorm < wide.squareSolveNorm, wide.thetaNorm < wide.nullShiftedNorm,
    wide.nullSpaceCosine < THEORY_TOLERANCE,
  ];
  const ok = checks.every(Boolean);
  const message =
    `tall (n = ${samples}, p = ${features}): A⁺y is the ${tall.kind} solution, residual ‖r‖ = ${tall.residualNorm.toPrecision(4)}, ` +
    `Aᵀr ≈ 0 (${tall.orthogonality.toExponential(1)}), equal to (AᵀA)⁻¹Aᵀy within ${tall.normalEquationDistance.toExponential(1)}. ` +
    `wide (n = ${wideSamples}, p = ${wideFeatures}): A⁺y fits exactly (‖r‖ = ${wide.residualNorm.toExponential(1)}) with the ${wide.kind} ‖θ‖ = ${wide.thetaNorm.toPrecision(4)}, ` +
    `smaller than the square solve on the first ${wideSamples} features (‖θ‖ = ${wide.squareSolveNorm.toPrecision(4)}) and than A⁺y + null vector (‖θ‖ = ${wide.nullShiftedNorm.toPrecision(4)}).` +
    (ok ? '' : ' Some theory check failed; see the table.');
  return { lab: 'regression', basis, noise, truth: REGRESSION_TRUTH.text, tall, wide, curves, status: ok ? 'ok' : 'theory-violated', message };
}

function sampleData(count: number, noise: number, random: Random): { x: number[]; y: number[] } {
  const x = Array.from({ length: count }, () => random.between(-1, 1)).sort((a, b) => a - b);
  const y = x.map((value) => REGRESSION_TRUTH.evaluate(value) + (noise > 0 ? random.normal(0, noise) : 0));
  return { x, y };
}

function baseCase(data: { x: number[]; y: number[] }, features: number, basis: FeatureBasis) {
  const A = featureMatrix(data.x, features, basis);
  const y = Float64Array.from(data.y);
  const solution = lstsq(A, y);
  const theta = Float64Array.from(solution.x);
  const viaPinv = multiplyVector(pinv(A), y);
  const difference = theta.map((value, j) => value - viaPinv[j]);
  const common: RegressionCase = {
    samples: data.x.length, features, theta: Array.from(theta), kind: solution.kind, rank: solution.rank,
    residualNorm: solution.residualNorm, thetaNorm: norm2(theta),
    pinvAgreement: norm2(difference) / Math.max(norm2(theta), Number.MIN_VALUE), x: data.x, y: data.y,
  };
  return { A, y, theta, common };
}

function tallCase(data: { x: number[]; y: number[] }, features: number, basis: FeatureBasis): TallCase {
  const { A, y, theta, common } = baseCase(data, features, basis);
  const At = A.transpose();
  const normal = multiplyVector(multiply(inverse(multiply(At, A)), At), y);
  const residual = multiplyVector(A, theta).map((value, i) => value - y[i]);
  const orthogonality = norm2(multiplyVector(At, residual)) / (norm2(A.data) * Math.max(norm2(residual), Number.MIN_VALUE));
  return {
    ...common, normalEquationTheta: Array.from(normal),
    normalEquationDistance: norm2(normal.map((value, j) => value - theta[j])) / norm2(theta),
    orthogonality,
  };
}

function wideCase(data: { x: number[]; y: number[] }, features: number, basis: FeatureBasis, random: Random): WideCase {
  const { A, y, theta, common } = baseCase(data, features, basis);
  const n = A.rows;
  if (common.rank < n) {
    throw new InvalidArgumentError(`${LAB}: the wide ${n}×${features} feature matrix has rank ${common.rank} < n = ${n} (repeated sample points?); use another seed or fewer samples`);
  }
  // Square solve on the first n features.
  const square = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) square.data[i * n + j] = A.data[i * features + j];
  const squareTheta = new Float64Array(features);
  squareTheta.set(multiplyVector(inverse(square), y));
  // A null-space vector: project a random vector onto null(A), v = z − A⁺(Az).
  const z = Float64Array.from({ length: features }, () => random.normal());
  const projection = multiplyVector(pinv(A), multiplyVector(A, z));
  const nullVector = z.map((value, j) => value - projection[j]);
  const scaled = nullVector.map((value) => (value * norm2(theta)) / norm2(nullVector));
  const shifted = theta.map((value, j) => value + scaled[j]);
  const residualOf = (candidate: Float64Array) => norm2(multiplyVector(A, candidate).map((value, i) => value - y[i]));
  let dot = 0;
  for (let j = 0; j < features; j++) dot += theta[j] * scaled[j];
  return {
    ...common,
    squareSolveTheta: Array.from(squareTheta), squareSolveNorm: norm2(squareTheta), squareSolveResidualNorm: residualOf(squareTheta),
    nullShiftedNorm: norm2(shifted), nullShiftedResidualNorm: residualOf(shifted), nullVectorNorm: norm2(scaled),
    nullSpaceCosine: Math.abs(dot) / (norm2(theta) * norm2(scaled)),
  };
}
