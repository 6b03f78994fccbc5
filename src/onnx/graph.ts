// The decoded ONNX graph in plain data: what read.ts produces and interpret.ts / inspect.ts consume.
import type { Tensor } from './tensor.ts';

export type ElementType =
  | 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'bool' | 'string' | 'unknown';

/** Attribute values decoded to plain JS values. */
export type AttributeValue = number | string | Tensor | number[] | string[] | null;

export interface GraphNode {
  opType: string;
  domain: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: Map<string, AttributeValue>;
}

/** A graph input or output: name, element type and shape (numbers, symbolic names, or null if unknown). */
export interface ValueInfo {
  name: string;
  elementType: ElementType;
  shape: (number | string | null)[] | null;
}

export interface OnnxGraph {
  /** Inputs that are not initializers (the real, fed inputs). */
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  /** Constant tensors (initializers), cast to Float64. */
  initializers: Map<string, Tensor>;
  /** Element type of each initializer as stored in the file. */
  initializerTypes: Map<string, ElementType>;
  nodes: GraphNode[];
  /** Default-domain opset version (ai.onnx). */
  opset: number;
  irVersion: number;
  producer: string;
  metadata: Record<string, string>;
}

export const ELEMENT_TYPES: Record<number, ElementType> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string',
  9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 16: 'bfloat16',
};

export const ELEMENT_TYPE_CODES: Record<string, number> = Object.fromEntries(
  Object.entries(ELEMENT_TYPES).map(([code, name]) => [name, Number(code)]),
);

export function isFloatType(type: ElementType): boolean {
  return type === 'float32' || type === 'float64' || type === 'float16' || type === 'bfloat16';
}
