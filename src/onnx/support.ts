// Which nodes of a graph keep the interpreter from differentiating it exactly, and why: an operator
// it does not know, an opset outside the range its rule implements, or (found while compiling) a
// value that must be constant but depends on the model input. Shared by interpret.ts (the error) and
// inspect.ts (the report), so both name exactly the same nodes.
import type { GraphNode } from './graph.ts';
import { MAX_OPSET, MIN_OPSET, operatorEntry } from './ops/registry.ts';

export interface BlockingNode {
  node: string;
  /** Operator, prefixed by its domain outside ai.onnx (e.g. com.microsoft.FusedGemm). */
  operator: string;
  reason: string;
}

export function qualifiedOperator(node: GraphNode): string {
  return node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.${node.opType}` : node.opType;
}

/** Nodes whose operator is unknown or whose rule does not implement the model's opset. */
export function operatorBlockers(nodes: readonly GraphNode[], opset: number): BlockingNode[] {
  const blockers: BlockingNode[] = [];
  for (const node of nodes) {
    const entry = operatorEntry(node.opType, node.domain);
    const operator = qualifiedOperator(node);
    if (!entry) {
      blockers.push({ node: node.name, operator, reason: 'operator not supported' });
      continue;
    }
    const [from, to] = entry.opsets;
    if (opset < from || opset > to) {
      const imported = opset === 0 ? 'the model imports no ai.onnx opset' : `the model imports opset ${opset}`;
      const overall = opset < MIN_OPSET || opset > MAX_OPSET ? `; inversa reads opsets ${MIN_OPSET}–${MAX_OPSET}` : '';
      blockers.push({ node: node.name, operator, reason: `supported for opsets ${from}–${to}, ${imported}${overall}` });
    }
  }
  return blockers;
}

/** "Sin (node '/Sin'): operator not supported; …" with at most `limit` nodes spelled out. */
export function blockersText(blockers: readonly BlockingNode[], limit = 8): string {
  const shown = blockers.slice(0, limit).map((b) => `${b.operator} (node '${b.node}'): ${b.reason}`);
  if (blockers.length > limit) shown.push(`and ${blockers.length - limit} more node${blockers.length - limit > 1 ? 's' : ''}`);
  return shown.join('; ');
}
