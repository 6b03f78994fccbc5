// Consumer test (c): `inversa invert … --threads 2 --json` and `inversa analyze … --threads 2 --json`
// from the installed package run their chunks on worker threads (the package's dist/cli/pool-worker.js
// starts, and the bundle exports the tasks), not on the main thread after a worker failed.
//   node threads-check.mjs /path/to/node_modules/.bin/inversa forward.onnx   (cwd: the consumer project)
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { loadModelFile, Matrix, modelDomain } from 'inversa';

const [bin, modelPath] = process.argv.slice(2);
const model = await loadModelFile(modelPath);
const { lower, upper } = modelDomain(model).box;
const n = model.inputNames.length, rows = 200;
// Deterministic points in the middle of the box; their outputs are reachable targets.
const x = new Matrix(rows, n);
for (let k = 0; k < rows; k++) for (let j = 0; j < n; j++) x.data[k * n + j] = lower[j] + (upper[j] - lower[j]) * (0.3 + 0.4 * (((k + 1) * 0.6180339887 + j * 0.4142135623) % 1));
const y = model.forward(x);
const csv = (names, matrix, count) => [names.join(','), ...Array.from({ length: count }, (_, k) => Array.from(matrix.data.subarray(k * matrix.cols, (k + 1) * matrix.cols)).join(','))].join('\n') + '\n';
writeFileSync('threads-targets.csv', csv(model.outputNames, y, 96));
writeFileSync('threads-points.csv', csv(model.inputNames, x, rows));

for (const args of [['invert', modelPath, '--targets', 'threads-targets.csv'], ['analyze', modelPath, '--points', 'threads-points.csv', '--chunk-rows', '50']]) {
  const child = spawnSync(process.execPath, [bin, ...args, '--threads', '2', '--json'], { encoding: 'utf8' });
  // invert exits 1 when a target is not met; the JSON (and where the chunks ran) is still printed.
  assert.ok(child.status === 0 || (child.status === 1 && child.stdout), `inversa ${args[0]} exited with ${child.status}: ${child.stderr}`);
  const stdout = child.stdout;
  const { parallel } = JSON.parse(stdout);
  assert.ok(parallel && parallel.threads === 2, `${args[0]}: no parallel summary in --json (${JSON.stringify(parallel)})`);
  assert.ok(parallel.workerTasks > 0 && parallel.mainThreadTasks === 0, `${args[0]} --threads 2 did not run its chunks on worker threads: ${JSON.stringify(parallel)} ${child.stderr}`);
  console.log(`inversa ${args[0]} --threads 2: ${parallel.workerTasks} chunks on worker threads, ${parallel.mainThreadTasks} on the main thread`);
}
