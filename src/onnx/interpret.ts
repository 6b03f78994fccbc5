// The Float64 interpreter of an ONNX graph with exact reverse-mode Jacobians.
//
// Compilation (once): check the graph has one [batch, n] input, pick the output, keep only the nodes
// it needs in dependency order, fold every node that does not depend on the input into a constant,
// and refuse unsupported operators (or opsets outside a rule's range, or a value that must be
// constant but depends on the input) with one error naming every blocking node (support.ts).
//
// Evaluation (per block of rows): one forward sweep over the live nodes, then — for Jacobians — one
// reverse sweep that carries all m output components at once. The adjoint of a value with dims d is
// m consecutive blocks of size(d) ("seeds"), so a dense layer's backward step is a single
// (m·rows)×C by C×K product. Reverse mode is chosen because these models have fewer outputs than
// inputs (m = 4 < n = 7 for the reference models); every row of the batch is independent, so one
// sweep yields the Jacobians of all rows. Buffers belong to the nodes and are reused between calls:
// the sweeps allocate nothing per point.
//
// Fast path: a graph that is a plain MLP chain (kernels/dense-chain.ts; layer normalizations between
// a dense layer and its activation included) is evaluated by MlpModel
// with the whole chain resident in the WebAssembly heap, while the WASM kernels are active — after
// checking on probe rows that it reproduces this interpreter.
import { OnnxFormatError, UnsupportedOperatorError } from './errors.ts';
import { isFloatType, type GraphNode, type OnnxGraph } from './graph.ts';
import { constantInterval, intervalOfNode, type IntervalTensor } from './intervals.ts';
import { DenseChainEvaluator, denseChainSpec } from './dense-chain.ts';
import { operatorRule } from './ops/registry.ts';
import type { BackwardContext, ForwardContext, OperatorRule } from './ops/types.ts';
import { blockersText, operatorBlockers, qualifiedOperator, type BlockingNode } from './support.ts';
import { dimsText, type Tensor } from './tensor.ts';

/** Rows evaluated alone and in a batch agree to rounding (the sums are the same, so ~ε). */
const ROW_INDEPENDENCE_TOLERANCE = 1e-9;
/** The MLP fast path must reproduce the interpreter to this fraction of the largest value (folding only changes rounding). */
const FAST_PATH_TOLERANCE = 1e-9;
/** Rows of the fast-path probe. */
const PROBE_ROWS = 5;

const EMPTY = new Float64Array(0);

/** Reusable per-node storage; arrays grow to the largest size asked for and are viewed at the size needed. */
class NodeStorage {
  private readonly arrays = new Map<string, Float64Array>();
  private readonly memos = new Map<string, unknown>();

  array(key: string, size: number): Float64Array {
    let array = this.arrays.get(key);
    if (!array || array.length < size) {
      array = new Float64Array(size);
      this.arrays.set(key, array);
    }
    return array.length === size ? array : array.subarray(0, size);
  }

  memo<T>(key: string, make: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, make());
    return this.memos.get(key) as T;
  }
}

interface CompiledNode {
  node: GraphNode;
  rule: OperatorRule;
  /** Value slot of each input (−1 for an omitted optional input). */
  inputSlots: number[];
  outputSlots: number[];
  storage: NodeStorage;
  forwardContext: ForwardContext;
  /** Which outputs carry a derivative. */
  differentiableOutputs: boolean[];
}

export interface ProgramOptions {
  /** Name of the graph output to use (default: the first). */
  output?: string;
  /** File name for error messages. */
  source?: string;
}

/** A compiled graph: evaluates y = f(x) and the exact Jacobians for blocks of rows of x. */
export class OnnxProgram {
  readonly inputName: string;
  readonly outputName: string;
  readonly inputCount: number;
  /** m, the number of output columns (found by a probe evaluation). */
  readonly outputCount: number;
  /** Element type of the graph input as declared in the file. */
  readonly inputElementType: string;

  private readonly liveNodes: CompiledNode[];
  private readonly values: (Tensor | undefined)[];
  private readonly constantValues: (Tensor | undefined)[];
  /** Whether each slot depends differentiably on the input. */
  private readonly differentiable: boolean[];
  private readonly adjoints: (Float64Array | undefined)[];
  /** Whether adjoints[slot] is the interpreter's own accumulation array for that slot (safe to add into). */
  private readonly ownsAdjoint: boolean[];
  private readonly accumulators: NodeStorage = new NodeStorage();
  private readonly inputSlot: number;
  private readonly outputSlot: number;
  /** The plain-MLP fast path, when the graph is one and it reproduces the interpreter on probe rows. */
  private readonly denseChain: DenseChainEvaluator | null = null;

  constructor(graph: OnnxGraph, options: ProgramOptions = {}) {
    const source = options.source ?? 'ONNX model';
    const input = checkSingleTableInput(graph, source);
    this.inputName = input.name;
    this.inputCount = input.columns;
    this.inputElementType = input.elementType;
    const output = graph.outputs.find((o) => o.name === (options.output ?? graph.outputs[0].name));
    if (!output) {
      throw new OnnxFormatError(`${source} has no output named '${options.output}'; its outputs are ${graph.outputs.map((o) => `'${o.name}'`).join(', ')}`);
    }
    this.outputName = output.name;

    // Slots: one per value name.
    const slotOf = new Map<string, number>();
    const slot = (name: string) => {
      let index = slotOf.get(name);
      if (index === undefined) { index = slotOf.size; slotOf.set(name, index); }
      return index;
    };
    this.inputSlot = slot(input.name);
    for (const name of graph.initializers.keys()) slot(name);
    const ordered = orderNeededNodes(graph, output.name, input.name, source);
    // Nodes refused for their operator or opset are not compiled, but the walk below still runs
    // through them (their outputs count as live), so one error names every blocking node.
    const blockers = operatorBlockers(ordered, graph.opset);
    const blocked = new Set(ordered.filter((n) => operatorBlockers([n], graph.opset).length > 0));
    for (const n of ordered) { n.inputs.forEach((v) => v && slot(v)); n.outputs.forEach((v) => v && slot(v)); }
    this.outputSlot = slot(output.name);

    const slotCount = slotOf.size;
    this.constantValues = new Array(slotCount).fill(undefined);
    for (const [name, value] of graph.initializers) this.constantValues[slotOf.get(name)!] = value;
    const live = new Array<boolean>(slotCount).fill(false);
    live[this.inputSlot] = true;
    this.differentiable = new Array<boolean>(slotCount).fill(false);
    this.differentiable[this.inputSlot] = true;
    // Whether each slot depends on the values (not only the shape) of the input.
    const valueDependent = new Array<boolean>(slotCount).fill(false);
    valueDependent[this.inputSlot] = true;

    // Values read by some needed node (or the output): an output nobody reads needs no derivative.
    const used = new Set<string>([output.name]);
    for (const node of ordered) for (const value of node.inputs) if (value) used.add(value);
    const late: BlockingNode[] = [];
    this.liveNodes = [];
    for (const node of ordered) {
      if (blocked.has(node)) {
        const inputSlots = node.inputs.map((v) => (v ? slotOf.get(v)! : -1));
        const dependsOnValues = inputSlots.some((s) => s >= 0 && valueDependent[s]);
        for (const value of node.outputs) {
          if (!value) continue;
          const s = slotOf.get(value)!;
          live[s] = true;
          valueDependent[s] = dependsOnValues;
          this.differentiable[s] = dependsOnValues;
        }
        continue;
      }
      const rule = operatorRule(node.opType, node.domain)!;
      const storage = new NodeStorage();
      const derivativeOutputs = rule.differentiableOutputs ?? [0];
      const compiled: CompiledNode = {
        node, rule, storage,
        inputSlots: node.inputs.map((v) => (v ? slotOf.get(v)! : -1)),
        outputSlots: node.outputs.map((v) => (v ? slotOf.get(v)! : -1)),
        forwardContext: {
          node,
          opset: graph.opset,
          buffer: (index, size) => storage.array(`forward${index}`, size),
          memo: (key, make) => storage.memo(key, make),
        },
        differentiableOutputs: node.outputs.map((_, k) => !!rule.backward && (derivativeOutputs === 'all' || derivativeOutputs.includes(k))),
      };
      const liveInputs = compiled.inputSlots.map((s) => s >= 0 && live[s]);
      // Arguments that must be constant may be computed from shapes, not from the input's values.
      for (const index of rule.constantInputs ?? []) {
        const s = compiled.inputSlots[index];
        if (s !== undefined && s >= 0 && valueDependent[s]) {
          late.push({ node: node.name, operator: qualifiedOperator(node), reason: `input #${index} ('${node.inputs[index]}') depends on the values of the model input; supported only constant (from the file or computed from shapes)` });
        }
      }
      if (liveInputs.some(Boolean)) {
        this.liveNodes.push(compiled);
        const carries = !!rule.backward && compiled.inputSlots.some((s) => s >= 0 && this.differentiable[s]);
        const dependsOnValues = !rule.shapeOnly && compiled.inputSlots.some((s) => s >= 0 && valueDependent[s]);
        compiled.outputSlots.forEach((s, k) => {
          if (s < 0) return;
          live[s] = true;
          valueDependent[s] = dependsOnValues;
          this.differentiable[s] = carries && compiled.differentiableOutputs[k];
          const constant = rule.constantOutputs?.includes(k) ?? false;
          if (carries && !compiled.differentiableOutputs[k] && !constant && used.has(node.outputs[k])) {
            late.push({ node: node.name, operator: qualifiedOperator(node), reason: `output #${k} ('${node.outputs[k]}') is used, but inversa differentiates only output #0 of ${node.opType}` });
          }
        });
      } else {
        // Constant folding: evaluate once now.
        const inputs = compiled.inputSlots.map((s) => (s >= 0 ? this.constantValues[s] : undefined));
        const outputs = rule.forward(inputs, compiled.forwardContext);
        compiled.outputSlots.forEach((s, k) => { if (s >= 0) this.constantValues[s] = outputs[k]; });
      }
    }
    if (blockers.length > 0 || late.length > 0) throw unsupportedError([...blockers, ...late], source);
    this.values = this.constantValues.slice();
    this.adjoints = new Array(slotCount).fill(undefined);
    this.ownsAdjoint = new Array<boolean>(slotCount).fill(false);

    // Probe with two rows to learn m and check that rows map to rows.
    const probe = this.evaluate(new Float64Array(2 * this.inputCount), 2);
    const dims = probe.dims;
    if (!((dims.length === 2 && dims[0] === 2) || (dims.length === 1 && dims[0] === 2))) {
      throw new OnnxFormatError(
        `${source}: output '${output.name}' has shape ${dimsText(dims)} for 2 input rows; inversa needs an output of shape [batch, m] (one row per input row)`);
    }
    this.outputCount = dims.length === 2 ? dims[1] : 1;
    this.checkRowsIndependent(source);
    this.denseChain = this.verifiedDenseChain();
  }

  /** True when rows are evaluated by the plain-MLP fast path (a dense chain, WebAssembly kernels active). */
  get usesDenseChain(): boolean {
    return this.denseChain?.active ?? false;
  }

  /** The fast path for a plain MLP chain if it agrees with the operator-by-operator sweep on probe rows. */
  private verifiedDenseChain(): DenseChainEvaluator | null {
    const spec = denseChainSpec({
      nodes: this.liveNodes, constants: this.constantValues, inputSlot: this.inputSlot, outputSlot: this.outputSlot,
      inputCount: this.inputCount, outputCount: this.outputCount,
    });
    if (!spec) return null;
    const chain = new DenseChainEvaluator(spec);
    const n = this.inputCount, m = this.outputCount, rows = PROBE_ROWS;
    const x = Float64Array.from({ length: rows * n }, (_, k) => Math.sin(1 + 0.7 * k) * (1 + (k % 3)));
    const expectedY = new Float64Array(rows * m), expectedJacobian = new Float64Array(rows * m * n);
    const actualY = new Float64Array(rows * m), actualJacobian = new Float64Array(rows * m * n);
    this.run(x, rows, expectedY, 0, expectedJacobian, 0);
    if (!chain.run(x, rows, actualY, 0, actualJacobian, 0)) return null;
    const agrees = (actual: Float64Array, expected: Float64Array): boolean => {
      const scale = expected.reduce((largest, v) => Math.max(largest, Math.abs(v)), 0);
      return actual.every((v, k) => Math.abs(v - expected[k]) <= FAST_PATH_TOLERANCE * scale);
    };
    return agrees(actualY, expectedY) && agrees(actualJacobian, expectedJacobian) ? chain : null;
  }

  /**
   * One reverse sweep serves all rows only if output row i depends on input row i alone. Check it on
   * two probe rows: evaluated together and one by one, outputs and Jacobians must agree.
   */
  private checkRowsIndependent(source: string): void {
    const n = this.inputCount, m = this.outputCount;
    const x = Float64Array.from({ length: 2 * n }, (_, k) => 0.25 + 0.375 * ((k * 7) % 5) - 0.5 * (k % 2));
    const pairY = new Float64Array(2 * m), pairJacobian = new Float64Array(2 * m * n);
    const singleY = new Float64Array(m), singleJacobian = new Float64Array(m * n);
    this.run(x, 2, pairY, 0, pairJacobian, 0);
    for (let row = 0; row < 2; row++) {
      this.run(x.slice(row * n, (row + 1) * n), 1, singleY, 0, singleJacobian, 0);
      const differs = (a: number, b: number) => Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) > ROW_INDEPENDENCE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
      const yDiffers = singleY.some((v, k) => differs(v, pairY[row * m + k]));
      const jacobianDiffers = singleJacobian.some((v, k) => differs(v, pairJacobian[row * m * n + k]));
      if (yDiffers || jacobianDiffers) {
        throw new OnnxFormatError(
          `${source}: output row ${row} depends on other rows of the batch (e.g. a normalization or reshape across the batch axis); inversa needs every row evaluated independently`);
      }
    }
  }

  /** Forward sweep over `rows` rows of x (row-major rows×n); returns the output tensor (node-owned). */
  private evaluate(x: Float64Array, rows: number): Tensor {
    const values = this.values;
    values[this.inputSlot] = { dims: [rows, this.inputCount], data: x };
    for (const compiled of this.liveNodes) {
      const inputs = compiled.inputSlots.map((s) => (s >= 0 ? values[s] : undefined));
      const outputs = compiled.rule.forward(inputs, compiled.forwardContext);
      const slots = compiled.outputSlots;
      for (let k = 0; k < slots.length; k++) if (slots[k] >= 0) values[slots[k]] = outputs[k];
    }
    const output = values[this.outputSlot];
    if (!output) throw new OnnxFormatError(`output '${this.outputName}' was not produced by the graph`);
    return output;
  }

  /**
   * Evaluate `rows` rows of x (row-major, rows×n). Writes y (rows×m) into `y` at `yOffset`, and when
   * `jacobian` is given the rows m×n Jacobians (point-major, like MatrixBatch) at `jacobianOffset`.
   */
  run(x: Float64Array, rows: number, y: Float64Array, yOffset: number, jacobian?: Float64Array, jacobianOffset = 0): void {
    const m = this.outputCount, n = this.inputCount;
    if (this.denseChain?.active && this.denseChain.run(x, rows, y, yOffset, jacobian, jacobianOffset)) return;
    const output = this.evaluate(x, rows);
    y.set(output.data.subarray(0, rows * m), yOffset);
    if (!jacobian) return;

    const adjoints = this.adjoints, owns = this.ownsAdjoint, values = this.values;
    adjoints.fill(undefined);
    owns.fill(false);
    // Seed: component s of the output adjoint is the unit vector e_s in every row.
    const seed = this.accumulators.array('seed', m * rows * m).fill(0);
    for (let s = 0; s < m; s++) for (let i = 0; i < rows; i++) seed[s * rows * m + i * m + s] = 1;
    adjoints[this.outputSlot] = seed;

    for (let index = this.liveNodes.length - 1; index >= 0; index--) {
      const compiled = this.liveNodes[index];
      if (!compiled.rule.backward) continue;
      const outputAdjoints = compiled.outputSlots.map((s, k) => (s >= 0 && compiled.differentiableOutputs[k] ? adjoints[s] : undefined));
      if (!outputAdjoints.some(Boolean)) continue;
      const needs = compiled.inputSlots.map((s) => s >= 0 && this.differentiable[s]);
      if (!needs.some(Boolean)) continue;
      const storage = compiled.storage;
      const context: BackwardContext = {
        node: compiled.node,
        opset: compiled.forwardContext.opset,
        inputs: compiled.inputSlots.map((s) => (s >= 0 ? values[s] : undefined)),
        outputs: compiled.outputSlots.map((s) => values[s]!),
        outputAdjoint: outputAdjoints[0] ?? EMPTY,
        outputAdjoints,
        seeds: m,
        needs,
        buffer: (k, size) => storage.array(`backward${k}`, size),
        scratch: (k, size) => storage.array(`scratch${k}`, size),
        memo: (key, make) => storage.memo(key, make),
      };
      const inputAdjoints = compiled.rule.backward(context);
      for (let k = 0; k < inputAdjoints.length; k++) {
        const contribution = inputAdjoints[k];
        if (contribution && needs[k]) this.accumulate(compiled.inputSlots[k], contribution);
      }
    }

    const inputAdjoint = adjoints[this.inputSlot];
    const stride = m * n;
    if (!inputAdjoint) {
      jacobian.fill(0, jacobianOffset, jacobianOffset + rows * stride);
      return;
    }
    // Adjoint layout [s][i][j] → Jacobian layout [i][s][j].
    for (let s = 0; s < m; s++) {
      for (let i = 0; i < rows; i++) {
        const from = s * rows * n + i * n, to = jacobianOffset + i * stride + s * n;
        for (let j = 0; j < n; j++) jacobian[to + j] = inputAdjoint[from + j];
      }
    }
  }

  /**
   * Sound interval bounds of the output over the box [lower, upper] (length n each): one interval
   * sweep over the live nodes (onnx/intervals.ts), the box as a single row.
   */
  outputBounds(lower: Float64Array, upper: Float64Array): { lower: Float64Array; upper: Float64Array } {
    const n = this.inputCount, m = this.outputCount;
    const intervals: (IntervalTensor | undefined)[] = this.constantValues.map((value) => (value ? constantInterval(value) : undefined));
    intervals[this.inputSlot] = { dims: [1, n], lo: Float64Array.from(lower), hi: Float64Array.from(upper) };
    for (const compiled of this.liveNodes) {
      const inputs = compiled.inputSlots.map((s) => (s >= 0 ? intervals[s] : undefined));
      const outputs = intervalOfNode(compiled.node, compiled.rule, inputs, compiled.forwardContext.opset);
      compiled.outputSlots.forEach((s, k) => {
        if (s < 0) return;
        intervals[s] = outputs[k] ?? { dims: outputs[0].dims, lo: new Float64Array(outputs[0].lo.length).fill(-Infinity), hi: new Float64Array(outputs[0].lo.length).fill(Infinity) };
      });
    }
    const output = intervals[this.outputSlot]!;
    return { lower: output.lo.slice(0, m), upper: output.hi.slice(0, m) };
  }

  /** Add a contribution to the adjoint of a slot, copying into an owned array before the first sum. */
  private accumulate(slot: number, contribution: Float64Array): void {
    const current = this.adjoints[slot];
    if (!current) {
      this.adjoints[slot] = contribution;
      return;
    }
    let target = current;
    if (!this.ownsAdjoint[slot]) {
      target = this.accumulators.array(`slot${slot}`, current.length);
      target.set(current);
      this.adjoints[slot] = target;
      this.ownsAdjoint[slot] = true;
    }
    for (let e = 0; e < target.length; e++) target[e] += contribution[e];
  }
}

/** The graph's one input, which must be a float [batch, n] table with n known. */
function checkSingleTableInput(graph: OnnxGraph, source: string): { name: string; columns: number; elementType: string } {
  if (graph.inputs.length !== 1) {
    throw new OnnxFormatError(
      `${source} has ${graph.inputs.length} inputs (${graph.inputs.map((i) => `'${i.name}'`).join(', ')}); inversa needs a single input of shape [batch, n]`);
  }
  const input = graph.inputs[0];
  const shape = input.shape;
  if (!shape || shape.length !== 2 || typeof shape[1] !== 'number') {
    throw new OnnxFormatError(
      `${source}: input '${input.name}' has shape ${shape ? dimsText(shape) : 'unknown'}; inversa needs a single input of shape [batch, n] (one row of n numbers per point), not images or sequences`);
  }
  if (!isFloatType(input.elementType)) {
    throw new OnnxFormatError(`${source}: input '${input.name}' has element type ${input.elementType}; inversa needs a float32 or float64 input`);
  }
  return { name: input.name, columns: shape[1], elementType: input.elementType };
}

/** The nodes the output depends on, in an order where every value is produced before it is used. */
function orderNeededNodes(graph: OnnxGraph, outputName: string, inputName: string, source: string): GraphNode[] {
  const producer = new Map<string, GraphNode>();
  for (const node of graph.nodes) for (const out of node.outputs) if (out) producer.set(out, node);
  const ordered: GraphNode[] = [];
  const state = new Map<GraphNode, 'visiting' | 'done'>();
  // Iterative depth-first search (graphs can be deep).
  const visitValue = (name: string, user: string) => {
    if (!name || name === inputName || graph.initializers.has(name)) return;
    const node = producer.get(name);
    if (!node) throw new OnnxFormatError(`${source}: value '${name}' used by ${user} is never produced (broken graph)`);
    const stack: { node: GraphNode; next: number }[] = [];
    const enter = (n: GraphNode) => {
      const s = state.get(n);
      if (s === 'done') return;
      if (s === 'visiting') throw new OnnxFormatError(`${source}: the graph has a cycle through node '${n.name}'`);
      state.set(n, 'visiting');
      stack.push({ node: n, next: 0 });
    };
    enter(node);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < top.node.inputs.length) {
        const value = top.node.inputs[top.next++];
        if (!value || value === inputName || graph.initializers.has(value)) continue;
        const next = producer.get(value);
        if (!next) throw new OnnxFormatError(`${source}: value '${value}' used by node '${top.node.name}' is never produced (broken graph)`);
        enter(next);
      } else {
        state.set(top.node, 'done');
        ordered.push(top.node);
        stack.pop();
      }
    }
  };
  visitValue(outputName, `output '${outputName}'`);
  return ordered;
}

function unsupportedError(blockers: BlockingNode[], source: string): UnsupportedOperatorError {
  const operators = [...new Set(blockers.map((b) => b.operator))];
  return new UnsupportedOperatorError(
    `${source} has node${blockers.length > 1 ? 's' : ''} inversa cannot differentiate exactly: ${blockersText(blockers)}. ` +
      `Load with fallback 'finite-differences' (needs onnxruntime-node) for approximate Jacobians.`,
    operators, blockers);
}
