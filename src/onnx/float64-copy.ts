// A float64 copy of an ONNX model for the finite-difference fallback: every float32 tensor
// (initializers, Constant values) becomes float64, Casts to float become Casts to double, and the
// graph's declared value types follow. Central differences with steps of 1e-6·σ need the ~1e-16
// resolution of float64; in float32 they would be noise.
import { onnx, type OnnxTypes } from './proto.ts';
import { tensorFromProto } from './read.ts';

const FLOAT = 1;
const DOUBLE = 11;

function widenTensor(tensor: OnnxTypes.ITensorProto): void {
  if (tensor.dataType !== FLOAT) return;
  const values = tensorFromProto(tensor, `tensor '${tensor.name ?? ''}'`).data;
  tensor.dataType = DOUBLE;
  tensor.rawData = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  tensor.floatData = [];
  tensor.doubleData = [];
}

function widenValueInfo(info: OnnxTypes.IValueInfoProto): void {
  const tensorType = info.type?.tensorType;
  if (tensorType && tensorType.elemType === FLOAT) tensorType.elemType = DOUBLE;
}

function widenGraph(graph: OnnxTypes.IGraphProto): void {
  for (const tensor of graph.initializer ?? []) widenTensor(tensor);
  for (const info of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])]) widenValueInfo(info);
  for (const node of graph.node ?? []) {
    for (const attribute of node.attribute ?? []) {
      if (attribute.t) widenTensor(attribute.t);
      for (const t of attribute.tensors ?? []) widenTensor(t);
      if (attribute.g) widenGraph(attribute.g);
      if (node.opType === 'Cast' && attribute.name === 'to' && Number(attribute.i) === FLOAT) attribute.i = DOUBLE;
    }
  }
}

/** Bytes of the same model with float64 in place of float32 everywhere. */
export function float64Copy(bytes: Uint8Array): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  if (model.graph) widenGraph(model.graph);
  return onnx.ModelProto.encode(model).finish();
}
