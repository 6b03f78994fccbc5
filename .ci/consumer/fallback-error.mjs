// Consumer test: without onnxruntime-node (an optional peer dependency, not installed), a graph with
// an unsupported operator loads with the finite-difference fallback only to fail with one line that
// says how to add the runtime.
//   node fallback-error.mjs cumsum_unsupported.onnx
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { loadOnnxModel, InversaError } from 'inversa';

const bytes = readFileSync(process.argv[2]);
const error = await loadOnnxModel(bytes, { fallback: 'finite-differences' }).then(() => undefined, (e) => e);
assert.ok(error instanceof InversaError, `expected an InversaError, got ${error}`);
assert.match(error.message, /npm install onnxruntime-node/);
assert.ok(!error.message.includes('\n'), 'one line');
console.log(`fallback without onnxruntime-node: ${error.message}`);
