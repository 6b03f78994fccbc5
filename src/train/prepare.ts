// Everything done to the data before a network sees it, checked up front so that bad input fails
// before any training starts: shapes and names, a seeded split, standardization fitted on the
// training rows, and optional PCA on the standardized inputs (never on raw units: the reference
// project's unscaled PCA silently dropped the O2 and wind directions).
import { InvalidArgumentError, ShapeError } from '../core/index.ts';
import { Matrix } from '../linalg/index.ts';
import type { Bounds, Scaling } from '../model/index.ts';
import { checkPcaOptions, fitInputProjection, type InputProjection, type PcaOptions, projectRows } from './pca-projection.ts';
import { fitScaling, standardizeRows } from './scaling.ts';
import { type DataSplit, selectRows, splitRows } from './split.ts';

export type { InputProjection, PcaOptions } from './pca-projection.ts';
export { projectRows } from './pca-projection.ts';

/** A training table: N rows of inputs x (N×n) and outputs y (N×m) with names and optional units. */
export interface TrainingTable {
  x: Matrix;
  y: Matrix;
  inputNames: string[];
  outputNames: string[];
  inputUnits?: string[];
  outputUnits?: string[];
  /** Operating box of the inputs; when absent the box of the data is used. */
  bounds?: Bounds;
  /** Where the data came from, e.g. "dataset:plant" or a file name. */
  source?: string;
}

export interface PrepareOptions {
  seed: number;
  validationFraction?: number;
  testFraction?: number;
  pca?: PcaOptions;
}

export interface PreparedData {
  table: TrainingTable;
  split: DataSplit;
  inputScaling: Scaling;
  outputScaling: Scaling;
  projection?: InputProjection;
  /** Standardized inputs and outputs of every row (row-major, n and m columns). */
  xStandardized: Float64Array;
  yStandardized: Float64Array;
  /** What the forward net reads: the PCA scores, or the standardized inputs without PCA. */
  features: Float64Array;
  featureCount: number;
}

/** Validate the table, split it with the seed, fit scalings (and PCA) on the training rows. */
export function prepareData(table: TrainingTable, options: PrepareOptions): PreparedData {
  const x = Matrix.from(table.x, 'inputs x');
  const y = Matrix.from(table.y, 'outputs y');
  if (x.rows !== y.rows) throw new ShapeError(`inputs x has ${x.rows} rows but outputs y has ${y.rows}; every row needs both`);
  checkNames(table.inputNames, x.cols, 'input');
  checkNames(table.outputNames, y.cols, 'output');
  checkUnits(table.inputUnits, x.cols, 'input');
  checkUnits(table.outputUnits, y.cols, 'output');
  if (options.pca) checkPcaOptions(options.pca, x.cols);
  const split = splitRows(x.rows, { seed: options.seed, validation: options.validationFraction, test: options.testFraction });
  const inputScaling = fitScaling(selectRows(x, split.train), table.inputNames, 'input');
  const outputScaling = fitScaling(selectRows(y, split.train), table.outputNames, 'output');
  const xStandardized = standardizeRows(x, inputScaling);
  const yStandardized = standardizeRows(y, outputScaling);
  let projection: InputProjection | undefined;
  let features = xStandardized;
  let featureCount = x.cols;
  if (options.pca) {
    const trainStandardized = selectRows(new Matrix(x.rows, x.cols, xStandardized), split.train);
    if (options.pca.components !== undefined && options.pca.components > split.train.length) {
      throw new InvalidArgumentError(`--pca ${options.pca.components} needs at least as many training rows, got ${split.train.length}`);
    }
    projection = fitInputProjection(trainStandardized, options.pca);
    featureCount = projection.outputs;
    features = projectRows(xStandardized, x.rows, projection);
  }
  return { table: { ...table, x, y }, split, inputScaling, outputScaling, projection, xStandardized, yStandardized, features, featureCount };
}

function checkNames(names: readonly string[], count: number, role: string): void {
  if (!Array.isArray(names) || names.length !== count) {
    throw new ShapeError(`${role} names: got ${names?.length ?? 0} (${(names ?? []).join(', ')}) for ${count} ${role} columns`);
  }
}

function checkUnits(units: readonly string[] | undefined, count: number, role: string): void {
  if (units !== undefined && units.length !== count) {
    throw new ShapeError(`${role} units: got ${units.length} for ${count} ${role} columns`);
  }
}
