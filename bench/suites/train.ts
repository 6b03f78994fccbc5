// Training throughput of the reference forward-net shape (7→64→64→4 MLP, ReLU) at batch 64 with
// Adam: forward, MSE gradient, backward and one Adam step per mini-batch, in samples per second,
// for both training precisions: 'float32' (WebAssembly SIMD kernels, float64 master weights and
// Adam) and 'float64' (plain TypeScript). Peer: PyTorch on one CPU thread in float32, about
// 317,000 samples/s on this machine (figure from the issue; PyTorch is not installed here, so it
// is not re-measured in the same run).
import { Random } from '../../src/linalg/random.ts';
import { Adam } from '../../src/train/adam.ts';
import { createTrainingNetwork, type TrainingPrecision } from '../../src/train/engine.ts';
import { meanSquaredErrorGradient } from '../../src/train/loss.ts';
import { timeMedian, type BenchLine } from '../types.ts';

const PYTORCH_SAMPLES_PER_SECOND = 317_000;
const BATCH = 64;
const ROWS = 4096;
const INPUTS = 7, OUTPUTS = 4;
const REPEAT = 15, WARMUP = 3;

/** Median samples/s of one epoch (ROWS rows in mini-batches of BATCH) at `precision`. */
function measure(precision: TrainingPrecision): { samplesPerSecond: number; finalLoss: number } {
  const random = new Random(42);
  const network = createTrainingNetwork({ kind: 'mlp', inputs: INPUTS, hidden: [64, 64], outputs: OUTPUTS, activation: 'relu' }, BATCH, precision);
  network.initialize(random);
  const adam = new Adam(network.parameters.length);
  const x = Float64Array.from({ length: ROWS * INPUTS }, () => random.normal());
  const y = Float64Array.from({ length: ROWS * OUTPUTS }, () => random.normal());
  const gradient = new Float64Array(BATCH * OUTPUTS);
  let finalLoss = 0;
  const epoch = () => {
    for (let start = 0; start + BATCH <= ROWS; start += BATCH) {
      const out = network.forward(x.subarray(start * INPUTS, (start + BATCH) * INPUTS), BATCH, true);
      finalLoss = meanSquaredErrorGradient(out, y.subarray(start * OUTPUTS, (start + BATCH) * OUTPUTS), BATCH * OUTPUTS, gradient);
      network.backward(gradient);
      adam.step(network.parameters, network.gradients);
    }
  };
  const medianMs = timeMedian(epoch, REPEAT, WARMUP);
  return { samplesPerSecond: Math.round((ROWS / medianMs) * 1000), finalLoss };
}

export async function run(emit: (line: BenchLine) => void): Promise<void> {
  // Interleave the two precisions so a change in machine load hits both alike.
  const float64 = measure('float64');
  const float32 = measure('float32');
  for (const [precision, result] of [['float32', float32], ['float64', float64]] as const) {
    emit({
      name: `train-throughput-7x64x64x4-batch64-${precision}`,
      value: result.samplesPerSecond,
      unit: 'samples/s',
      peer: 'PyTorch, 1 CPU thread, float32 (317,000 samples/s per the issue; not re-measured: PyTorch is not installed)',
      peerValue: PYTORCH_SAMPLES_PER_SECOND,
      ratio: Math.round((result.samplesPerSecond / PYTORCH_SAMPLES_PER_SECOND) * 1000) / 1000,
      ratioMeaning: 'our samples/s ÷ peer samples/s (> 1 means inversa is faster)',
      target: '≥ 1',
      precision,
      ...(precision === 'float32' ? { speedupOverFloat64: Math.round((float32.samplesPerSecond / float64.samplesPerSecond) * 100) / 100 } : {}),
      lossAfterLastEpoch: result.finalLoss,
    });
  }
}
