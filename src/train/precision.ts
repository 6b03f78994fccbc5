// Choosing the training network's arithmetic: 'float32' runs the dense products as WebAssembly SIMD
// kernels on float32 copies of the weights (float64 master weights and Adam), 'float64' is plain
// TypeScript throughout. Both are bitwise reproducible for a given seed; they differ from each
// other by rounding. Jacobians, solvers and analysis always use Float64 (MlpModel on the exported
// float64 master weights), whichever was used to train.
import { Float32TrainingNetwork } from './float32/network.ts';
import { float32KernelsAvailable } from '../linalg/index.ts';
import { type NetworkArchitecture, type TrainableNetwork, TrainingNetwork } from './network.ts';

export type TrainingPrecision = 'float32' | 'float64';
export const TRAINING_PRECISIONS: readonly TrainingPrecision[] = ['float32', 'float64'];

/** float32 (SIMD) where the WebAssembly SIMD kernels run (see float32KernelsAvailable), float64 otherwise. */
export function defaultPrecision(): TrainingPrecision {
  return float32KernelsAvailable() ? 'float32' : 'float64';
}

/**
 * The network for `precision`. 'float32' where WebAssembly SIMD cannot be used (no SIMD, refused by a
 * Content-Security-Policy, INVERSA_KERNELS=js) gives the float64 network instead: the same training
 * without the float32 rounding; its `precision` says which one ran.
 */
export function createTrainingNetwork(architecture: NetworkArchitecture, maxBatch: number, precision: TrainingPrecision): TrainableNetwork {
  return precision === 'float32' && float32KernelsAvailable() ? new Float32TrainingNetwork(architecture, maxBatch) : new TrainingNetwork(architecture, maxBatch);
}

/** A float64, dropout-free copy of `network` (same parameters): used to score what is exported. */
export function float64Copy(network: TrainableNetwork, maxBatch = network.maxBatch): TrainingNetwork {
  const copy = new TrainingNetwork({ ...network.architecture, dropout: 0 }, maxBatch);
  copy.parameters.set(network.parameters);
  return copy;
}
