// The plain-data description of an inversa MLP, shared by the trainer (which produces it), the
// MLP model (which evaluates it and its exact Jacobian) and the ONNX writer (which exports it).
//
// Evaluation order for an input row x (length n):
//   s  = (x − inputScaling.mean) / inputScaling.std          (if inputScaling)
//   s  = inputProjection.weight · s + inputProjection.bias    (if inputProjection, e.g. PCA; linear)
//   h  = act(W_1 s + b_1); … ; h = act(W_L h + b_L)          (hidden layers = layers[0..L-1])
//        with layerNorms[l]: h = act(LN_l(W_l h + b_l)), LN(z) = scale ⊙ (z − mean z)/√(var z + ε) + bias
//   h  = h + skip.weight · s + skip.bias                      (kind 'resmlp' only: linear skip)
//   z  = W_out h + b_out                                      (output layer = last entry of layers)
//   z  = outputProjection.weight · z + outputProjection.bias  (if outputProjection; linear)
//   y  = z · outputScaling.std + outputScaling.mean           (if outputScaling)
// Weights are row-major outputs×inputs, like PyTorch's nn.Linear.weight.
import type { ModelMeta } from './model.ts';

export type Activation = 'relu' | 'leaky-relu' | 'tanh' | 'sigmoid' | 'elu' | 'softplus' | 'gelu' | 'identity';

export const ACTIVATIONS: readonly Activation[] = ['relu', 'leaky-relu', 'tanh', 'sigmoid', 'elu', 'softplus', 'gelu', 'identity'];

export interface DenseLayer {
  inputs: number;
  outputs: number;
  /** outputs×inputs, row-major. */
  weight: Float64Array;
  bias: Float64Array;
}

/** Layer normalization over the features of one hidden layer (ONNX LayerNormalization, nn.LayerNorm). */
export interface LayerNorm {
  /** γ and β, one per feature of the layer. */
  scale: Float64Array;
  bias: Float64Array;
  /** ε added to the (biased) variance; ≥ 0. */
  epsilon: number;
}

export interface Scaling {
  mean: Float64Array;
  std: Float64Array;
}

export interface MlpSpec {
  kind: 'mlp' | 'resmlp';
  inputNames: string[];
  outputNames: string[];
  /** Hidden layers followed by the output layer (at least one entry). */
  layers: DenseLayer[];
  /** Activation of every hidden layer; the output layer is linear. */
  activation: Activation;
  /** Negative slope for 'leaky-relu' (PyTorch default 0.01) and alpha for 'elu' (default 1). */
  activationParameter?: number;
  /** Per hidden layer (one entry each, null = none): layer normalization between the affine map and the activation. */
  layerNorms?: (LayerNorm | null)[];
  /** 'resmlp': linear map from the (scaled, projected) input to the last hidden width. */
  skip?: DenseLayer;
  inputScaling?: Scaling;
  outputScaling?: Scaling;
  inputProjection?: DenseLayer;
  outputProjection?: DenseLayer;
  meta?: ModelMeta;
}
