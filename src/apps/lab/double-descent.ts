// The `double-descent` lab: random-features regression as in the course notes. Features
// cos(w_j x + b_j) with random frequencies w_j and phases b_j; the minimum-norm least-squares fit
// θ = A⁺y (linalg lstsq) for p features and n training samples. As p grows the test error first
// falls, then rises towards the interpolation threshold p = n (where A is square and nearly
// singular, so ‖θ‖ and the noise amplification σ²γ/(1−γ) blow up), then falls again for p ≫ n
// (the minimum-norm solution among many interpolants). Averaged over seeds.
import { InvalidArgumentError, checkInteger, checkNonNegative, checkPositive } from '../../core/index.ts';
import { lstsq, Matrix, norm2, Random, mean, median } from '../../linalg/index.ts';

export interface DoubleDescentOptions {
  /** Training samples n (default 20). */
  samples?: number;
  /** Feature counts p to try (default: 1..4n, denser near n). */
  features?: number[];
  /** Repetitions with independent data and features, averaged (default 20). */
  trials?: number;
  /** Standard deviation of the noise on training targets (default 0.1). */
  noise?: number;
  /** Standard deviation of the random frequencies w (default 0.8·n: kernel width comparable to the sample spacing 2/n). */
  frequencyScale?: number;
  /** Test points (default 200). */
  testSamples?: number;
  seed?: number;
}

export interface DoubleDescentRow {
  features: number;
  ratio: number;
  /** Mean and median test MSE over the trials. */
  meanTestError: number;
  medianTestError: number;
  meanTrainError: number;
  /** Mean ‖θ‖₂ of the minimum-norm fit. */
  meanThetaNorm: number;
}

export interface DoubleDescentResult {
  lab: 'double-descent';
  samples: number;
  trials: number;
  noise: number;
  truth: string;
  rows: DoubleDescentRow[];
  /** Feature count with the largest median test error after the first descent's minimum (the peak). */
  peakFeatures: number;
  peakRatio: number;
  /** Smallest median test error below and above the threshold. */
  bestUnderparameterized: DoubleDescentRow | null;
  bestOverparameterized: DoubleDescentRow | null;
  /** One trial's fits on the test grid at p = n/2, p = n and the largest p, for the plot. */
  example: { x: number[]; truth: number[]; trainX: number[]; trainY: number[]; fits: { features: number; y: number[] }[] };
  status: 'peak-at-threshold' | 'peak-elsewhere';
  message: string;
}

const LAB = 'lab double-descent';
/** The peak counts as "at the threshold" when its p/n is within this factor of 1. */
export const PEAK_RATIO_WINDOW = 0.2;
/** Default frequency scale per training sample (16 for n = 20). */
export const DEFAULT_FREQUENCY_PER_SAMPLE = 0.8;
/** Largest feature count accepted (keeps the lab fast). */
export const MAX_FEATURES = 2000;

/** The target function y = sin(2πx) + 0.5·cos(5x) on [−1, 1]. */
export const DOUBLE_DESCENT_TRUTH = {
  text: 'y = sin(2πx) + 0.5·cos(5x), x ∈ [−1, 1]',
  evaluate: (x: number) => Math.sin(2 * Math.PI * x) + 0.5 * Math.cos(5 * x),
};

/** Default p values: every integer up to 2n, then a coarser grid up to 4n. */
export function defaultFeatureCounts(samples: number): number[] {
  const counts = new Set<number>();
  for (let p = 1; p <= 2 * samples; p++) counts.add(p);
  for (let k = 1; k <= 8; k++) counts.add(Math.round(2 * samples + (k * 2 * samples) / 8));
  return [...counts].sort((a, b) => a - b);
}

/** Random cos features: column j of the result is cos(w_j x_i + b_j). */
export function randomCosFeatures(xs: ArrayLike<number>, frequencies: Float64Array, phases: Float64Array, count: number): Matrix {
  const out = new Matrix(xs.length, count);
  for (let i = 0; i < xs.length; i++) {
    for (let j = 0; j < count; j++) out.data[i * count + j] = Math.cos(frequencies[j] * xs[i] + phases[j]);
  }
  return out;
}

export function runDoubleDescent(options: DoubleDescentOptions = {}): DoubleDescentResult {
  const samples = checkInteger(options.samples ?? 20, `${LAB}: samples (n)`, 2, 500);
  const trials = checkInteger(options.trials ?? 20, `${LAB}: trials`, 1, 1000);
  const noise = checkNonNegative(options.noise ?? 0.1, `${LAB}: noise`);
  const frequencyScale = checkPositive(options.frequencyScale ?? DEFAULT_FREQUENCY_PER_SAMPLE * samples, `${LAB}: frequencyScale`);
  const testSamples = checkInteger(options.testSamples ?? 200, `${LAB}: testSamples`, 2, 100000);
  const featureCounts = [...new Set(options.features ?? defaultFeatureCounts(samples))].sort((a, b) => a - b);
  featureCounts.forEach((p, index) => checkInteger(p, `${LAB}: features[${index}] (p)`, 1, MAX_FEATURES));
  if (featureCounts.length < 3 || featureCounts[0] >= samples || featureCounts[featureCounts.length - 1] <= samples) {
    throw new InvalidArgumentError(`${LAB}: features must include at least 3 values with some p < n and some p > n (n = ${samples}), got [${featureCounts.join(', ')}]`);
  }
  const largest = featureCounts[featureCounts.length - 1];
  const random = new Random(options.seed ?? 0);
  const testX = Array.from({ length: testSamples }, (_, k) => -1 + (2 * k) / (testSamples - 1));
  const testY = testX.map(DOUBLE_DESCENT_TRUTH.evaluate);

  const testErrors = featureCounts.map(() => new Float64Array(trials));
  const trainErrors = featureCounts.map(() => new Float64Array(trials));
  const thetaNorms = featureCounts.map(() => new Float64Array(trials));
  const exampleCounts = [Math.max(1, Math.round(samples / 2)), samples, largest];
  let example: DoubleDescentResult['example'] | null = null;

  for (let trial = 0; trial < trials; trial++) {
    // Stratified design: one point per cell of width 2/n, jittered inside its middle half, so no two
    // training points nearly coincide (that alone would make kernel-like interpolants explode).
    const trainX = Array.from({ length: samples }, (_, i) => -1 + (2 * (i + random.between(0.25, 0.75))) / samples);
    const trainY = Float64Array.from(trainX, (x) => DOUBLE_DESCENT_TRUTH.evaluate(x) + (noise > 0 ? random.normal(0, noise) : 0));
    const frequencies = Float64Array.from({ length: largest }, () => random.normal(0, frequencyScale));
    const phases = Float64Array.from({ length: largest }, () => random.between(0, 2 * Math.PI));
    // Nested features: p features are the first p columns of the largest set, so curves vary smoothly in p.
    const trainAll = randomCosFeatures(trainX, frequencies, phases, largest);
    const testAll = randomCosFeatures(testX, frequencies, phases, largest);
    const fits: { features: number; y: number[] }[] = [];
    featureCounts.forEach((p, index) => {
      const A = firstColumns(trainAll, p);
      const fit = lstsq(A, trainY);
      const theta = fit.x;
      trainErrors[index][trial] = (fit.residualNorm ** 2) / samples;
      thetaNorms[index][trial] = norm2(theta);
      const predicted = predict(testAll, theta, p);
      let squared = 0;
      for (let i = 0; i < testSamples; i++) squared += (predicted[i] - testY[i]) ** 2;
      testErrors[index][trial] = squared / testSamples;
      if (trial === 0 && exampleCounts.includes(p)) fits.push({ features: p, y: Array.from(predicted) });
    });
    if (trial === 0) example = { x: testX, truth: testY, trainX, trainY: Array.from(trainY), fits };
  }

  const rows: DoubleDescentRow[] = featureCounts.map((p, index) => ({
    features: p, ratio: p / samples,
    meanTestError: mean(testErrors[index]), medianTestError: median(testErrors[index]),
    meanTrainError: mean(trainErrors[index]), meanThetaNorm: mean(thetaNorms[index]),
  }));
  const under = rows.filter((row) => row.features < samples);
  const over = rows.filter((row) => row.features > samples);
  const lowest = (list: DoubleDescentRow[]) => (list.length === 0 ? null : list.reduce((best, row) => (row.medianTestError < best.medianTestError ? row : best)));
  const bestUnderparameterized = lowest(under);
  const bestOverparameterized = lowest(over);
  // The second bump: the largest error after the bottom of the first descent (the underfitting
  // errors at very small p are the classical U-curve's left arm, not the double-descent peak).
  const afterFirstDescent = rows.filter((row) => row.features >= (bestUnderparameterized?.features ?? 0));
  const peak = afterFirstDescent.reduce((best, row) => (row.medianTestError > best.medianTestError ? row : best), afterFirstDescent[0]);
  const atThreshold = Math.abs(peak.ratio - 1) <= PEAK_RATIO_WINDOW;
  const message =
    `n = ${samples} samples, ${trials} trials, noise σ = ${noise}: the median test error peaks at p = ${peak.features} (p/n = ${peak.ratio.toFixed(2)}, ` +
    `MSE ${peak.medianTestError.toPrecision(3)}) ${atThreshold ? 'at the interpolation threshold p = n' : 'away from p = n'}; ` +
    `best below: p = ${bestUnderparameterized?.features} (${bestUnderparameterized?.medianTestError.toPrecision(3)}), ` +
    `best above: p = ${bestOverparameterized?.features} (${bestOverparameterized?.medianTestError.toPrecision(3)}).`;
  return {
    lab: 'double-descent', samples, trials, noise, truth: DOUBLE_DESCENT_TRUTH.text, rows, peakFeatures: peak.features, peakRatio: peak.ratio,
    bestUnderparameterized, bestOverparameterized, example: example!, status: atThreshold ? 'peak-at-threshold' : 'peak-elsewhere', message,
  };
}

function firstColumns(matrix: Matrix, count: number): Matrix {
  const out = new Matrix(matrix.rows, count);
  for (let i = 0; i < matrix.rows; i++) out.data.set(matrix.data.subarray(i * matrix.cols, i * matrix.cols + count), i * count);
  return out;
}

/** Rows of `features` (only its first `count` columns) times θ. */
function predict(features: Matrix, theta: ArrayLike<number>, count: number): Float64Array {
  const out = new Float64Array(features.rows);
  for (let i = 0; i < features.rows; i++) {
    let sum = 0;
    for (let j = 0; j < count; j++) sum += features.data[i * features.cols + j] * theta[j];
    out[i] = sum;
  }
  return out;
}
