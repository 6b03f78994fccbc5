// Resource limits for sizes the user chooses (--starts, --T, --samples, --batch, --hidden): each is
// capped so that its working memory fits in a budget derived from the machine's memory, and a value
// above the cap is a one-line error naming the option, the cap and why, instead of an allocation
// failure or a machine that swaps for minutes. The README's "Trust" section lists the estimates.
import { InvalidArgumentError } from './errors.ts';

/** The process's environment and the machine's memory where there is one (Node); the browser has neither. */
const nodeProcess = (globalThis as { process?: { env: Record<string, string | undefined>; getBuiltinModule?: (name: string) => unknown } }).process;

/** Physical memory: os.totalmem() in Node (reached without a static node:* import, so this file stays browser-safe); 4 GiB elsewhere. */
function totalMemoryBytes(): number {
  const os = nodeProcess?.getBuiltinModule?.('node:os') as { totalmem(): number } | undefined;
  return os ? os.totalmem() : 4 * 2 ** 30;
}

/** Share of physical memory one command may plan to use for a single user-sized allocation. */
export const MEMORY_SHARE = 0.25;

/** Bytes available for one user-sized structure: a quarter of physical memory (INVERSA_MEMORY_MB overrides, for tests). */
export function memoryBudgetBytes(): number {
  const override = Number(nodeProcess?.env.INVERSA_MEMORY_MB);
  if (Number.isFinite(override) && override > 0) return override * 2 ** 20;
  return Math.floor(totalMemoryBytes() * MEMORY_SHARE);
}

/** Where the budget comes from, for messages. */
export function budgetText(): string {
  const budget = formatBytes(memoryBudgetBytes());
  return Number(nodeProcess?.env.INVERSA_MEMORY_MB) > 0 ? `${budget} (INVERSA_MEMORY_MB)` : `${budget} (${MEMORY_SHARE * 100} % of this machine's memory)`;
}

/** A limit exceeded: always a one-line message with the cap and how it was derived. */
export class ResourceLimitError extends InvalidArgumentError {}

/** Largest count whose memory (`bytesPerUnit` each) fits the budget, and at most `absoluteCap`. */
export function capFromMemory(bytesPerUnit: number, absoluteCap = Number.MAX_SAFE_INTEGER): number {
  return Math.max(1, Math.min(absoluteCap, Math.floor(memoryBudgetBytes() / Math.max(1, bytesPerUnit))));
}

/**
 * Throw ResourceLimitError when `value` of `option` exceeds the memory-derived cap (or the
 * absolute one). `unit` describes one unit, e.g. "start", for the message.
 */
export function checkWithinLimit(value: number, option: string, bytesPerUnit: number, absoluteCap = Number.MAX_SAFE_INTEGER): void {
  const cap = capFromMemory(bytesPerUnit, absoluteCap);
  if (value > cap) {
    const why = cap === absoluteCap && absoluteCap * bytesPerUnit <= memoryBudgetBytes()
      ? `the fixed limit`
      : `about ${formatBytes(bytesPerUnit)} each against a budget of ${budgetText()}`;
    throw new ResourceLimitError(`${option} ${value} is more than the limit of ${cap} (${why})`);
  }
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes, unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
