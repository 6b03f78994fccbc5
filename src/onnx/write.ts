// ONNX export of inversa's own MLPs (MlpSpec), in the layout the reference project uses: the input
// standardization as Sub/Div constants, Gemm layers with PyTorch-style [out, in] weights (transB=1),
// the activation nodes, a linear skip Add for 'resmlp', and the output standardization as Mul/Add.
// Variable names, units, bounds and means/stds go into metadata_props 'inversa.*' (JSON values), so
// the importer restores them. The result runs in onnxruntime-node and round-trips through load.ts.
import { InvalidArgumentError, checkInteger } from '../core/index.ts';
import { type Activation, type DenseLayer, type MlpSpec, validateSpec } from '../model/index.ts';
import { METADATA_KEYS } from './metadata.ts';
import { onnx, type OnnxTypes } from './proto.ts';

export interface ExportOptions {
  /** ai.onnx opset (default 17; GELU is written as the Gelu operator from opset 20, else via Erf). */
  opset?: number;
  /** Store weights and the graph in float64 (default float32, what most runtimes expect). */
  float64?: boolean;
  /** Extra metadata_props entries (keys are written as given). */
  metadata?: Record<string, string>;
}

export const DEFAULT_OPSET = 17;
const MIN_OPSET = 13;
const FLOAT = 1, DOUBLE = 11, INPUT = 'input', OUTPUT = 'output';

/** Builds the node list of a graph with unique value names. */
class GraphBuilder {
  readonly nodes: OnnxTypes.INodeProto[] = [];
  readonly initializers: OnnxTypes.ITensorProto[] = [];
  private counter = 0;
  constructor(private readonly elementType: number) {}

  constant(name: string, dims: number[], values: ArrayLike<number>): string {
    const data = this.elementType === DOUBLE ? Float64Array.from(values) : Float32Array.from(values);
    this.initializers.push({ name, dims, dataType: this.elementType, rawData: new Uint8Array(data.buffer) });
    return name;
  }

  node(opType: string, inputs: string[], attributes: OnnxTypes.IAttributeProto[] = [], output?: string): string {
    const name = output ?? `${opType.toLowerCase()}_${this.counter++}`;
    this.nodes.push({ opType, name: `/${name}`, input: inputs, output: [name], attribute: attributes });
    return name;
  }
}

function floatAttribute(name: string, value: number): OnnxTypes.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value };
}

function intAttribute(name: string, value: number): OnnxTypes.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i: value };
}

function gemm(builder: GraphBuilder, input: string, layer: DenseLayer, prefix: string): string {
  const weight = builder.constant(`${prefix}.weight`, [layer.outputs, layer.inputs], layer.weight);
  const bias = builder.constant(`${prefix}.bias`, [layer.outputs], layer.bias);
  return builder.node('Gemm', [input, weight, bias], [intAttribute('transB', 1)]);
}

function activation(builder: GraphBuilder, input: string, kind: Activation, parameter: number | undefined, opset: number): string {
  switch (kind) {
    case 'relu': return builder.node('Relu', [input]);
    case 'leaky-relu': return builder.node('LeakyRelu', [input], [floatAttribute('alpha', parameter ?? 0.01)]);
    case 'tanh': return builder.node('Tanh', [input]);
    case 'sigmoid': return builder.node('Sigmoid', [input]);
    case 'elu': return builder.node('Elu', [input], [floatAttribute('alpha', parameter ?? 1)]);
    case 'softplus': return builder.node('Softplus', [input]);
    case 'identity': return input;
    case 'gelu': {
      if (opset >= 20) return builder.node('Gelu', [input]);
      // x · ½ · (1 + erf(x/√2)), as PyTorch exports it.
      const root2 = builder.constant(`gelu_sqrt2_${builder.nodes.length}`, [], [Math.SQRT2]);
      const one = builder.constant(`gelu_one_${builder.nodes.length}`, [], [1]);
      const half = builder.constant(`gelu_half_${builder.nodes.length}`, [], [0.5]);
      const erf = builder.node('Erf', [builder.node('Div', [input, root2])]);
      return builder.node('Mul', [builder.node('Mul', [input, builder.node('Add', [erf, one])]), half]);
    }
    default: throw new InvalidArgumentError(`activation '${kind as string}' cannot be exported`);
  }
}

function valueInfo(name: string, elementType: number, width: number): OnnxTypes.IValueInfoProto {
  return { name, type: { tensorType: { elemType: elementType, shape: { dim: [{ dimParam: 'batch' }, { dimValue: width }] } } } };
}

/** The 'inversa.*' metadata of a spec (names always; units, bounds, means/stds when known). */
function specMetadata(spec: MlpSpec): Record<string, string> {
  const meta = spec.meta ?? {};
  const out: Record<string, string> = {
    [METADATA_KEYS.inputNames]: JSON.stringify(spec.inputNames),
    [METADATA_KEYS.outputNames]: JSON.stringify(spec.outputNames),
  };
  if (meta.inputUnits) out[METADATA_KEYS.inputUnits] = JSON.stringify(meta.inputUnits);
  if (meta.outputUnits) out[METADATA_KEYS.outputUnits] = JSON.stringify(meta.outputUnits);
  if (meta.bounds) out[METADATA_KEYS.bounds] = JSON.stringify({ lower: Array.from(meta.bounds.lower), upper: Array.from(meta.bounds.upper) });
  const inputMean = spec.inputScaling?.mean ?? meta.inputMean, inputStd = spec.inputScaling?.std ?? meta.inputStd;
  const outputMean = spec.outputScaling?.mean ?? meta.outputMean, outputStd = spec.outputScaling?.std ?? meta.outputStd;
  if (inputMean && inputStd) { out[METADATA_KEYS.inputMean] = JSON.stringify(Array.from(inputMean)); out[METADATA_KEYS.inputStd] = JSON.stringify(Array.from(inputStd)); }
  if (outputMean && outputStd) { out[METADATA_KEYS.outputMean] = JSON.stringify(Array.from(outputMean)); out[METADATA_KEYS.outputStd] = JSON.stringify(Array.from(outputStd)); }
  return out;
}

/** The first opset with LayerNormalization. */
const LAYER_NORMALIZATION_OPSET = 17;

/** Serialize an MLP spec as ONNX model bytes. */
export function exportMlpToOnnx(spec: MlpSpec, options: ExportOptions = {}): Uint8Array {
  validateSpec(spec);
  const opset = options.opset ?? DEFAULT_OPSET;
  checkInteger(opset, 'opset', MIN_OPSET);
  if (spec.layerNorms?.some((norm) => norm) && opset < LAYER_NORMALIZATION_OPSET) {
    throw new InvalidArgumentError(`this MLP has layer normalization, which ONNX has from opset ${LAYER_NORMALIZATION_OPSET} (LayerNormalization); pass opset ≥ ${LAYER_NORMALIZATION_OPSET}, got ${opset}`);
  }
  const elementType = options.float64 ? DOUBLE : FLOAT;
  const builder = new GraphBuilder(elementType);
  const n = spec.inputNames.length, m = spec.outputNames.length;

  let value = INPUT;
  if (spec.inputScaling) {
    value = builder.node('Sub', [value, builder.constant('input_mean', [n], spec.inputScaling.mean)]);
    value = builder.node('Div', [value, builder.constant('input_std', [n], spec.inputScaling.std)]);
  }
  if (spec.inputProjection) value = gemm(builder, value, spec.inputProjection, 'input_projection');
  const scaledInput = value;
  const hidden = spec.layers.slice(0, -1);
  hidden.forEach((layer, index) => {
    value = gemm(builder, value, layer, `layer${index + 1}`);
    const norm = spec.layerNorms?.[index];
    if (norm) {
      const scale = builder.constant(`layer${index + 1}_norm_scale`, [layer.outputs], norm.scale);
      const bias = builder.constant(`layer${index + 1}_norm_bias`, [layer.outputs], norm.bias);
      value = builder.node('LayerNormalization', [value, scale, bias], [floatAttribute('epsilon', norm.epsilon)]);
    }
    value = activation(builder, value, spec.activation, spec.activationParameter, opset);
  });
  if (spec.kind === 'resmlp' && spec.skip) value = builder.node('Add', [value, gemm(builder, scaledInput, spec.skip, 'skip')]);
  value = gemm(builder, value, spec.layers[spec.layers.length - 1], 'output_layer');
  if (spec.outputProjection) value = gemm(builder, value, spec.outputProjection, 'output_projection');
  if (spec.outputScaling) {
    value = builder.node('Mul', [value, builder.constant('output_std', [m], spec.outputScaling.std)]);
    value = builder.node('Add', [value, builder.constant('output_mean', [m], spec.outputScaling.mean)]);
  }
  // Name the last value OUTPUT (an Identity when the graph would otherwise end on the input).
  const last = builder.nodes[builder.nodes.length - 1];
  if (last && last.output![0] === value) last.output = [OUTPUT];
  else builder.node('Identity', [value], [], OUTPUT);

  const metadata = { ...specMetadata(spec), ...(options.metadata ?? {}) };
  const model: OnnxTypes.IModelProto = {
    irVersion: opset >= 21 ? 10 : opset >= 19 ? 9 : 8,
    producerName: 'inversa',
    producerVersion: '0.1.0',
    opsetImport: [{ domain: '', version: opset }],
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    graph: {
      name: `inversa_${spec.kind}`,
      node: builder.nodes,
      initializer: builder.initializers,
      input: [valueInfo(INPUT, elementType, n)],
      output: [valueInfo(OUTPUT, elementType, m)],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
