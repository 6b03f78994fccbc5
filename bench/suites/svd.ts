// Batched spectrum of 10,000 random 4×7 matrices (the shape of a blast-furnace Jacobian, 4 outputs ×
// 7 inputs): singular values + numerical rank + condition number. inversa's one-sided Jacobi
// `spectrumBatch` against ml-matrix's SingularValueDecomposition on the same matrices in the same run.
// The ratio compares equal work: ml-matrix is told not to form U and V either. Issue 2's target:
// ≥ 4× faster than ml-matrix. The same times are also compared with PyTorch's torch.linalg.svdvals
// (and svd with vectors) measured by the PyTorch peer in this run (no target: informational).
// Two more lines time the SVD with U and V on both sides.
import { Matrix as PeerMatrix, SingularValueDecomposition } from 'ml-matrix';
import { MatrixBatch, Random, spectrumBatch, svdBatch } from '../../src/linalg/index.ts';
import { compareToPeer, compareToPytorch } from '../peers/compare.ts';
import { PYTORCH_PEER_KEYS } from '../peers/published.ts';
import { timeInterleaved, type BenchContext, type BenchLine } from '../types.ts';

const COUNT = 10_000;
const ROWS = 4;
const COLS = 7;
const SEED = 20240607;
/** Enough warm-up runs for both sides to reach optimised code. */
const REPEAT = 15;
const WARMUP = 5;
const QUICK_REPEAT = 5;
const QUICK_WARMUP = 2;
/** Issue 2: at least 4× faster than ml-matrix doing the same work in the same run. */
const TARGET_VS_ML_MATRIX = 4;
const NO_PYTORCH = 'PyTorch (not available here; the issues publish no SVD figure)';

interface PeerSpectrum {
  rank: Int32Array;
  cond: Float64Array;
  largest: Float64Array;
}

/** ml-matrix doing the same work: decomposition, rank (same max(m,n)·ε rule), condition number. */
function peerSpectrum(matrices: PeerMatrix[], vectors: boolean, out: PeerSpectrum): void {
  const options = { autoTranspose: true, computeLeftSingularVectors: vectors, computeRightSingularVectors: vectors };
  for (let k = 0; k < matrices.length; k++) {
    const decomposition = new SingularValueDecomposition(matrices[k], options);
    out.rank[k] = decomposition.rank;
    out.cond[k] = decomposition.condition;
    out.largest[k] = decomposition.norm2;
  }
}

export async function run(emit: (line: BenchLine) => void, context: BenchContext): Promise<void> {
  const random = new Random(SEED);
  const batch = new MatrixBatch(COUNT, ROWS, COLS);
  for (let index = 0; index < batch.data.length; index++) batch.data[index] = random.normal();

  // ml-matrix gets its own matrices, built once outside the timing (as a caller holding them would).
  const peerMatrices = Array.from({ length: COUNT }, (_, k) => new PeerMatrix(batch.matrix(k).toArray()));
  const peer: PeerSpectrum = { rank: new Int32Array(COUNT), cond: new Float64Array(COUNT), largest: new Float64Array(COUNT) };
  let ours = spectrumBatch(batch);
  const [oursMs, peerMs, oursVectorsMs, peerWithVectorsMs] = timeInterleaved(
    [
      () => (ours = spectrumBatch(batch)),
      () => peerSpectrum(peerMatrices, false, peer),
      () => svdBatch(batch),
      () => peerSpectrum(peerMatrices, true, peer),
    ],
    context.quick ? QUICK_REPEAT : REPEAT,
    context.quick ? QUICK_WARMUP : WARMUP,
  );
  peerSpectrum(peerMatrices, false, peer);

  // Sanity: the two must agree, otherwise the timing compares different work.
  let maxRelativeDifference = 0, rankMismatches = 0;
  for (let k = 0; k < COUNT; k++) {
    const largest = ours.singularValues[k * ours.k];
    maxRelativeDifference = Math.max(maxRelativeDifference, Math.abs(largest - peer.largest[k]) / peer.largest[k]);
    maxRelativeDifference = Math.max(maxRelativeDifference, Math.abs(ours.cond[k] - peer.cond[k]) / peer.cond[k]);
    if (ours.rank[k] !== peer.rank[k]) rankMismatches++;
  }

  const shape = { matrices: COUNT, shape: `${ROWS}×${COLS}` };
  const agreement = { maxRelativeDifferenceSigmaMaxAndCond: maxRelativeDifference, rankMismatches };
  const mlMatrix = (peer: string, value: number) => ({ peer, value: round(value), unit: 'ms', kind: 'measured' as const });
  emit({
    name: 'svd-rank-cond-10k-4x7-vs-ml-matrix',
    value: round(oursMs),
    unit: 'ms',
    ...compareToPeer(oursMs, 'ms', mlMatrix('ml-matrix 6.x SingularValueDecomposition without U, V, in-process (same work, same run)', peerMs), {
      text: `≥ ${TARGET_VS_ML_MATRIX}× faster than ml-matrix (issue 2)`,
      ratio: TARGET_VS_ML_MATRIX,
    }),
    peerSource: 'ml-matrix, timed in this process, interleaved with inversa',
    ...shape,
    ...agreement,
  });
  emit({
    name: 'svd-rank-cond-10k-4x7-vs-pytorch',
    value: round(oursMs),
    unit: 'ms',
    ...compareToPytorch(oursMs, 'ms', context.pytorch(PYTORCH_PEER_KEYS.svdValues), NO_PYTORCH),
    ...shape,
  });
  emit({
    name: 'svd-vectors-10k-4x7-vs-ml-matrix',
    value: round(oursVectorsMs),
    unit: 'ms',
    ...compareToPeer(oursVectorsMs, 'ms', mlMatrix('ml-matrix 6.x SingularValueDecomposition with U, V, in-process (same run)', peerWithVectorsMs)),
    peerSource: 'ml-matrix, timed in this process, interleaved with inversa',
    ...shape,
  });
  emit({
    name: 'svd-vectors-10k-4x7-vs-pytorch',
    value: round(oursVectorsMs),
    unit: 'ms',
    ...compareToPytorch(oursVectorsMs, 'ms', context.pytorch(PYTORCH_PEER_KEYS.svdVectors), NO_PYTORCH),
    ...shape,
  });
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
