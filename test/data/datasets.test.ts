// The built-in datasets: names, units, box and scales as the spec (shared/seeds/README.md and the
// issue) states them; outputs equal to the documented forward function (plus the stated noise);
// exact Jacobians (central differences); reproducible draws; honest labels (plant is SYNTHETIC).
import { describe, expect, it } from 'vitest';
import { datasetCsvComment, datasetNames, DATASETS, generateDataset, getDataset } from '../../src/data/datasets/index.ts';
import { PLANT_NOISE_FRACTION, PLANT_OUTPUT_SCALE } from '../../src/data/datasets/plant.ts';
import { InversaError } from '../../src/core/errors.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { kruseArm, sineModel } from '../../src/model/functions.ts';

function columnStats(matrix: Matrix, j: number): { mean: number; std: number; min: number; max: number } {
  const values = matrix.column(j);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return { mean, std, min: Math.min(...values), max: Math.max(...values) };
}

describe('dataset list', () => {
  it('has arm, plant, sine and ballistics', () => {
    expect(datasetNames()).toEqual(['arm', 'plant', 'sine', 'ballistics']);
  });

  it('an unknown name is an InversaError listing the available datasets', () => {
    expect(() => getDataset('plnt')).toThrow(InversaError);
    expect(() => getDataset('plnt')).toThrow(/available: arm, plant, sine, ballistics/);
    expect(() => generateDataset('plant', 0, 1)).toThrow(/rows/);
  });
});

describe('plant (synthetic blast-furnace-shaped process)', () => {
  const plant = generateDataset('plant', 4000, 42);

  it('uses the reference names, in the deployed order, and the reference operating box', () => {
    expect(plant.inputNames).toEqual(['h2i_rate', 'pci_rate', 'ngi_rate', 'o2_volfract', 'h2_temp', 'hbtemp', 'wind_rt']);
    expect(plant.outputNames).toEqual(['tgt', 'hmt', 'prod_rt', 'fta']);
    // README: h2i 0–100, pci 0–300, ngi 0–300, o2 21–40, h2_temp 0–1500, hbtemp 1200–1500, wind 150–250.
    expect(Array.from(plant.bounds!.lower)).toEqual([0, 0, 0, 21, 0, 1200, 150]);
    expect(Array.from(plant.bounds!.upper)).toEqual([100, 300, 300, 40, 1500, 1500, 250]);
    for (let j = 0; j < 7; j++) {
      const { min, max } = columnStats(plant.inputs, j);
      expect(min).toBeGreaterThanOrEqual(plant.bounds!.lower[j]);
      expect(max).toBeLessThanOrEqual(plant.bounds!.upper[j]);
      // Uniform in the box: both ends are reached to within 1 % of the width with 4000 draws.
      const width = plant.bounds!.upper[j] - plant.bounds!.lower[j];
      expect(min - plant.bounds!.lower[j]).toBeLessThan(0.01 * width);
      expect(plant.bounds!.upper[j] - max).toBeLessThan(0.01 * width);
    }
  });

  it('has outputs on the reference scales (means 97.9, 1292.4, 8446.6, 2307.1; stds 50.8, 525.5, 1510.8, 211.6)', () => {
    const means = [97.9, 1292.4, 8446.6, 2307.1];
    const stds = [50.8, 525.5, 1510.8, 211.6];
    for (let i = 0; i < 4; i++) {
      const { mean, std } = columnStats(plant.outputs, i);
      expect(Math.abs(mean - means[i])).toBeLessThan(0.5 * stds[i]);
      expect(std / stds[i]).toBeGreaterThan(0.5);
      expect(std / stds[i]).toBeLessThan(1.5);
    }
  });

  it('outputs = noise-free function + Gaussian noise of 1 % of each output scale', () => {
    const clean = getDataset('plant').model().forward(plant.inputs);
    for (let i = 0; i < 4; i++) {
      let sum = 0, squares = 0;
      for (let r = 0; r < plant.rows; r++) {
        const noise = plant.outputs.data[r * 4 + i] - clean.data[r * 4 + i];
        sum += noise;
        squares += noise * noise;
      }
      const std = Math.sqrt(squares / plant.rows);
      const expected = PLANT_NOISE_FRACTION * PLANT_OUTPUT_SCALE[i];
      // Sample std of 4000 normals is within ±5 % of σ with overwhelming probability; mean within 4σ/√N.
      expect(std / expected).toBeGreaterThan(0.95);
      expect(std / expected).toBeLessThan(1.05);
      expect(Math.abs(sum / plant.rows)).toBeLessThan((4 * expected) / Math.sqrt(plant.rows));
    }
  });

  it('says plainly that it is synthetic (definition, description, CSV comment)', () => {
    expect(getDataset('plant').synthetic).toBe(true);
    expect(plant.description).toMatch(/SYNTHETIC/);
    const comment = datasetCsvComment(plant);
    expect(comment.split('\n')[0]).toMatch(/^SYNTHETIC DATA/);
    expect(comment).toMatch(/operating box: h2i_rate 0–100/);
  });

  it('its Jacobian is exact (central differences) and of full rank 4 at random points', () => {
    const model = getDataset('plant').model();
    const x = plant.inputs;
    const points = new Matrix(5, 7, x.data.slice(0, 35));
    const jacobian = model.jacobian(points);
    for (let p = 0; p < 5; p++) {
      for (let j = 0; j < 7; j++) {
        const width = getDataset('plant').bounds!.upper[j] - getDataset('plant').bounds!.lower[j];
        const step = 1e-6 * width;
        const plus = new Matrix(1, 7, points.row(p)), minus = new Matrix(1, 7, points.row(p));
        plus.data[j] += step;
        minus.data[j] -= step;
        const yPlus = model.forward(plus).data, yMinus = model.forward(minus).data;
        for (let i = 0; i < 4; i++) {
          const numeric = (yPlus[i] - yMinus[i]) / (2 * step);
          const analytic = jacobian.data[p * 28 + i * 7 + j];
          expect(Math.abs(analytic - numeric)).toBeLessThan(1e-6 * (PLANT_OUTPUT_SCALE[i] / width) + 1e-7 * Math.abs(numeric));
        }
      }
    }
  });
});

describe('arm (Kruse et al. 4-DOF)', () => {
  const arm = generateDataset('arm', 4000, 7);

  it('outputs are exactly kruseArm(x), and the arm at x = 0 reaches (2, 0)', () => {
    expect(Array.from(arm.outputs.data)).toEqual(Array.from(kruseArm().forward(arm.inputs).data));
    expect(Array.from(getDataset('arm').model().forward(new Matrix(1, 4)).data)).toEqual([2, 0]);
  });

  it('draws inputs from the prior N(0, diag(0.25², 0.5², 0.5², 0.5²))', () => {
    const stds = [0.25, 0.5, 0.5, 0.5];
    for (let j = 0; j < 4; j++) {
      const { mean, std } = columnStats(arm.inputs, j);
      expect(Math.abs(mean)).toBeLessThan((4 * stds[j]) / Math.sqrt(4000));
      expect(std / stds[j]).toBeGreaterThan(0.95);
      expect(std / stds[j]).toBeLessThan(1.05);
    }
  });
});

describe('sine and ballistics', () => {
  it('sine: y = sin(3π x1) + cos(3π x2) with x in [−1, 1]² (the benchmark prior)', () => {
    const sine = generateDataset('sine', 500, 1);
    expect(Array.from(sine.outputs.data)).toEqual(Array.from(sineModel().forward(sine.inputs).data));
    for (let r = 0; r < 5; r++) {
      const [a, b] = sine.inputs.row(r);
      expect(sine.outputs.data[r]).toBeCloseTo(Math.sin(3 * Math.PI * a) + Math.cos(3 * Math.PI * b), 14);
    }
    expect(Math.min(...sine.inputs.data)).toBeGreaterThanOrEqual(-1);
    expect(Math.min(...sine.inputs.data)).toBeLessThan(-0.9);
    expect(Math.max(...sine.inputs.data)).toBeLessThan(1);
  });

  it('ballistics: a throw with v0 = 0 lands at x1; every throw lands ahead of its start', () => {
    const ballistics = generateDataset('ballistics', 300, 2);
    expect(ballistics.inputNames).toEqual(['x1', 'x2', 'angle', 'v0']);
    // Speed 0: the projectile falls straight down and lands at x1.
    const drop = getDataset('ballistics').model().forward(new Matrix(1, 4, Float64Array.from([0.7, 1.5, 0.5, 0])));
    expect(drop.data[0]).toBeCloseTo(0.7, 12);
    // Every throw goes forward (angles in (0, π/2), v0 ≥ 0): landing x ≥ x1.
    for (let r = 0; r < ballistics.rows; r++) expect(ballistics.outputs.data[r]).toBeGreaterThanOrEqual(ballistics.inputs.data[r * 4] - 1e-12);
  });
});

describe('reproducibility', () => {
  it('same name, rows and seed → identical table; another seed → another table', () => {
    for (const dataset of DATASETS) {
      const a = generateDataset(dataset.name, 50, 9), b = generateDataset(dataset.name, 50, 9), c = generateDataset(dataset.name, 50, 10);
      expect(Array.from(b.inputs.data)).toEqual(Array.from(a.inputs.data));
      expect(Array.from(b.outputs.data)).toEqual(Array.from(a.outputs.data));
      expect(Array.from(c.inputs.data)).not.toEqual(Array.from(a.inputs.data));
    }
  });
});
