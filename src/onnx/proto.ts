// The generated ONNX protobuf classes (onnx-proto, a CommonJS package) behind one ESM import.
import onnxProto from 'onnx-proto';

export const onnx = onnxProto.onnx;
export type { onnx as OnnxTypes } from 'onnx-proto';
