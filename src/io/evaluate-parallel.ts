// Batched model evaluation (outputs and exact Jacobians) on worker threads: the points are split into
// `threads` contiguous blocks, each evaluated by the model rebuilt in a worker, and the blocks are
// copied back in order. Rows are evaluated independently, so the arrays are the same bits as one
// in-process call. Models without a portable recipe are evaluated in-process.
import { MatrixBatch, Matrix } from '../linalg/index.ts';
import { evaluateWithJacobian, type Model, portableModel, type PortableModel } from '../model/index.ts';
import { movedAnswer } from './pool-answer.ts';
import { resolveThreads, runTasks } from './pool.ts';
import { rebuildModel } from '../onnx/index.ts';

interface BlockInput {
  model: PortableModel;
  rows: number;
  cols: number;
  data: Float64Array;
  withJacobian: boolean;
}

interface BlockOutput {
  y: Float64Array;
  jacobian: Float64Array | null;
}

/** Worker side: one block of points. */
export async function evaluateBlock(input: BlockInput): Promise<BlockOutput> {
  const model = await rebuildModel(input.model);
  const x = new Matrix(input.rows, input.cols, input.data);
  if (!input.withJacobian) {
    const y = model.forward(x).data;
    return movedAnswer({ y, jacobian: null }, [y.buffer as ArrayBuffer]);
  }
  const { y, jacobian } = evaluateWithJacobian(model, x);
  return movedAnswer({ y: y.data, jacobian: jacobian.data }, [y.data.buffer as ArrayBuffer, jacobian.data.buffer as ArrayBuffer]);
}

/** f(x) and, with `withJacobian`, the Jacobians at the N rows of x, on `threads` workers (default: the available cores). */
export async function evaluateParallel(model: Model, x: Matrix, options: { threads?: number; withJacobian?: boolean } = {}): Promise<{ y: Matrix; jacobian: MatrixBatch | null }> {
  const threads = resolveThreads(options.threads);
  const withJacobian = options.withJacobian !== false;
  const recipe = portableModel(model);
  const n = x.cols, m = model.outputNames.length, count = x.rows;
  if (threads === 1 || !recipe || count < 2 * threads) {
    if (!withJacobian) return { y: model.forward(x), jacobian: null };
    return evaluateWithJacobian(model, x);
  }
  const blocks = Array.from({ length: threads }, (_, b) => [Math.floor((b * count) / threads), Math.floor(((b + 1) * count) / threads)] as const);
  const module = import.meta.url;
  const outputs = await runTasks<BlockInput, BlockOutput>(threads, blocks.map(([first, end]) => {
    const data = x.data.slice(first * n, end * n);
    return { module, name: 'evaluateBlock', input: { model: recipe, rows: end - first, cols: n, data, withJacobian }, transfer: [data.buffer] };
  }));
  const y = new Matrix(count, m);
  const jacobian = withJacobian ? new MatrixBatch(count, m, n) : null;
  outputs.forEach((output, b) => {
    const first = blocks[b][0];
    y.data.set(output.y, first * m);
    if (jacobian && output.jacobian) jacobian.data.set(output.jacobian, first * m * n);
  });
  return { y, jacobian };
}
