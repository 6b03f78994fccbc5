// What a built-in dataset is: a known forward function (so every inverse can be checked by
// re-simulation), a way to draw inputs, names, units and an operating box. Generated tables are
// reproducible: the same name, row count and seed always give the same numbers.
import type { Matrix, Random } from '../../linalg/index.ts';
import type { Bounds, Model } from '../../model/index.ts';

export interface DatasetDefinition {
  name: string;
  /** One line for `inversa datasets`. */
  summary: string;
  /** A few sentences: where the function comes from, how inputs are drawn, noise, and whether it is synthetic. */
  description: string;
  inputNames: string[];
  outputNames: string[];
  inputUnits: string[];
  outputUnits: string[];
  /** Operating box of the inputs, when the dataset has one (drawn inputs lie inside it). */
  bounds?: Bounds;
  /** True for made-up processes (plant): every export and doc says so. */
  synthetic: boolean;
  /** Standard deviation of the added output noise as a fraction of each output's scale (0: noise-free). */
  noiseFraction: number;
  /** Rows `inversa datasets export` writes when --rows is not given. */
  defaultRows: number;
  /** The noise-free forward function with its exact Jacobian. */
  model(): Model;
  /** Draw `rows` input points (rows×n) from the dataset's input distribution. */
  sampleInputs(rows: number, random: Random): Matrix;
  /** Add the dataset's output noise in place (no-op for noise-free datasets). */
  addNoise(outputs: Matrix, random: Random): void;
}

/** A generated table: inputs, outputs (with noise, if the dataset has any) and what they are. */
export interface GeneratedDataset {
  name: string;
  inputNames: string[];
  outputNames: string[];
  inputs: Matrix;
  outputs: Matrix;
  units: { inputs: string[]; outputs: string[] };
  bounds?: Bounds;
  description: string;
  synthetic: boolean;
  rows: number;
  seed: number;
}
