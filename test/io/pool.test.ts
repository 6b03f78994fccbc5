// runTaskOr and poolUsage (src/io/pool.ts): tasks answered by workers are counted as worker tasks;
// a task whose worker fails but which succeeds on the main thread is counted as a main-thread task,
// with the reason; a task whose own input is at fault throws as itself and is not counted as a fallback.
import { afterAll, describe, expect, it } from 'vitest';
import { closePools, completedPoolTasks, poolUsage, runTaskOr } from '../../src/io/pool.ts';
import { double, reject } from './pool-tasks.ts';

afterAll(closePools);

const module = new URL('./pool-tasks.ts', import.meta.url).href;

describe('runTaskOr: where the task ran', () => {
  it('a worker answers: one worker task, no main-thread task', async () => {
    const before = poolUsage();
    expect(await runTaskOr<number, number>(2, { module, name: 'double', input: 21 }, () => double(21))).toBe(42);
    const after = poolUsage();
    expect(after.workerTasks - before.workerTasks).toBe(1);
    expect(after.mainThreadTasks).toBe(before.mainThreadTasks);
    expect(completedPoolTasks()).toBe(after.workerTasks);
  });

  it('the worker cannot run it (no such export), the main thread can: counted, with the reason', async () => {
    const before = poolUsage();
    expect(await runTaskOr<number, number>(2, { module, name: 'missingTask', input: 21 }, () => double(21))).toBe(42);
    const after = poolUsage();
    expect(after.mainThreadTasks - before.mainThreadTasks).toBe(1);
    expect(after.workerTasks).toBe(before.workerTasks);
    expect(after.lastFailure).toMatch(/has no function export 'missingTask'/);
  });

  it("the task's own input is at fault: its error is thrown as itself, not counted as a fallback", async () => {
    const before = poolUsage();
    const answer = runTaskOr<string, never>(2, { module, name: 'reject', input: 'x' }, () => reject('x'));
    await expect(answer).rejects.toThrow(RangeError);
    await expect(answer).rejects.toThrow('bad input: x');
    const after = poolUsage();
    expect(after.mainThreadTasks).toBe(before.mainThreadTasks);
    expect(after.workerTasks).toBe(before.workerTasks);
  });
});
