// `sine`: y = sin(3π x1) + cos(3π x2) on [−1, 1]² (the benchmark task of Ren et al.) (sineModel() in src/model/functions.ts):
// a 2→1 landscape whose level sets are many disconnected curves, so an inverse net has to pick one
// of many valid answers. Inputs uniform in [−1, 1]²; noise-free.
import { Matrix } from '../../linalg/index.ts';
import { sineModel } from '../../model/index.ts';
import type { DatasetDefinition } from './types.ts';

export const sineDataset: DatasetDefinition = {
  name: 'sine',
  summary: 'y = sin(3π x1) + cos(3π x2) on [−1, 1]²: many disconnected inverse branches; noise-free',
  description: 'y = sin(3π x1) + cos(3π x2), inputs uniform in [−1, 1]², exact and noise-free. Every level set has many branches, so the inverse is far from unique.',
  inputNames: ['x1', 'x2'],
  outputNames: ['y'],
  inputUnits: ['', ''],
  outputUnits: [''],
  bounds: { lower: Float64Array.from([-1, -1]), upper: Float64Array.from([1, 1]) },
  synthetic: false,
  noiseFraction: 0,
  defaultRows: 2000,
  model: sineModel,
  sampleInputs(rows, random) {
    const out = new Matrix(rows, 2);
    for (let k = 0; k < out.data.length; k++) out.data[k] = random.between(-1, 1);
    return out;
  },
  addNoise() {},
};
