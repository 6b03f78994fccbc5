// ONNX bytes → OnnxGraph: decodes the protobuf, converts every constant tensor to Float64 and every
// attribute to a plain value. Corrupt or truncated bytes become an OnnxFormatError naming the source.
import { onnx, type OnnxTypes } from './proto.ts';
import { OnnxFormatError } from './errors.ts';
import { ELEMENT_TYPES, type AttributeValue, type ElementType, type GraphNode, type OnnxGraph, type ValueInfo } from './graph.ts';
import type { Tensor } from './tensor.ts';
import { MAX_OPSET, MIN_OPSET } from './ops/registry.ts';

type Long = { toNumber(): number } | number;

/** Model versions inversa reads: IR versions 3–12 (the ai.onnx opsets are the operator registry's, MIN_OPSET–MAX_OPSET). */
export const IR_VERSION_RANGE = { min: 3, max: 12 } as const;
/** Resource limits, checked before anything is allocated (see README "Trust"). */
export const ONNX_LIMITS = {
  /** Nodes in the graph (a deep chain of 1 M nodes would take gigabytes). */
  nodes: 100_000,
  /** Axes of one tensor. */
  rank: 16,
  /** Elements of one constant tensor: 2^27 (1 GiB as float64). */
  tensorElements: 2 ** 27,
  /** Elements of all constant tensors together: 2^28 (2 GiB as float64). */
  totalElements: 2 ** 28,
} as const;

export function toNumber(value: Long | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/** Decode ONNX model bytes. `source` (a file name) only appears in error messages. */
export function readOnnxGraph(bytes: Uint8Array, source = 'ONNX model'): OnnxGraph {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new OnnxFormatError(`${source} is empty (0 bytes); expected an ONNX model file`);
  }
  const nodeCount = countGraphNodes(bytes);
  if (nodeCount > ONNX_LIMITS.nodes) {
    throw new OnnxFormatError(`${source} has ${nodeCount} nodes, more than the limit of ${ONNX_LIMITS.nodes}`);
  }
  let model: ReturnType<typeof onnx.ModelProto.decode>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new OnnxFormatError(
      `${source} is not a valid ONNX model (corrupt or truncated protobuf, ${bytes.length} bytes: ${(error as Error).message})`,
    );
  }
  const graph = model.graph;
  if (!graph || !graph.node || graph.node.length === 0 || !graph.output || graph.output.length === 0) {
    throw new OnnxFormatError(`${source} does not contain an ONNX graph with nodes and outputs (not an ONNX model, or truncated)`);
  }
  checkVersions(model, source);
  if (graph.node.length > ONNX_LIMITS.nodes) {
    throw new OnnxFormatError(`${source} has ${graph.node.length} nodes, more than the limit of ${ONNX_LIMITS.nodes}`);
  }
  let totalElements = 0;
  for (const proto of graph.initializer ?? []) {
    totalElements += checkedSize(proto, `initializer '${proto.name ?? ''}' of ${source}`);
    if (totalElements > ONNX_LIMITS.totalElements) {
      throw new OnnxFormatError(`${source}: its constant tensors hold more than ${ONNX_LIMITS.totalElements} elements together (the limit)`);
    }
  }
  const initializers = new Map<string, Tensor>();
  const initializerTypes = new Map<string, ElementType>();
  for (const proto of graph.initializer ?? []) {
    const name = proto.name ?? '';
    initializers.set(name, tensorFromProto(proto, `initializer '${name}' of ${source}`));
    initializerTypes.set(name, ELEMENT_TYPES[proto.dataType ?? 0] ?? 'unknown');
  }
  const nodes: GraphNode[] = graph.node.map((node, index) => ({
    opType: node.opType ?? '',
    domain: node.domain ?? '',
    name: node.name || `${node.opType}#${index}`,
    inputs: [...(node.input ?? [])],
    outputs: [...(node.output ?? [])],
    attributes: new Map((node.attribute ?? []).map((a) => [a.name ?? '', attributeValue(a, `attribute '${a.name}' of node '${node.name}' in ${source}`)])),
  }));
  const opset = defaultOpset(model);
  const metadata: Record<string, string> = {};
  for (const entry of model.metadataProps ?? []) metadata[entry.key ?? ''] = entry.value ?? '';
  return {
    inputs: (graph.input ?? []).filter((v) => !initializers.has(v.name ?? '')).map(valueInfo),
    outputs: graph.output.map(valueInfo),
    initializers,
    initializerTypes,
    nodes,
    opset,
    irVersion: toNumber(model.irVersion as Long),
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    metadata,
  };
}

/**
 * Nodes in the graph, counted on the protobuf wire format without decoding (ModelProto field 7 =
 * graph, GraphProto field 1 = node), so a file of a million nodes is refused before its objects
 * take gigabytes. Malformed bytes count what was seen; the decoder reports them.
 */
export function countGraphNodes(bytes: Uint8Array): number {
  let count = 0;
  walkFields(bytes, 0, bytes.length, (field, start, end) => {
    if (field === 7) walkFields(bytes, start, end, (inner) => { if (inner === 1) count++; });
  });
  return count;
}

/** Calls `onField` for every length-delimited field in bytes[from, to); stops at malformed data. */
function walkFields(bytes: Uint8Array, from: number, to: number, onField: (field: number, start: number, end: number) => void): void {
  let position = from;
  const varint = (): number => {
    let value = 0, scale = 1;
    for (let k = 0; k < 10 && position < to; k++) {
      const byte = bytes[position++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
    return -1;
  };
  while (position < to) {
    const key = varint();
    if (key < 0) return;
    const field = Math.floor(key / 8), wire = key % 8;
    if (wire === 0) { if (varint() < 0) return; }
    else if (wire === 1) position += 8;
    else if (wire === 5) position += 4;
    else if (wire === 2) {
      const length = varint();
      if (length < 0 || position + length > to) return;
      onField(field, position, position + length);
      position += length;
    } else return;
  }
}

function defaultOpset(model: OnnxTypes.IModelProto): number {
  let opset = 0;
  for (const entry of model.opsetImport ?? []) {
    if (!entry.domain || entry.domain === 'ai.onnx') opset = toNumber(entry.version as Long);
  }
  return opset;
}

/** The model's IR version and ai.onnx opset must be ones whose operator semantics inversa knows. */
function checkVersions(model: OnnxTypes.IModelProto, source: string): void {
  const ir = toNumber(model.irVersion as Long);
  if (!(ir >= IR_VERSION_RANGE.min && ir <= IR_VERSION_RANGE.max)) {
    throw new OnnxFormatError(`${source} has ONNX IR version ${ir}; inversa reads IR versions ${IR_VERSION_RANGE.min} to ${IR_VERSION_RANGE.max}`);
  }
  const opset = defaultOpset(model);
  if (opset === 0 && !(model.opsetImport ?? []).some((entry) => !entry.domain || entry.domain === 'ai.onnx')) {
    throw new OnnxFormatError(`${source} does not import the default ONNX operator set (ai.onnx); inversa reads opsets ${MIN_OPSET} to ${MAX_OPSET}`);
  }
  // An opset outside what inversa knows is refused per node by the operator registry (src/onnx/ops/registry.ts),
  // which names every node, its operator and its supported opsets; `inspect` still lists the graph.
}

/**
 * Element count of a TensorProto from its dims, checked before any allocation: every dim a
 * non-negative integer, at most ONNX_LIMITS.rank axes and ONNX_LIMITS.tensorElements elements,
 * and no more elements than the stored data can hold (so a bogus dim cannot allocate gigabytes).
 */
function checkedSize(proto: OnnxTypes.ITensorProto, where: string): number {
  const dims = (proto.dims ?? []).map((d) => toNumber(d as Long));
  if (dims.length > ONNX_LIMITS.rank) throw new OnnxFormatError(`${where} has ${dims.length} axes, more than the limit of ${ONNX_LIMITS.rank}`);
  let size = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) throw new OnnxFormatError(`${where} has an invalid dimension ${d} in dims [${dims.join(', ')}] (expected integers ≥ 0)`);
    size *= d;
    if (size > ONNX_LIMITS.tensorElements) {
      throw new OnnxFormatError(`${where} has dims [${dims.join(', ')}], more than the limit of ${ONNX_LIMITS.tensorElements} elements per tensor`);
    }
  }
  return size;
}

function valueInfo(proto: OnnxTypes.IValueInfoProto): ValueInfo {
  const tensorType = proto.type?.tensorType;
  const dims = tensorType?.shape?.dim;
  return {
    name: proto.name ?? '',
    elementType: ELEMENT_TYPES[tensorType?.elemType ?? 0] ?? 'unknown',
    shape: dims
      ? dims.map((d: OnnxTypes.TensorShapeProto.IDimension) => (d.dimParam ? d.dimParam : d.dimValue !== null && d.dimValue !== undefined && toNumber(d.dimValue as Long) > 0 ? toNumber(d.dimValue as Long) : null))
      : null,
  };
}

function attributeValue(proto: OnnxTypes.IAttributeProto, where: string): AttributeValue {
  switch (proto.type) {
    case onnx.AttributeProto.AttributeType.FLOAT: return proto.f ?? 0;
    case onnx.AttributeProto.AttributeType.INT: return toNumber(proto.i as Long);
    case onnx.AttributeProto.AttributeType.STRING: return new TextDecoder().decode(proto.s ?? new Uint8Array());
    case onnx.AttributeProto.AttributeType.TENSOR: return proto.t ? tensorFromProto(proto.t, where) : null;
    case onnx.AttributeProto.AttributeType.FLOATS: return [...(proto.floats ?? [])];
    case onnx.AttributeProto.AttributeType.INTS: return (proto.ints ?? []).map((v) => toNumber(v as Long));
    case onnx.AttributeProto.AttributeType.STRINGS: return (proto.strings ?? []).map((s) => new TextDecoder().decode(s));
    default: return null; // graphs, sparse tensors, type protos: not used by supported operators
  }
}

/** Convert a TensorProto of any numeric element type to a Float64 tensor. */
export function tensorFromProto(proto: OnnxTypes.ITensorProto, where: string): Tensor {
  const dims = (proto.dims ?? []).map((d) => toNumber(d as Long));
  const size = checkedSize(proto, where);
  const type = ELEMENT_TYPES[proto.dataType ?? 0] ?? 'unknown';
  if (proto.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    throw new OnnxFormatError(`${where} is stored in an external data file, which inversa does not read; save the model with all tensors inside the .onnx file`);
  }
  const raw = proto.rawData;
  if (raw && raw.length > 0) {
    const width = BYTES_PER_ELEMENT[type];
    if (width && raw.length !== size * width) {
      throw new OnnxFormatError(`${where} holds ${raw.length} bytes of ${type}, expected ${size * width} for dims [${dims.join(', ')}] (truncated or corrupt tensor)`);
    }
    const data = new Float64Array(size);
    decodeRaw(raw, type, data, where);
    return { dims, data };
  } else {
    const values: ArrayLike<number | Long> | null | undefined =
      type === 'float32' ? proto.floatData
        : type === 'float64' ? proto.doubleData
          : type === 'int64' ? proto.int64Data
            : type === 'uint32' || type === 'uint64' ? proto.uint64Data
              : proto.int32Data;
    const count = values?.length ?? 0;
    if (count !== size) {
      throw new OnnxFormatError(`${where} (${type}, dims [${dims.join(', ')}]) holds ${count} values, expected ${size} (truncated or corrupt tensor)`);
    }
    const filled = new Float64Array(size);
    for (let k = 0; k < size; k++) filled[k] = toNumber(values![k]);
    if (type === 'float16') for (let k = 0; k < size; k++) filled[k] = halfToFloat(filled[k]);
    if (type === 'bfloat16') for (let k = 0; k < size; k++) filled[k] = bfloat16ToFloat(filled[k]);
    return { dims, data: filled };
  }
}

const BYTES_PER_ELEMENT: Partial<Record<ElementType, number>> = {
  float32: 4, float64: 8, float16: 2, bfloat16: 2, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, bool: 1,
};

function decodeRaw(raw: Uint8Array, type: ElementType, out: Float64Array, where: string): void {
  const width = BYTES_PER_ELEMENT[type];
  if (!width) throw new OnnxFormatError(`${where} has element type ${type}, which inversa cannot read as numbers`);
  if (raw.length !== out.length * width) {
    throw new OnnxFormatError(`${where} holds ${raw.length} bytes of ${type}, expected ${out.length * width} (truncated or corrupt tensor)`);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (let k = 0; k < out.length; k++) {
    const at = k * width;
    switch (type) {
      case 'float32': out[k] = view.getFloat32(at, true); break;
      case 'float64': out[k] = view.getFloat64(at, true); break;
      case 'float16': out[k] = halfToFloat(view.getUint16(at, true)); break;
      case 'bfloat16': out[k] = bfloat16ToFloat(view.getUint16(at, true)); break;
      case 'int8': out[k] = view.getInt8(at); break;
      case 'uint8': case 'bool': out[k] = view.getUint8(at); break;
      case 'int16': out[k] = view.getInt16(at, true); break;
      case 'uint16': out[k] = view.getUint16(at, true); break;
      case 'int32': out[k] = view.getInt32(at, true); break;
      case 'uint32': out[k] = view.getUint32(at, true); break;
      case 'int64': out[k] = Number(view.getBigInt64(at, true)); break;
      case 'uint64': out[k] = Number(view.getBigUint64(at, true)); break;
      default: break;
    }
  }
}

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function bfloat16ToFloat(bits: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, bits << 16);
  return view.getFloat32(0);
}
