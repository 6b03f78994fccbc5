// Register tiles of the WebAssembly SIMD product kernel (src/linalg/gemm/wasm-module.ts), side by
// side in one process on the shapes of the batched Jacobian chain of a 64-wide MLP: the forward
// product (128 points × 64 → 64) and the reverse sweep (128·4 rows × 64 → 64). Each variant is its
// own module instance, timed interleaved with the others (round-robin, best of ROUNDS), so machine
// load hits every variant alike; the peak (bench/peak.ts) is measured in the same run, the same way
// (best of many short runs: on a shared machine the best short run is the undisturbed one).
//   npx tsx bench/kernel-tiles.ts
import { loadavg } from 'node:os';
import { buildKernelModule, compileKernelModule, instantiateKernelModule } from '../src/linalg/index.ts';
import { measurePeak } from './peak.ts';

type Multiply = (a: number, b: number, c: number, rows: number, inner: number, cols: number, lda: number, ldb: number, ldc: number, mode: number, bias: number) => void;

const TILES = [
  { rows: 4, vectors: 2, unroll: 1 }, // the current default
  { rows: 4, vectors: 2, unroll: 2 },
  { rows: 4, vectors: 3, unroll: 1 },
  { rows: 6, vectors: 2, unroll: 1 },
  { rows: 3, vectors: 4, unroll: 1 },
  { rows: 2, vectors: 4, unroll: 1 },
  { rows: 4, vectors: 4, unroll: 1 },
  { rows: 8, vectors: 1, unroll: 1 },
];
const SHAPES = [{ rows: 512, inner: 64, cols: 64 }, { rows: 128, inner: 64, cols: 64 }, { rows: 128, inner: 7, cols: 64 }];
const ROUNDS = 40;
const CALLS = 200;

const variants = TILES.map((tile) => {
  const instance = instantiateKernelModule(compileKernelModule(buildKernelModule(tile)));
  if (!instance) throw new Error('WebAssembly SIMD is not available');
  const exports = instance.exports as unknown as { multiply: Multiply; memory: WebAssembly.Memory };
  exports.memory.grow(64);
  const heap = new Float64Array(exports.memory.buffer);
  for (let k = 0; k < 3 * 512 * 64; k++) heap[k] = Math.sin(k);
  return { tile, multiply: exports.multiply };
});

/** Peak timed like the kernels: best of many short runs (~10 ms each). */
const peak = measurePeak(false, { iterations: 200_000, repeat: 60 });
console.log(`peak ${peak.gflopsPerThread} GFLOP/s per thread; load average ${loadavg()[0].toFixed(2)}`);
for (const shape of SHAPES) {
  const { rows, inner, cols } = shape;
  const a = 0, b = 8 * 512 * 64, c = 16 * 512 * 64;
  const best = variants.map(() => Infinity);
  for (let round = 0; round < ROUNDS; round++) {
    variants.forEach(({ multiply }, v) => {
      const start = performance.now();
      for (let call = 0; call < CALLS; call++) multiply(a, b, c, rows, inner, cols, inner, cols, cols, 0, 0);
      best[v] = Math.min(best[v], performance.now() - start);
    });
  }
  const flops = 2 * rows * inner * cols * CALLS;
  console.log(`${rows}×${inner} · ${inner}×${cols}:`);
  variants.forEach(({ tile }, v) => {
    const gflops = flops / (best[v] / 1000) / 1e9;
    console.log(`  tile ${tile.rows}×${2 * tile.vectors} unroll ${tile.unroll}: ${gflops.toFixed(2)} GFLOP/s = ${(gflops / peak.gflopsPerThread).toFixed(3)} of peak`);
  });
}
console.log(`load average at end ${loadavg()[0].toFixed(2)}`);
