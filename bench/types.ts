// Shape of one benchmark measurement. `ratio` is peer time / our time (> 1 means inversa is faster)
// unless the line says otherwise in `ratioMeaning`.
export interface BenchLine {
  name: string;
  /** Our figure, e.g. milliseconds or samples per second. */
  value: number;
  unit: string;
  /** What we compared against in the same run, and its figure in the same unit. */
  peer?: string;
  peerValue?: number;
  ratio?: number;
  ratioMeaning?: string;
  target?: string;
  [extra: string]: unknown;
}

export interface BenchSuite {
  run(emit: (line: BenchLine) => void): Promise<void>;
}

/** Median wall time in ms of `repeat` runs of `work` after `warmup` runs. */
export function timeMedian(work: () => void, repeat = 7, warmup = 2): number {
  for (let i = 0; i < warmup; i++) work();
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
