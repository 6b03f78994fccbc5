// Training throughput of the reference forward-net shape (7→64→64→4 MLP, ReLU) at batch 64 with
// Adam: forward, MSE gradient, backward and one Adam step per mini-batch, in samples per second,
// for both training precisions: 'float32' (WebAssembly SIMD kernels, float64 master weights and
// Adam) and 'float64' (plain TypeScript). Peer: PyTorch on one CPU thread in float32, the same
// network, batch and optimizer, measured in the same run by bench/peers/pytorch_peer.py, or, without
// PyTorch, the issue's published ≈ 317,000 samples/s (peerKind 'published'). Issue 5's target
// (ratio ≥ 1) is judged on the float32 line; the float64 line is informational.
import { Random } from '../../src/linalg/index.ts';
import { Adam, createTrainingNetwork, type TrainingPrecision, meanSquaredErrorGradient } from '../../src/train/index.ts';
import { compareToPytorch } from '../peers/compare.ts';
import { PYTORCH_PEER_KEYS } from '../peers/published.ts';
import { timeMedian, type BenchContext, type BenchLine } from '../types.ts';

/** Issue 5: at least PyTorch's throughput. */
const TARGET_VS_PYTORCH = 1;
const BATCH = 64;
const ROWS = 4096;
const INPUTS = 7, OUTPUTS = 4;
const REPEAT = 15, WARMUP = 3;
const QUICK_REPEAT = 5, QUICK_WARMUP = 1;

/** Median samples/s of one epoch (ROWS rows in mini-batches of BATCH) at `precision`. */
export function measure(precision: TrainingPrecision, repeat: number, warmup: number): { samplesPerSecond: number; finalLoss: number } {
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
  const medianMs = timeMedian(epoch, repeat, warmup);
  return { samplesPerSecond: Math.round((ROWS / medianMs) * 1000), finalLoss };
}

export async function run(emit: (line: BenchLine) => void, context: BenchContext): Promise<void> {
  const repeat = context.quick ? QUICK_REPEAT : REPEAT, warmup = context.quick ? QUICK_WARMUP : WARMUP;
  const float64 = measure('float64', repeat, warmup);
  const float32 = measure('float32', repeat, warmup);
  const peer = context.pytorch(PYTORCH_PEER_KEYS.train);
  for (const [precision, result] of [['float32', float32], ['float64', float64]] as const) {
    const target = precision === 'float32' ? { text: 'at least PyTorch\'s float32 throughput on one CPU thread (issue 5)', ratio: TARGET_VS_PYTORCH } : undefined;
    emit({
      name: `train-7x64x64x4-batch64-${precision}-vs-pytorch`,
      value: result.samplesPerSecond,
      unit: 'samples/s',
      ...compareToPytorch(result.samplesPerSecond, 'samples/s', peer, 'PyTorch float32 training (not available)', target),
      precision,
      ...(precision === 'float32' ? { speedupOverFloat64: Math.round((float32.samplesPerSecond / float64.samplesPerSecond) * 100) / 100 } : {}),
      lossAfterLastEpoch: result.finalLoss,
    });
  }
}
