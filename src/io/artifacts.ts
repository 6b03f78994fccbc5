// Writing a training run to disk: forward.onnx, inverse.onnx (when trained) and
// training-report.json in one directory, written only after training has finished into a fresh
// folder that replaces the old one (writeDirectoryAtomic): an interrupted run leaves the previous
// run's files complete and together, never a new forward.onnx beside an old inverse.onnx.
// The ONNX metadata carries names, units, bounds and standardization (written by the exporter from
// the spec) plus the seed, the data hash and the role of each net.
import path from 'node:path';
import { exportMlpToOnnx } from '../onnx/index.ts';
import { writeDirectoryAtomic } from './atomic.ts';
import { stringifyJson } from '../core/index.ts';
import type { MlpSpec } from '../model/index.ts';
import { type TrainingRun, trainingReport } from '../train/index.ts';

export const ARTIFACT_NAMES = { forward: 'forward.onnx', inverse: 'inverse.onnx', report: 'training-report.json' } as const;

export interface WrittenArtifacts {
  directory: string;
  forward: string;
  inverse?: string;
  report: string;
}

/** The extra 'inversa.*' metadata of one exported net. */
export function trainingMetadata(run: TrainingRun, role: 'forward' | 'inverse'): Record<string, string> {
  const net = role === 'forward' ? run.forward : run.inverse!;
  return {
    'inversa.role': role,
    'inversa.seed': String(run.seed),
    'inversa.data_hash': run.dataHash,
    'inversa.data_source': run.data.table.source ?? 'table',
    'inversa.training': JSON.stringify({
      arch: net.options.arch,
      hidden: net.options.hidden,
      activation: net.options.activation,
      epochs: net.loop.epochsRun,
      bestEpoch: net.loop.bestEpoch,
      batch: net.options.batchSize,
      lr: net.options.learningRate,
      precision: net.options.precision,
      ...(role === 'inverse' ? { alpha: run.inverse!.alpha, alphaSchedule: run.inverse!.alphaSchedule } : {}),
      ...(run.data.projection ? { pcaComponents: run.data.projection.outputs } : {}),
    }),
  };
}

/** ONNX bytes of one net of the run (float32 weights, like the reference deployment). */
export function exportNet(run: TrainingRun, role: 'forward' | 'inverse'): Uint8Array {
  const spec: MlpSpec = role === 'forward' ? run.forward.spec : run.inverse!.spec;
  return exportMlpToOnnx(spec, { metadata: trainingMetadata(run, role) });
}

/** Write the run's models and report into `directory` (created if needed). */
export function writeTrainingArtifacts(run: TrainingRun, directory: string): WrittenArtifacts {
  // Serialize everything first: an export error must not leave some files written and others not.
  const forwardBytes = exportNet(run, 'forward');
  const inverseBytes = run.inverse ? exportNet(run, 'inverse') : undefined;
  const files: Record<string, string> = { forward: ARTIFACT_NAMES.forward, ...(inverseBytes ? { inverse: ARTIFACT_NAMES.inverse } : {}) };
  const report = stringifyJson(trainingReport(run, files));
  const written: WrittenArtifacts = {
    directory,
    forward: path.join(directory, ARTIFACT_NAMES.forward),
    report: path.join(directory, ARTIFACT_NAMES.report),
    ...(inverseBytes ? { inverse: path.join(directory, ARTIFACT_NAMES.inverse) } : {}),
  };
  writeDirectoryAtomic(directory, {
    [ARTIFACT_NAMES.forward]: forwardBytes,
    ...(inverseBytes ? { [ARTIFACT_NAMES.inverse]: inverseBytes } : {}),
    [ARTIFACT_NAMES.report]: report,
  }, Object.values(ARTIFACT_NAMES));
  return written;
}
