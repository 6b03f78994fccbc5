// Per-output regression scores on held-out data: R² (1 − SS_res/SS_tot, as scikit-learn's
// r2_score), RMSE and MAE in the output's own units.
import { ShapeError, shapeText } from '../core/index.ts';
import type { Matrix } from '../linalg/index.ts';

export interface OutputScore {
  name: string;
  r2: number;
  rmse: number;
  mae: number;
}

/** Scores of `predicted` against `truth` (both rows×outputs), one per column. */
export function regressionScores(truth: Matrix, predicted: Matrix, names: readonly string[]): OutputScore[] {
  if (truth.rows !== predicted.rows || truth.cols !== predicted.cols) {
    throw new ShapeError(`regression scores need equal shapes, got truth ${shapeText(truth.rows, truth.cols)} and predictions ${shapeText(predicted.rows, predicted.cols)}`);
  }
  const { rows, cols } = truth;
  const scores: OutputScore[] = [];
  for (let j = 0; j < cols; j++) {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += truth.data[i * cols + j];
    mean /= rows;
    let residualSquares = 0, totalSquares = 0, absolute = 0;
    for (let i = 0; i < rows; i++) {
      const t = truth.data[i * cols + j];
      const d = predicted.data[i * cols + j] - t;
      residualSquares += d * d;
      totalSquares += (t - mean) * (t - mean);
      absolute += Math.abs(d);
    }
    // scikit-learn: a constant truth column scores 1 if predicted exactly, else 0.
    const r2 = totalSquares > 0 ? 1 - residualSquares / totalSquares : residualSquares === 0 ? 1 : 0;
    scores.push({ name: names[j] ?? `#${j + 1}`, r2, rmse: Math.sqrt(residualSquares / rows), mae: absolute / rows });
  }
  return scores;
}

/** Mean of the per-output R² values. */
export function meanR2(scores: readonly OutputScore[]): number {
  return scores.reduce((sum, score) => sum + score.r2, 0) / scores.length;
}

/** Root mean square over rows of the Euclidean norm of (predicted − truth) per row, e.g. ‖F(I(y)) − y‖. */
export function rootMeanRowNorm(truth: Matrix, predicted: Matrix): number {
  let sum = 0;
  for (let k = 0; k < truth.data.length; k++) {
    const d = predicted.data[k] - truth.data[k];
    sum += d * d;
  }
  return Math.sqrt(sum / truth.rows);
}
