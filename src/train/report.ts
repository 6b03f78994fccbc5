// The JSON training report written next to the models: what was trained on what (data hash, split,
// standardization, PCA), with which settings and seed, the loss curves of every epoch, and the test
// scores (forward per-output R²/RMSE/MAE; inverse x-space scores and re-simulation error).
import type { EpochRecord } from './loop.ts';
import type { TrainingRun } from './pipeline.ts';

export const TRAINING_REPORT_KIND = 'inversa-training-report';
export const TRAINING_REPORT_VERSION = 1;

/** Loss curves as columns (one array per field), the shape plotting code wants. */
export function lossCurves(history: readonly EpochRecord[]): Record<string, number[]> {
  const curves: Record<string, number[]> = {};
  for (const record of history) {
    for (const [key, value] of Object.entries(record)) (curves[key] ??= []).push(value);
  }
  return curves;
}

/** A plain JSON-ready object describing `run`; `files` names the artifacts written with it. */
export function trainingReport(run: TrainingRun, files: Record<string, string> = {}): Record<string, unknown> {
  const { data, forward, inverse } = run;
  const table = data.table;
  const forwardWorst = Math.min(...forward.test.map((score) => score.r2));
  const message = [
    `forward net: test R² ${forward.test.map((score) => `${score.name} ${score.r2.toFixed(4)}`).join(', ')}`,
    ...(inverse ? [`inverse net (α ${inverse.alpha}): re-simulation error ‖F(I(y)) − y‖ ${inverse.test.resimulationError.toPrecision(4)} (standardized units, test RMS)`] : []),
  ].join('; ');
  return {
    kind: TRAINING_REPORT_KIND,
    version: TRAINING_REPORT_VERSION,
    status: forwardWorst >= 0.9 ? 'ok' : 'warning',
    message: forwardWorst >= 0.9 ? message : `${message}; some forward R² below 0.9: more data, epochs or width may be needed`,
    seed: run.seed,
    durationMs: Math.round(run.durationMs),
    files,
    data: {
      source: table.source ?? 'table',
      hash: run.dataHash,
      rows: table.x.rows,
      split: { train: data.split.train.length, validation: data.split.validation.length, test: data.split.test.length, seed: data.split.seed },
      inputNames: table.inputNames,
      outputNames: table.outputNames,
      ...(table.inputUnits ? { inputUnits: table.inputUnits } : {}),
      ...(table.outputUnits ? { outputUnits: table.outputUnits } : {}),
      inputScaling: { mean: Array.from(data.inputScaling.mean), std: Array.from(data.inputScaling.std) },
      outputScaling: { mean: Array.from(data.outputScaling.mean), std: Array.from(data.outputScaling.std) },
      bounds: forward.spec.meta?.bounds ? { lower: Array.from(forward.spec.meta.bounds.lower), upper: Array.from(forward.spec.meta.bounds.upper) } : null,
      pca: data.projection
        ? { components: data.projection.outputs, keptVarianceRatio: data.projection.keptVarianceRatio, explainedVarianceRatio: data.projection.explainedVarianceRatio }
        : null,
    },
    forward: {
      options: forward.options,
      bestEpoch: forward.loop.bestEpoch,
      epochsRun: forward.loop.epochsRun,
      stoppedEarly: forward.loop.stoppedEarly,
      durationMs: Math.round(forward.loop.durationMs),
      test: { loss: forward.testLoss, scores: forward.test },
      curves: lossCurves(forward.loop.history),
    },
    inverse: inverse
      ? {
          options: inverse.options,
          alpha: inverse.alpha,
          alphaSchedule: inverse.alphaSchedule,
          loss: '(1 − α)·MSE(I(y), x) + α·MSE(F(I(y)), y), standardized units, F frozen',
          bestEpoch: inverse.loop.bestEpoch,
          epochsRun: inverse.loop.epochsRun,
          stoppedEarly: inverse.loop.stoppedEarly,
          durationMs: Math.round(inverse.loop.durationMs),
          test: inverse.test,
          curves: lossCurves(inverse.loop.history),
          note: 'the inverse is not unique: judge it by re-simulation F(I(y)) ≈ y (resimulation, resimulationError), not by x-space R²',
        }
      : null,
  };
}
