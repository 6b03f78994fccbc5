// The exact MILP of a PwlNetwork over the input box (big-M with per-neuron bounds, as OMLT's
// "bigm" ReLU formulation). Columns: inputs x (0..n−1, box bounds), neuron outputs y_k (column
// n + k, so an affine expression's variable indices are its column indices), then one binary δ per
// unstable neuron, then whatever a question adds. For z = pre_k with bounds [l, u]:
//   stably inactive (u ≤ 0):  y = 0 (fixed column, no rows)
//   stably active   (l ≥ 0):  y = z
//   unstable:                 y ≥ z,  y ≤ z − l·(1 − δ),  y ≤ u·δ,  y ≥ 0,  δ ∈ {0, 1}
// which is exact: δ = 1 forces y = z ≥ 0, δ = 0 forces y = 0 ≥ z. Rows are stored in CSR order as
// plain typed arrays (the shape HiGHS's createModel takes); nothing here depends on the solver.
import type { Bounds } from '../model/index.ts';
import type { NeuronBounds } from './bounds.ts';
import { evaluateAffine, evaluateVariables, type Affine, type PwlNetwork } from './network.ts';

export interface MilpProblem {
  numCols: number;
  numRows: number;
  sense: 'minimize' | 'maximize';
  offset: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  integrality: Int32Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  /** CSR: row r occupies starts[r]..starts[r + 1] of indices/values. */
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

/** Growable column and row lists; build() packs them into a MilpProblem. */
export class MilpBuilder {
  private readonly lowerCols: number[] = [];
  private readonly upperCols: number[] = [];
  private readonly integer: number[] = [];
  private readonly cost = new Map<number, number>();
  private readonly rowLo: number[] = [];
  private readonly rowHi: number[] = [];
  private readonly starts: number[] = [0];
  private readonly indices: number[] = [];
  private readonly values: number[] = [];
  sense: 'minimize' | 'maximize' = 'minimize';
  offset = 0;

  get columnCount(): number {
    return this.lowerCols.length;
  }

  addColumn(lower: number, upper: number, isInteger = false): number {
    this.lowerCols.push(lower);
    this.upperCols.push(upper);
    this.integer.push(isInteger ? 1 : 0);
    return this.lowerCols.length - 1;
  }

  /** lower ≤ Σ values[t]·column[indices[t]] ≤ upper. */
  addRow(indices: ArrayLike<number>, values: ArrayLike<number>, lower: number, upper: number): void {
    for (let t = 0; t < indices.length; t++) {
      if (values[t] === 0) continue;
      this.indices.push(indices[t]);
      this.values.push(values[t]);
    }
    this.starts.push(this.indices.length);
    this.rowLo.push(lower);
    this.rowHi.push(upper);
  }

  /** lower ≤ expression + Σ extra ≤ upper (expression over network variables = columns). */
  addExpressionRow(expression: Affine, lower: number, upper: number, extraIndices: number[] = [], extraValues: number[] = []): void {
    this.addRow([...expression.index, ...extraIndices], [...expression.coef, ...extraValues], lower - expression.constant, upper - expression.constant);
  }

  /** Objective: minimize or maximize the expression (plus any costs set before). */
  setObjective(expression: Affine, sense: 'minimize' | 'maximize'): void {
    this.sense = sense;
    this.offset += expression.constant;
    for (let t = 0; t < expression.index.length; t++) this.addCost(expression.index[t], expression.coef[t]);
  }

  addCost(column: number, value: number): void {
    this.cost.set(column, (this.cost.get(column) ?? 0) + value);
  }

  build(): MilpProblem {
    const numCols = this.lowerCols.length;
    const colCost = new Float64Array(numCols);
    for (const [column, value] of this.cost) colCost[column] = value;
    return {
      numCols, numRows: this.rowLo.length, sense: this.sense, offset: this.offset, colCost,
      colLower: Float64Array.from(this.lowerCols), colUpper: Float64Array.from(this.upperCols),
      integrality: Int32Array.from(this.integer),
      rowLower: Float64Array.from(this.rowLo), rowUpper: Float64Array.from(this.rowHi),
      starts: Int32Array.from(this.starts), indices: Int32Array.from(this.indices), values: Float64Array.from(this.values),
    };
  }
}

export interface NetworkEncoding {
  builder: MilpBuilder;
  /** Number of binaries (unstable neurons). */
  binaries: number;
  /** Column of each neuron's binary, −1 for stable neurons. */
  deltaOf: Int32Array;
}

/** A full column vector of the encoding at input x (for HiGHS as a starting solution); extra columns 0. */
export function startColumns(network: PwlNetwork, encoding: NetworkEncoding, x: ArrayLike<number>, numCols: number): Float64Array {
  const values = evaluateVariables(network, x);
  const columns = new Float64Array(numCols);
  columns.set(values);
  const n = network.inputCount;
  for (let k = 0; k < network.pre.length; k++) {
    const delta = encoding.deltaOf[k];
    if (delta >= 0) columns[delta] = evaluateAffine(network.pre[k], values) > 0 ? 1 : 0;
  }
  void n;
  return columns;
}

/** The network's exact MILP over the box; questions add their rows and objective to the builder. */
export function encodeNetwork(network: PwlNetwork, box: Bounds, bounds: NeuronBounds): NetworkEncoding {
  const builder = new MilpBuilder();
  const n = network.inputCount, count = network.pre.length;
  for (let j = 0; j < n; j++) builder.addColumn(box.lower[j], box.upper[j]);
  for (let k = 0; k < count; k++) {
    const l = bounds.lower[k], u = bounds.upper[k];
    builder.addColumn(Math.max(0, l), Math.max(0, u));
  }
  let binaries = 0;
  const deltaOf = new Int32Array(count).fill(-1);
  for (let k = 0; k < count; k++) {
    const l = bounds.lower[k], u = bounds.upper[k], y = n + k, pre = network.pre[k];
    if (u <= 0) continue;
    if (l >= 0) {
      builder.addExpressionRow(pre, 0, 0, [y], [-1]); // z − y = 0
      continue;
    }
    const delta = builder.addColumn(0, 1, true);
    deltaOf[k] = delta;
    binaries++;
    builder.addExpressionRow(pre, -Infinity, 0, [y], [-1]); //        z − y ≤ 0
    builder.addExpressionRow(pre, l, Infinity, [y, delta], [-1, l]); //  z − y + l·δ ≥ l  (y ≤ z − l(1 − δ))
    builder.addRow([y, delta], [1, -u], -Infinity, 0); //             y − u·δ ≤ 0
  }
  return { builder, binaries, deltaOf };
}
