// The numerics worker: owns the loaded models and answers the page's requests (forward, solve, slice,
// analyze, train) with the inversa core, so the page never freezes. Requests are handled one at a
// time in arrival order; every failure is sent back as { name, message } (typed InversaError
// messages already say what was wrong and where).
import type { CallKind, Calls, RequestMessage, ResponseMessage, TrainProgress } from './protocol.ts';
import { handlers } from './worker-handlers.ts';

interface WorkerScope {
  postMessage(message: ResponseMessage): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<RequestMessage>) => void): void;
}
const scope = self as unknown as WorkerScope;

type Handler<K extends CallKind> = (request: Calls[K]['request'], progress: (progress: TrainProgress) => void) => Promise<Calls[K]['response']> | Calls[K]['response'];

// Serialize requests: a long training run must not interleave with a solve on half-swapped models.
let queue: Promise<void> = Promise.resolve();

scope.addEventListener('message', (event) => {
  const { id, kind, request } = event.data;
  queue = queue.then(async () => {
    try {
      const handler = handlers[kind] as Handler<typeof kind> | undefined;
      if (!handler) throw new Error(`unknown request kind "${kind}"`);
      const result = await handler(request, (progress) => scope.postMessage({ id, type: 'progress', progress }));
      scope.postMessage({ id, type: 'result', result });
    } catch (error) {
      const failure = error as Error;
      scope.postMessage({ id, type: 'error', error: { name: failure?.name ?? 'Error', message: failure?.message ?? String(error) } });
    }
  });
});
