// `npm run bench`: runs every suite in bench/suites/ (or those named on the command line) and prints
// one JSON line per measurement, each with the peer it was compared to in the same run and the ratio.
import { readdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import type { BenchLine, BenchSuite } from './types.ts';

// The machine every line was measured on. The 1-minute load average says how busy the cores were
// when the run started: timings on a shared machine are only comparable at similar load.
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
  loadAverage1m: Number(loadavg()[0].toFixed(2)),
};

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(path.join(here, 'suites'))
  .filter((file) => file.endsWith('.ts'))
  .filter((file) => wanted.length === 0 || wanted.some((name) => file.startsWith(name)))
  .sort();

console.log(JSON.stringify({ kind: 'machine', ...machine }));
let failed = 0;
for (const file of files) {
  const suite = (await import(pathToFileURL(path.join(here, 'suites', file)).href)) as BenchSuite;
  try {
    await suite.run((line: BenchLine) => console.log(JSON.stringify({ suite: file.replace(/\.ts$/, ''), ...line, machine })));
  } catch (error) {
    failed++;
    console.log(JSON.stringify({ suite: file, error: (error as Error).message }));
  }
}
process.exit(failed ? 1 : 0);
