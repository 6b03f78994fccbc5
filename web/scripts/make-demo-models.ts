// Regenerates the web app's built-in demo model pair, deterministically (seed 42):
//   web/public/models/demo-forward.onnx   forward net x → y of the synthetic blast-furnace plant
//   web/public/models/demo-inverse.onnx   inverse net y → x trained with the consistency loss (α)
//   web/public/models/index.json          which files the page preloads
// Run: npx tsx web/scripts/make-demo-models.ts   (a few seconds; the outputs are committed so the
// page and its tests never wait for training).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDataset } from '../../src/data/datasets/index.ts';
import { exportMlpToOnnx } from '../../src/onnx/write.ts';
import { writeFileAtomic } from '../../src/io/atomic.ts';
import { trainForward } from '../../src/train/forward.ts';
import { trainInverse } from '../../src/train/inverse.ts';
import { prepareData } from '../../src/train/prepare.ts';

export const DEMO_SEED = 42;
const DEMO_ROWS = 3000;
const DEMO_HIDDEN = [32, 32];
const DEMO_EPOCHS = 150;
/** α of the consistency loss, decaying linearly to 0 (as in the reference project, seed 001). */
const DEMO_ALPHA = 0.1;

const outDir = fileURLToPath(new URL('../public/models/', import.meta.url));

function main(): void {
  const started = performance.now();
  const dataset = generateDataset('plant', DEMO_ROWS, DEMO_SEED);
  const data = prepareData({
    x: dataset.inputs,
    y: dataset.outputs,
    inputNames: [...dataset.inputNames],
    outputNames: [...dataset.outputNames],
    ...(dataset.units ? { inputUnits: dataset.units.inputs, outputUnits: dataset.units.outputs } : {}),
    ...(dataset.bounds ? { bounds: dataset.bounds } : {}),
    source: `dataset plant (${DEMO_ROWS} rows, seed ${DEMO_SEED})`,
  }, { seed: DEMO_SEED });
  const forward = trainForward(data, { arch: 'resmlp', hidden: DEMO_HIDDEN, epochs: DEMO_EPOCHS, seed: DEMO_SEED });
  const inverse = trainInverse(data, forward, {
    arch: 'resmlp', hidden: DEMO_HIDDEN, epochs: DEMO_EPOCHS, seed: DEMO_SEED,
    alpha: DEMO_ALPHA, alphaSchedule: { kind: 'linear', endEpoch: DEMO_EPOCHS },
  });
  mkdirSync(outDir, { recursive: true });
  writeFileAtomic(path.join(outDir, 'demo-forward.onnx'), exportMlpToOnnx(forward.spec, {}));
  writeFileAtomic(path.join(outDir, 'demo-inverse.onnx'), exportMlpToOnnx(inverse.spec, {}));
  writeFileAtomic(path.join(outDir, 'index.json'), `${JSON.stringify({ forward: 'models/demo-forward.onnx', inverse: 'models/demo-inverse.onnx' }, null, 2)}\n`);
  const r2 = forward.test.map((score) => `${score.name} ${score.r2.toFixed(3)}`).join(', ');
  process.stdout.write(
    `demo pair written to ${outDir} in ${((performance.now() - started) / 1000).toFixed(1)} s\n` +
    `forward R² (test): ${r2}\ninverse re-simulation error (RMS, standardized): ${inverse.test.resimulationError.toPrecision(3)}\n`,
  );
}

main();
