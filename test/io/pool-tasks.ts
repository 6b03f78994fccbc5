// Task functions for test/io/pool.test.ts, run in pool workers (and on the main thread when they fail).

export function double(input: number): number {
  return 2 * input;
}

export function reject(input: string): never {
  throw new RangeError(`bad input: ${input}`);
}
