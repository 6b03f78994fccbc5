// The page's workers: a pool of numerics workers sized by navigator.hardwareConcurrency (every
// worker holds the same models; each request goes to the least busy one, so a forward evaluation
// does not queue behind a solve or a heatmap), and a separate training worker that Stop terminates
// mid-epoch. Nothing numeric runs on the main thread.
import { WorkerClient, WorkerError, type Caller, type CallOptions } from './client.ts';
import type { CallKind, Calls, TrainProgress, TrainRequest, TrainResponse } from './protocol.ts';

/** Most numerics workers the page starts (each holds a copy of the models). */
export const MAX_POOL_SIZE = 4;

/** Pool size for a machine with `cores` logical cores (at least 2, so forward never waits on one long job). */
export function poolSize(cores: number | undefined): number {
  const known = Number.isInteger(cores) && (cores as number) > 0 ? (cores as number) : 2;
  return Math.min(MAX_POOL_SIZE, Math.max(2, known));
}

export class WorkerPool implements Caller {
  readonly clients: WorkerClient[];

  constructor(size: number, createWorker: (index: number) => Worker) {
    this.clients = Array.from({ length: size }, (_, index) => new WorkerClient(createWorker(index)));
  }

  get size(): number {
    return this.clients.length;
  }

  /** One request to the least busy worker (lowest index among equals). */
  call<K extends CallKind>(kind: K, request: Calls[K]['request'], options: CallOptions = {}): Promise<Calls[K]['response']> {
    let chosen = this.clients[0];
    for (const client of this.clients) if (client.pendingCount < chosen.pendingCount) chosen = client;
    return chosen.call(kind, request, options);
  }

  /** The same request to every worker (model loading); `copy` makes each worker's own request (e.g. its own bytes to transfer). */
  async broadcast<K extends CallKind>(kind: K, copy: () => { request: Calls[K]['request']; transfer?: Transferable[] }): Promise<Calls[K]['response']> {
    const answers = await Promise.all(this.clients.map((client) => {
      const { request, transfer } = copy();
      return client.call(kind, request, { transfer });
    }));
    return answers[0];
  }
}

/** Thrown to the caller of run() when stop() ended the training. */
export class TrainingStopped extends WorkerError {
  constructor() {
    super('TrainingStopped', 'training stopped');
  }
}

/** Training in its own worker: started on demand, terminated by stop() (a fresh worker serves the next run). */
export class TrainingRunner {
  private client: WorkerClient | null = null;

  constructor(private readonly createWorker: () => Worker) {}

  get running(): boolean {
    return this.client !== null && this.client.pendingCount > 0;
  }

  run(request: TrainRequest, onProgress: (progress: TrainProgress) => void): Promise<TrainResponse> {
    this.client ??= new WorkerClient(this.createWorker());
    return this.client.call('train', request, { onProgress });
  }

  /** End a running training at once; true when there was one. */
  stop(): boolean {
    const client = this.client;
    if (!client) return false;
    const wasRunning = client.pendingCount > 0;
    this.client = null;
    client.terminate(new TrainingStopped());
    return wasRunning;
  }
}
