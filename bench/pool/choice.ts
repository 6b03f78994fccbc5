// `npx tsx bench/pool/choice.ts`: piscina against tinypool for inversa's use, in one run — how long
// a 2-thread pool takes to start (create + first answer from every thread), the round-trip cost of an
// empty task (sequential: latency; 2000 in flight: throughput), and the round trip of a 10,000×7
// Float64Array (560 KB) sent and returned by transfer (zero-copy) versus by structured clone.
// The numbers decide docs/scaling.md's choice; the machine is shared, so the load average is printed.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Piscina } from 'piscina';
import Tinypool from 'tinypool';
import { median } from '../../src/linalg/index.ts';

const WORKER = new URL('./echo-worker.mjs', import.meta.url).href;
const THREADS = 2;
const SEQUENTIAL = 500;
const IN_FLIGHT = 2000;
const BUFFER_TASKS = 200;
const ROUNDS = 5;

interface AnyPool {
  run(task: unknown, options?: { transferList?: ArrayBuffer[] }): Promise<unknown>;
  destroy(): Promise<void>;
}

const makers: Record<string, () => AnyPool> = {
  piscina: () => new Piscina({ filename: WORKER, minThreads: THREADS, maxThreads: THREADS }) as unknown as AnyPool,
  tinypool: () => new Tinypool({ filename: WORKER, minThreads: THREADS, maxThreads: THREADS }) as unknown as AnyPool,
};


async function measure(name: string): Promise<Record<string, number>> {
  const startup: number[] = [], sequential: number[] = [], throughput: number[] = [], transfer: number[] = [], clone: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let t = performance.now();
    const pool = makers[name]();
    await Promise.all(Array.from({ length: THREADS }, () => pool.run({ kind: 'empty' })));
    startup.push(performance.now() - t);

    t = performance.now();
    for (let k = 0; k < SEQUENTIAL; k++) await pool.run({ kind: 'empty' });
    sequential.push((performance.now() - t) / SEQUENTIAL * 1000);

    t = performance.now();
    await Promise.all(Array.from({ length: IN_FLIGHT }, () => pool.run({ kind: 'empty' })));
    throughput.push((performance.now() - t) / IN_FLIGHT * 1000);

    let data: Float64Array = new Float64Array(10_000 * 7).fill(1);
    t = performance.now();
    for (let k = 0; k < BUFFER_TASKS; k++) {
      const answer = await pool.run({ kind: 'sum', data }, { transferList: [data.buffer as ArrayBuffer] }) as { data: Float64Array };
      data = answer.data;
    }
    transfer.push((performance.now() - t) / BUFFER_TASKS * 1000);
    t = performance.now();
    for (let k = 0; k < BUFFER_TASKS; k++) await pool.run({ kind: 'sum', data });
    clone.push((performance.now() - t) / BUFFER_TASKS * 1000);
    await pool.destroy();
  }
  return {
    startupMs: Number(median(startup).toFixed(1)),
    emptyTaskLatencyUs: Number(median(sequential).toFixed(1)),
    emptyTaskThroughputUs: Number(median(throughput).toFixed(1)),
    transfer560kBRoundTripUs: Number(median(transfer).toFixed(1)),
    clone560kBRoundTripUs: Number(median(clone).toFixed(1)),
  };
}

const results: Record<string, unknown> = { threads: THREADS, rounds: ROUNDS, loadAverage1m: Number(loadavg()[0].toFixed(2)) };
for (const name of ['piscina', 'tinypool', 'piscina', 'tinypool']) {
  const measured = await measure(name);
  results[name] = results[name] ? [results[name], measured].flat() : [measured];
}
results.loadAverage1mAfter = Number(loadavg()[0].toFixed(2));
console.log(JSON.stringify(results, null, 1));
