// Promise-based client for one numerics worker: `call('solve', request)` resolves with the typed
// response or rejects with the worker's error (name + message). The page never runs numerics itself.
import type { CallKind, Calls, RequestMessage, ResponseMessage, TrainProgress } from './protocol.ts';

/** An error raised inside the worker, carried over with its class name (e.g. ShapeError). */
export class WorkerError extends Error {
  constructor(readonly errorName: string, message: string) {
    super(message);
    this.name = errorName;
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: (progress: TrainProgress) => void;
}

export interface CallOptions {
  transfer?: Transferable[];
  onProgress?: (progress: TrainProgress) => void;
}

/** Anything that answers the worker protocol (one worker, or a pool of them). */
export interface Caller {
  call<K extends CallKind>(kind: K, request: Calls[K]['request'], options?: CallOptions): Promise<Calls[K]['response']>;
}

export class WorkerClient implements Caller {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(worker: Worker) {
    this.worker = worker;
    worker.addEventListener('message', (event: MessageEvent<ResponseMessage>) => this.receive(event.data));
    worker.addEventListener('error', (event) => {
      // A crash in the worker fails every pending call with the same message.
      this.failAll(new WorkerError('WorkerError', event.message || 'the numerics worker failed to start'));
    });
  }

  /** Requests sent and not yet answered (the pool sends new work to the least busy worker). */
  get pendingCount(): number {
    return this.pending.size;
  }

  call<K extends CallKind>(kind: K, request: Calls[K]['request'], options: CallOptions = {}): Promise<Calls[K]['response']> {
    const id = this.nextId++;
    const message: RequestMessage<K> = { id, kind, request };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, onProgress: options.onProgress });
      this.worker.postMessage(message, options.transfer ?? []);
    });
  }

  /** Stop the worker at once (mid-computation) and fail its pending calls with `reason`. */
  terminate(reason: Error): void {
    this.worker.terminate();
    this.failAll(reason);
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  private receive(message: ResponseMessage): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.type === 'progress') {
      pending.onProgress?.(message.progress);
      return;
    }
    this.pending.delete(message.id);
    if (message.type === 'result') pending.resolve(message.result);
    else pending.reject(new WorkerError(message.error.name, message.error.message));
  }
}
