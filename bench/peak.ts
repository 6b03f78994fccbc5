// The machine's peak for inversa's kernels, measured in the same run as the suites: a tight
// WebAssembly SIMD loop of f64x2 multiply-then-add (baseline WebAssembly SIMD has no fused
// multiply-add, so this is the most a Float64 WebAssembly kernel can issue) over ACCUMULATORS
// independent chains, on one thread. 4 flops (2 lanes × multiply + add) per chain per iteration.
// Kernels report their achieved GFLOP/s as a fraction of this (× threads).
import { CodeBuilder, encodeModule, F64, I32, V128, whileLoop } from '../src/linalg/index.ts';

/** Independent accumulator chains: enough to cover the multiply + add latency on 2 FP ports. */
const ACCUMULATORS = 12;
const ITERATIONS = 20_000_000;
const REPEAT = 5;

function peakModule(): WebAssembly.Instance {
  const parameters = [I32];
  const code = new CodeBuilder(parameters.length);
  const [iterations] = [0];
  const i = code.local(I32);
  const scale = code.local(V128), shift = code.local(V128), total = code.local(F64);
  const accumulators = Array.from({ length: ACCUMULATORS }, () => code.local(V128));
  code.f64x2Const(0.999999).set(scale);
  code.f64x2Const(1e-7).set(shift);
  accumulators.forEach((accumulator, k) => code.f64x2Const(1 + k / 100).set(accumulator));
  code.i32(0).set(i);
  whileLoop(code, () => code.get(i).get(iterations).i32GeS(), () => {
    for (const accumulator of accumulators) code.get(accumulator).get(scale).f64x2Mul().get(shift).f64x2Add().set(accumulator);
    code.get(i).i32(1).i32Add().set(i);
  });
  code.f64(0).set(total);
  for (const accumulator of accumulators) code.get(total).get(accumulator).f64x2ExtractLane(0).f64Add().get(accumulator).f64x2ExtractLane(1).f64Add().set(total);
  code.get(total);
  const bytes = encodeModule([{ name: 'peak', parameters: [I32], results: [F64], code }], 1);
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
}

export interface Peak {
  /** GFLOP/s of one thread, best of REPEAT runs. */
  gflopsPerThread: number;
  method: string;
}

/**
 * Measure the one-thread peak (best of REPEAT: on a shared machine the best run is the least
 * disturbed). `runs` overrides iterations and repeats: many short runs give the undisturbed figure
 * to compare with kernels timed the same way (bench/kernel-tiles.ts).
 */
export function measurePeak(quick = false, runs?: { iterations: number; repeat: number }): Peak {
  const run = (peakModule().exports as { peak(iterations: number): number }).peak;
  const iterations = runs?.iterations ?? (quick ? ITERATIONS / 4 : ITERATIONS);
  const repeat = runs?.repeat ?? REPEAT;
  run(1_000_000);
  let best = Infinity;
  for (let r = 0; r < repeat; r++) {
    const started = performance.now();
    const sink = run(iterations);
    const seconds = (performance.now() - started) / 1000;
    if (!Number.isFinite(sink)) throw new Error('peak loop diverged');
    best = Math.min(best, seconds);
  }
  const flops = iterations * ACCUMULATORS * 4;
  return {
    gflopsPerThread: Number((flops / best / 1e9).toFixed(2)),
    method: `WebAssembly SIMD f64x2 multiply+add loop, ${ACCUMULATORS} independent chains, 1 thread, best of ${repeat} runs of ${iterations} iterations (bench/peak.ts)`,
  };
}

if (process.argv[1]?.endsWith('peak.ts')) console.log(JSON.stringify(measurePeak()));
