// Column standardization fitted on the training rows: z = (v − mean) / std. The statistics are
// stored in the exported model (MlpSpec inputScaling/outputScaling), so the network always sees
// the units it was trained in. A constant column cannot be standardized: that is an error that
// names the column, raised before any training starts.
import { InvalidArgumentError } from '../core/index.ts';
import { type Matrix, columnMeanAndStd } from '../linalg/index.ts';
import type { Scaling } from '../model/index.ts';

/** A column whose standard deviation is below this fraction of its magnitude counts as constant. */
export const CONSTANT_RELATIVE_TOLERANCE = 1e-12;

/** Mean and population standard deviation (ddof 0, as scikit-learn's StandardScaler) of each column. */
export function fitScaling(matrix: Matrix, names: readonly string[], role: 'input' | 'output'): Scaling {
  const { rows, cols } = matrix;
  const { mean, std } = columnMeanAndStd(matrix, 0);
  for (let j = 0; j < cols; j++) {
    if (!(std[j] > CONSTANT_RELATIVE_TOLERANCE * Math.abs(mean[j]))) {
      throw new InvalidArgumentError(
        `${role} column "${names[j] ?? `#${j + 1}`}" is constant on the ${rows} training rows (value ${mean[j]}): ` +
          `cannot standardize a column with zero standard deviation; drop it from the ${role}s or use data where it varies`,
      );
    }
  }
  return { mean, std };
}

/** (v − mean) / std for every row, as a new row-major Float64Array. */
export function standardizeRows(matrix: Matrix, scaling: Scaling): Float64Array {
  const { rows, cols, data } = matrix;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[i * cols + j] = (data[i * cols + j] - scaling.mean[j]) / scaling.std[j];
  }
  return out;
}

/** z · std + mean for every row of a standardized rows×cols array, in place. */
export function unstandardizeInPlace(values: Float64Array, cols: number, scaling: Scaling): Float64Array {
  for (let k = 0; k < values.length; k++) {
    const j = k % cols;
    values[k] = values[k] * scaling.std[j] + scaling.mean[j];
  }
  return values;
}
