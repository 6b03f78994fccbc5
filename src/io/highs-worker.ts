// HiGHS in a Node worker thread: solves queue up and run one at a time off the main thread, so a
// long MILP never blocks the event loop (progress output, time limits, Ctrl-C). The worker is plain
// JavaScript given as a string (no build step, works from source and from a bundle) built from the
// source text of solver.ts's runHighs/runHighsObjectives; it loads `highs` by its resolved path.
// Node-only (worker_threads); the browser uses InProcessSolver inside a Web Worker.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { type MilpProblem, type HighsAnswer, highsRequest, type MilpOptions, type MilpOutcome, type MilpSolver, readAnswer, runHighs, runHighsObjectives, type SparseObjective } from '../certify/index.ts';

/**
 * The worker: plain JavaScript made from the source text of runHighs and runHighsObjectives (both
 * self-contained), so the worker runs the same code as InProcessSolver, from the TypeScript sources
 * (tsx, vitest) and from the bundle alike. `__name` is the no-op of esbuild's keepNames helper, which
 * tsx inserts into function bodies.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// Optional: V8 compiles all of HiGHS with its optimizing tier when the module loads (process-wide flags).
if (workerData.optimizeAtLoad) require('node:v8').setFlagsFromString('--no-liftoff --no-wasm-lazy-compilation');
const __name = (target) => target;
${runHighs.toString()}
${runHighsObjectives.toString()}
const load = require(workerData.highsPath);
let highsPromise = load();
parentPort.on('message', async ({ id, request, objectives }) => {
  try {
    const highs = await highsPromise;
    parentPort.postMessage({ id, answer: objectives ? runHighsObjectives(highs, request, objectives) : runHighs(highs, request) });
  } catch (error) {
    highsPromise = load();
    parentPort.postMessage({ id, answer: { modelStatus: -1, objective: NaN, colValue: null, dualBound: NaN, nodes: 0, seconds: 0, error: String((error && error.message) || error) } });
  }
});
`;

export interface WorkerSolverOptions {
  /**
   * Compile all of HiGHS with V8's optimizing tier when the worker starts, instead of the baseline
   * tier with tier-up of hot functions while solving. Costs seconds of start-up, then solves run at
   * full speed from the first one (on a loaded machine the background tier-up lags far behind).
   * Sets V8 flags for the whole process (--no-liftoff, --no-wasm-lazy-compilation). Default false.
   */
  optimizeAtLoad?: boolean;
}

/** A one-column LP: solved once by ready() so the module is loaded and compiled. */
const EMPTY_PROBLEM: MilpProblem = {
  numCols: 1, numRows: 0, sense: 'minimize', offset: 0, colCost: new Float64Array(1), colLower: new Float64Array(1), colUpper: Float64Array.of(1),
  integrality: new Int32Array(1), rowLower: new Float64Array(0), rowUpper: new Float64Array(0), starts: Int32Array.of(0), indices: new Int32Array(0), values: new Float64Array(0),
};

export class WorkerSolver implements MilpSolver {
  private worker: Worker | null = null;
  private loaded: Promise<unknown> | null = null;

  constructor(private readonly settings: WorkerSolverOptions = {}) {}

  /** Start the worker and load HiGHS now (otherwise that happens on the first solve). */
  async ready(): Promise<void> {
    this.start();
    this.loaded ??= this.send({ request: highsRequest(EMPTY_PROBLEM) });
    await this.loaded;
  }
  private nextId = 0;
  private readonly pending = new Map<number, (answer: HighsAnswer | Float64Array) => void>();

  private start(): Worker {
    if (this.worker) return this.worker;
    const highsPath = createRequire(import.meta.url).resolve('highs');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { highsPath, optimizeAtLoad: this.settings.optimizeAtLoad === true } });
    worker.on('message', ({ id, answer }: { id: number; answer: HighsAnswer | Float64Array }) => {
      const resolve = this.pending.get(id);
      this.pending.delete(id);
      if (this.pending.size === 0) worker.unref();
      resolve?.(answer);
    });
    worker.on('error', (error) => this.failAll(error.message));
    worker.on('exit', (code) => { this.worker = null; this.loaded = null; if (this.pending.size) this.failAll(`the HiGHS worker exited (code ${code})`); });
    this.worker = worker;
    return worker;
  }

  private failAll(message: string): void {
    for (const resolve of this.pending.values()) resolve({ modelStatus: -1, objective: NaN, colValue: null, dualBound: NaN, nodes: 0, seconds: 0, error: message });
    this.pending.clear();
  }

  private send(message: { request: ReturnType<typeof highsRequest>; objectives?: SparseObjective[] }): Promise<HighsAnswer | Float64Array> {
    const worker = this.start();
    const id = this.nextId++;
    worker.ref();
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      worker.postMessage({ id, ...message });
    });
  }

  async solve(problem: MilpProblem, options: MilpOptions = {}): Promise<MilpOutcome> {
    return readAnswer(await this.send({ request: highsRequest(problem, options) }) as HighsAnswer);
  }

  async minimizeEach(problem: MilpProblem, objectives: SparseObjective[], options: MilpOptions = {}): Promise<Float64Array> {
    const answer = await this.send({ request: highsRequest({ ...problem, colCost: new Float64Array(problem.numCols), offset: 0 }, options), objectives });
    return answer instanceof Float64Array ? answer : new Float64Array(objectives.length).fill(NaN);
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.loaded = null;
    if (worker) await worker.terminate();
  }
}
