// The page's workers without a browser: pool size from the core count, requests to the least busy
// worker, loads to every worker, and Stop terminating the training worker mid-run.
import { describe, expect, it } from 'vitest';
import { MAX_POOL_SIZE, poolSize, TrainingRunner, TrainingStopped, WorkerPool } from '../../web/src/pool.ts';
import type { RequestMessage, ResponseMessage } from '../../web/src/protocol.ts';

/** A stand-in Worker that records requests and answers only when told to. */
class FakeWorker {
  readonly received: RequestMessage[] = [];
  terminated = false;
  private listener: ((event: { data: ResponseMessage }) => void) | null = null;
  addEventListener(type: string, listener: (event: { data: ResponseMessage }) => void): void {
    if (type === 'message') this.listener = listener;
  }
  postMessage(message: RequestMessage): void {
    this.received.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(index: number, result: unknown): void {
    this.listener?.({ data: { id: this.received[index].id, type: 'result', result } });
  }
}

describe('poolSize', () => {
  it('uses the cores, at least 2 (forward never queues behind one long job), at most MAX_POOL_SIZE', () => {
    expect(poolSize(undefined)).toBe(2);
    expect(poolSize(1)).toBe(2);
    expect(poolSize(3)).toBe(3);
    expect(poolSize(64)).toBe(MAX_POOL_SIZE);
  });
});

describe('WorkerPool', () => {
  it('sends each request to the least busy worker and broadcasts loads to all', async () => {
    const workers = [new FakeWorker(), new FakeWorker()];
    const pool = new WorkerPool(2, (index) => workers[index] as unknown as Worker);
    const slow = pool.call('analyze', { samples: 10, seed: 1 });
    const quick = pool.call('forward', { x: [1] });
    expect(workers[0].received.map((message) => message.kind)).toEqual(['analyze']);
    expect(workers[1].received.map((message) => message.kind)).toEqual(['forward']);
    workers[1].answer(0, { y: [2], outOfRange: [false], elapsedMs: 0 });
    expect((await quick).y).toEqual([2]);
    const load = pool.broadcast('load', () => ({ request: { role: 'forward', name: 'm.onnx', bytes: new ArrayBuffer(4) } }));
    expect(workers.map((worker) => worker.received.at(-1)?.kind)).toEqual(['load', 'load']);
    workers[0].answer(0, { ok: 'analyzed' });
    workers[0].answer(1, { name: 'm.onnx' });
    workers[1].answer(1, { name: 'm.onnx' });
    expect(await slow).toEqual({ ok: 'analyzed' });
    expect(await load).toEqual({ name: 'm.onnx' });
  });
});

describe('TrainingRunner', () => {
  it('trains in a worker of its own; stop() terminates it and the run rejects with TrainingStopped; the next run gets a fresh worker', async () => {
    const made: FakeWorker[] = [];
    const runner = new TrainingRunner(() => { const worker = new FakeWorker(); made.push(worker); return worker as unknown as Worker; });
    const request = { csvText: 'a,b\n1,2\n', inputColumns: ['a'], outputColumns: ['b'], alpha: 0, epochs: 1, hidden: 2, seed: 1 };
    const run = runner.run(request, () => undefined);
    expect(runner.running).toBe(true);
    expect(runner.stop()).toBe(true);
    await expect(run).rejects.toBeInstanceOf(TrainingStopped);
    expect(made[0].terminated).toBe(true);
    expect(runner.running).toBe(false);
    expect(runner.stop()).toBe(false);
    void runner.run(request, () => undefined).catch(() => undefined);
    expect(made).toHaveLength(2);
    runner.stop();
  });
});
