// Entry of src/model/: the `Model` interface, MLPs with exact batched Jacobians, analytic models (arms, sine, ballistics), the `Domain` (where a model is valid), sound interval bounds.
// Other folders import from this folder only through this file (test/architecture.test.ts), so it
// lists what they use: add a name here when another folder needs it.
export { DEFAULT_LEAKY_RELU_SLOPE, SELU_ALPHA, SELU_GAMMA, celu, celuDerivative, elu, eluDerivative, erf, erfDerivative, gelu, geluDerivative, geluTanh, geluTanhDerivative, hardSwish, hardSwishDerivative, leakyRelu, leakyReluDerivative, mish, mishDerivative, relu, reluDerivative, selu, seluDerivative, sigmoid, sigmoidDerivativeFromValue, softplus, softplusDerivative, softsign, softsignDerivative, tanh, tanhDerivativeFromValue } from './activations.ts';
export { ballisticsLanding, ballisticsModel, sampleBallisticsInputs } from './ballistics.ts';
export { Float32DenseBackend } from './dense-backend-float32.ts';
export { Float64DenseBackend } from './dense-backend-float64.ts';
export type { JacobianMode } from './dense-backend-wasm64.ts';
export { DenseNetwork, denseLayersOf, parameterLayout } from './dense-network.ts';
export type { DenseArchitecture, ParameterLayout, ParameterSlot } from './dense-network.ts';
export { DensityCheck, TRAINING_RANGE_STDS, domainBasis, inTrainingRange, modelDomain, targetsOutsideOutputRange, trainingRange } from './domain.ts';
export type { Domain, DomainBasis } from './domain.ts';
export { functionModel, kruseArm, linearModel, planarArm, sineModel } from './functions.ts';
export type { FunctionModelSpec } from './functions.ts';
export { activationInterval, affineInterval, outputBounds, widenOutward } from './intervals.ts';
export type { Activation, DenseLayer, LayerNorm, MlpSpec, Scaling } from './mlp-spec.ts';
export { MlpModel, jacobianModeFor, validateSpec } from './mlp.ts';
export { evaluateWithJacobian } from './model.ts';
export type { Bounds, Model, ModelMeta } from './model.ts';
export { markPortable, portableModel } from './portable.ts';
export type { PortableModel } from './portable.ts';
export { ColumnMoments, standardizedJacobian } from './standardize.ts';
