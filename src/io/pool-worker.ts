// The entry of every pool worker (see pool.ts): import the task's module (cached by the module
// loader) and call the named export with the task's input. Only modules of inversa are named here,
// by inversa's own code. A task may answer with `movedAnswer(value, buffers)` to move (not copy)
// fresh result buffers back to the caller.
import Tinypool from 'tinypool';
import { isMovedAnswer } from './pool-answer.ts';

export default async function runPoolTask(task: { module: string; name: string; input: unknown }): Promise<unknown> {
  const module = (await import(task.module)) as Record<string, unknown>;
  if (task.name === '') return null; // prewarm: load the module (and compile it) only
  const run = module[task.name];
  if (typeof run !== 'function') throw new Error(`pool task: ${task.module} has no function export '${task.name}'`);
  const answer = await (run as (input: unknown) => unknown)(task.input);
  if (!isMovedAnswer(answer)) return answer;
  return Tinypool.move({ [Tinypool.transferableSymbol]: answer.buffers, [Tinypool.valueSymbol]: answer.value } as unknown as ArrayBuffer);
}
