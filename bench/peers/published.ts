// The PyTorch figures written in the issues, keyed like the lines of bench/peers/pytorch_peer.py
// ('<suite>/<name>'). They stand in for the peer only when PyTorch cannot run here, and are then
// labelled peerKind 'published'; with PyTorch present, the figure measured in the same run is used
// and the published one is kept beside it for reference. Work with no published figure (PyTorch's
// SVD) has no entry: without PyTorch its line has no ratio.
import type { PeerFigure } from '../types.ts';

export const PYTORCH_PEER_KEYS = {
  svdValues: 'svd/svd-rank-cond-10k-4x7',
  svdVectors: 'svd/svd-vectors-10k-4x7',
  jacobian: 'jacobian/jacobian-tanh-7x64x64x4-10k',
  gaussNewton: 'solve/gauss-newton-20-pinv-tanh-7x64x64x4-10k',
  train: 'train/train-7x64x64x4-batch64-float32',
  jacobian2: 'jacobian/jacobian-tanh-7x64x64x4-10k-2threads',
  gaussNewton2: 'solve/gauss-newton-20-pinv-tanh-7x64x64x4-10k-2threads',
  train2: 'train/train-7x64x64x4-batch64-float32-2threads',
} as const;

export const PUBLISHED_PYTORCH: ReadonlyMap<string, PeerFigure> = new Map<string, PeerFigure>([
  [PYTORCH_PEER_KEYS.jacobian, {
    peer: 'PyTorch batched autograd, 1 CPU thread, float64',
    value: 30, unit: 'ms', kind: 'published', source: 'issue 3 ("measured here at about 30 ms")',
  }],
  [PYTORCH_PEER_KEYS.gaussNewton, {
    peer: 'PyTorch batched 20-iteration Gauss–Newton with torch.linalg.pinv, 1 CPU thread, float64',
    value: 1.6, unit: 's', kind: 'published', source: 'issue 4 ("measured here: 1.6 s")',
  }],
  [PYTORCH_PEER_KEYS.train, {
    peer: 'PyTorch, 7→64→64→4 MLP, batch 64, Adam, float32, 1 CPU thread',
    value: 317_000, unit: 'samples/s', kind: 'published', source: 'issue 5 ("about 317,000 samples/s")',
  }],
]);
