// Data preparation and its bad-input errors (each raised before any training starts), the seeded
// split, PCA on standardized inputs against ml-matrix's eigen-decomposition of the covariance, and
// the SHA-256 data hash against node:crypto.
import { createHash } from 'node:crypto';
import { EigenvalueDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/data/datasets/index.ts';
import { InvalidArgumentError, InversaError } from '../../src/core/errors.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { sha256Hex, trainingDataHash } from '../../src/train/data-hash.ts';
import { fitInputProjection } from '../../src/train/pca-projection.ts';
import { checkTrainingRunOptions, trainModels } from '../../src/train/pipeline.ts';
import { prepareData, type TrainingTable } from '../../src/train/prepare.ts';
import { splitRows } from '../../src/train/split.ts';

function plantTable(rows = 200): TrainingTable {
  const generated = generateDataset('plant', rows, 5);
  return { x: generated.inputs, y: generated.outputs, inputNames: generated.inputNames, outputNames: generated.outputNames };
}

describe('bad input fails before training, with a message that says what and where', () => {
  const noTraining = { network: { epochs: 1 }, inverse: true } as const;
  it('constant column: names it', () => {
    const table = plantTable();
    for (let r = 0; r < table.x.rows; r++) table.x.data[r * 7 + 3] = 30;
    expect(() => trainModels(table, noTraining)).toThrow(/input column "o2_volfract" is constant/);
  });

  it('too few rows for the split', () => {
    const table = plantTable(3);
    expect(() => trainModels(table, noTraining)).toThrow(/too few rows .*got 3, need at least 4/);
  });

  it('PCA with more components than inputs', () => {
    expect(() => trainModels(plantTable(), { ...noTraining, pca: { components: 8 } })).toThrow(/--pca 8.*from 1 to the number of inputs \(7\)/);
    expect(() => trainModels(plantTable(), { ...noTraining, pca: { varianceToKeep: 1.5 } })).toThrow(InvalidArgumentError);
  });

  it('alpha outside [0, 1], checked before the forward net is trained', () => {
    let epochs = 0;
    const options = { ...noTraining, alpha: 1.5, onEpoch: () => epochs++ };
    expect(() => trainModels(plantTable(), options)).toThrow(/--alpha must be a number in \[0, 1\].*got 1.5/);
    expect(() => trainModels(plantTable(), { ...options, alpha: -0.1 })).toThrow(/--alpha/);
    expect(epochs).toBe(0);
    expect(() => checkTrainingRunOptions(plantTable(), { inverse: true, alpha: Number.NaN })).toThrow(/--alpha/);
  });

  it('bad network options: hidden widths, activation, learning rate, epochs', () => {
    expect(() => checkTrainingRunOptions(plantTable(), { network: { hidden: [64, 0] } })).toThrow(/--hidden/);
    expect(() => checkTrainingRunOptions(plantTable(), { network: { activation: 'sigmoid' as never } })).toThrow(/--activation must be one of relu, tanh/);
    expect(() => checkTrainingRunOptions(plantTable(), { network: { learningRate: -1 } })).toThrow(/--lr/);
    expect(() => checkTrainingRunOptions(plantTable(), { network: { epochs: 0 } })).toThrow(/--epochs/);
  });

  it('names that do not match the columns, rows that do not match', () => {
    const table = plantTable();
    expect(() => prepareData({ ...table, inputNames: table.inputNames.slice(1) }, { seed: 1 })).toThrow(InversaError);
    expect(() => prepareData({ ...table, y: new Matrix(5, 4, new Float64Array(20).fill(1)) }, { seed: 1 })).toThrow(/rows/);
  });
});

describe('split', () => {
  it('is a seeded partition: disjoint, complete, 70/15/15, reproducible', () => {
    const a = splitRows(1000, { seed: 42 }), b = splitRows(1000, { seed: 42 }), c = splitRows(1000, { seed: 43 });
    expect([a.train.length, a.validation.length, a.test.length]).toEqual([700, 150, 150]);
    const all = [...a.train, ...a.validation, ...a.test].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 1000 }, (_, k) => k));
    expect(Array.from(b.test)).toEqual(Array.from(a.test));
    expect(Array.from(c.test)).not.toEqual(Array.from(a.test));
  });

  it('standardization is fitted on the training rows only', () => {
    const data = prepareData(plantTable(300), { seed: 3 });
    const train = data.split.train;
    let mean = 0;
    for (const row of train) mean += data.table.x.data[row * 7];
    mean /= train.length;
    expect(data.inputScaling.mean[0]).toBeCloseTo(mean, 10);
  });
});

describe('PCA on standardized inputs', () => {
  // Correlated 5-D data with very different column scales.
  const random = new Random(4);
  const rows = 400;
  const x = new Matrix(rows, 5);
  for (let r = 0; r < rows; r++) {
    const a = random.normal(), b = random.normal();
    const row = [a, 2 * a + 0.1 * random.normal(), b, a - b + 0.3 * random.normal(), random.normal()];
    row.forEach((value, j) => (x.data[r * 5 + j] = value));
  }
  const projection = fitInputProjection(x, { components: 3 });

  it('directions and variance shares equal the eigen-decomposition of the covariance (ml-matrix)', () => {
    const reference = new MlMatrix(x.toArray());
    const centred = reference.subRowVector(reference.mean('column'));
    const covariance = centred.transpose().mmul(centred).div(rows - 1);
    const eigen = new EigenvalueDecomposition(covariance);
    const order = eigen.realEigenvalues.map((value, index) => ({ value, index })).sort((p, q) => q.value - p.value);
    const total = order.reduce((sum, entry) => sum + entry.value, 0);
    order.forEach((entry, i) => expect(projection.explainedVarianceRatio[i]).toBeCloseTo(entry.value / total, 10));
    for (let i = 0; i < 3; i++) {
      const vector = eigen.eigenvectorMatrix.getColumn(order[i].index);
      const dot = vector.reduce((sum, value, j) => sum + value * projection.weight[i * 5 + j], 0);
      expect(Math.abs(dot)).toBeCloseTo(1, 8);
    }
  });

  it('scores of the training rows are centred and uncorrelated', () => {
    const scores = new Float64Array(rows * 3);
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < 3; i++) {
        let sum = projection.bias[i];
        for (let j = 0; j < 5; j++) sum += projection.weight[i * 5 + j] * x.data[r * 5 + j];
        scores[r * 3 + i] = sum;
      }
    }
    for (let i = 0; i < 3; i++) {
      let mean = 0;
      for (let r = 0; r < rows; r++) mean += scores[r * 3 + i];
      expect(Math.abs(mean / rows)).toBeLessThan(1e-10);
      for (let k = i + 1; k < 3; k++) {
        let cross = 0;
        for (let r = 0; r < rows; r++) cross += scores[r * 3 + i] * scores[r * 3 + k];
        expect(Math.abs(cross / rows)).toBeLessThan(1e-10);
      }
    }
  });

  it('variance to keep picks the smallest K reaching it', () => {
    const ratios = projection.explainedVarianceRatio;
    const target = ratios[0] + ratios[1] * 0.5;
    expect(fitInputProjection(x, { varianceToKeep: target }).outputs).toBe(2);
    expect(fitInputProjection(x, { varianceToKeep: 1 }).outputs).toBe(5);
  });
});

describe('data hash', () => {
  it('SHA-256 matches node:crypto for lengths around the 64-byte block boundary', () => {
    for (const length of [0, 1, 55, 56, 63, 64, 65, 200, 1000]) {
      const bytes = Uint8Array.from({ length }, (_, k) => (k * 37 + 11) & 255);
      expect(sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('changes when one value or one name changes', () => {
    const table = plantTable(20);
    const base = trainingDataHash(table.x, table.y, table.inputNames, table.outputNames);
    const y = table.y.clone();
    y.data[5] += 1e-9;
    expect(trainingDataHash(table.x, y, table.inputNames, table.outputNames)).not.toBe(base);
    expect(trainingDataHash(table.x, table.y, ['a', ...table.inputNames.slice(1)], table.outputNames)).not.toBe(base);
    expect(base).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
