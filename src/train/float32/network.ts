// The Float32 training network: TrainingNetwork (../network.ts) on the float32 WebAssembly SIMD
// backend of the dense-network kernel (model/dense-backend-float32.ts): same API, parameter layout
// and float64 master weights; the dense products run in float32. Bitwise reproducible.
import { TrainingNetwork, type NetworkArchitecture } from '../network.ts';

export class Float32TrainingNetwork extends TrainingNetwork {
  declare readonly precision: 'float32';

  constructor(architecture: NetworkArchitecture, maxBatch: number) {
    super(architecture, maxBatch, 'float32');
  }
}
