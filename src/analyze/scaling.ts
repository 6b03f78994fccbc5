// Which scales turn raw Jacobians into standardized ones (diag(1/yStd)·J·diag(xStd)), and where
// they came from. Training standard deviations from the model's metadata are preferred; without
// them the analysed points' own spread is used (and the report says so, because the numbers then
// depend on the sample). 'none' keeps raw units (standardized = raw).
import { InvalidArgumentError, ShapeError } from '../core/index.ts';
import { Matrix } from '../linalg/index.ts';
import { ColumnMoments, type Model } from '../model/index.ts';

/** Where a scale vector came from. */
export type ScaleSource = 'training' | 'points' | 'given' | 'none';

export interface ResolvedScaling {
  inputStd: Float64Array;
  outputStd: Float64Array;
  inputSource: ScaleSource;
  outputSource: ScaleSource;
  /** Columns whose points' spread was zero and got scale 1 (only for source 'points'). */
  constantInputs: string[];
  constantOutputs: string[];
  /** One line for reports, e.g. "x scaled by training std, y by the points' std". */
  description: string;
}

/** 'auto' (training std when known, else the points'), 'none' (raw units) or explicit scales. */
export type ScalingOption = 'auto' | 'none' | { inputStd: Float64Array; outputStd: Float64Array };

/** Spread of the analysed points and of their model outputs (from ColumnMoments). */
export interface PointSpread {
  inputStd: Float64Array;
  outputStd: Float64Array;
  constantInputs: number[];
  constantOutputs: number[];
}

/** A usable training std: right length, all finite and positive. */
function usableStd(values: Float64Array | undefined, length: number): values is Float64Array {
  return values instanceof Float64Array && values.length === length && values.every((value) => Number.isFinite(value) && value > 0);
}

/** True when resolveScaling(model, 'auto') needs the points' spread (no usable training std for x or y). */
export function needsPointSpread(model: Model, option: ScalingOption = 'auto'): boolean {
  if (option !== 'auto') return false;
  return !usableStd(model.meta?.inputStd, model.inputNames.length) || !usableStd(model.meta?.outputStd, model.outputNames.length);
}

/** Spread of points x and outputs y = f(x) (population std; zero spread → 1, listed). */
export function pointSpread(inputs: ColumnMoments, outputs: ColumnMoments): PointSpread {
  const x = inputs.result(), y = outputs.result();
  return { inputStd: x.std, outputStd: y.std, constantInputs: x.constantColumns, constantOutputs: y.constantColumns };
}

/** pointSpread of an in-memory batch (evaluates the model once when outputs are not given). */
export function pointSpreadOf(model: Model, points: Matrix, outputs?: Matrix): PointSpread {
  const inputMoments = new ColumnMoments(points.cols), outputMoments = new ColumnMoments(model.outputNames.length);
  inputMoments.add(points);
  outputMoments.add(outputs ?? model.forward(points));
  return pointSpread(inputMoments, outputMoments);
}

/** Decide the scales for standardized condition numbers; `spread` is required when needsPointSpread. */
export function resolveScaling(model: Model, option: ScalingOption = 'auto', spread?: PointSpread): ResolvedScaling {
  const n = model.inputNames.length, m = model.outputNames.length;
  if (option === 'none') {
    return finish({ inputStd: new Float64Array(n).fill(1), outputStd: new Float64Array(m).fill(1), inputSource: 'none', outputSource: 'none', constantInputs: [], constantOutputs: [] });
  }
  if (option !== 'auto') {
    if (!usableStd(option.inputStd, n)) throw new ShapeError(`scaling.inputStd must be ${n} positive finite numbers (one per input: ${model.inputNames.join(', ')})`);
    if (!usableStd(option.outputStd, m)) throw new ShapeError(`scaling.outputStd must be ${m} positive finite numbers (one per output: ${model.outputNames.join(', ')})`);
    return finish({ inputStd: option.inputStd, outputStd: option.outputStd, inputSource: 'given', outputSource: 'given', constantInputs: [], constantOutputs: [] });
  }
  const meta = model.meta;
  const needSpread = needsPointSpread(model);
  if (needSpread && !spread) {
    throw new InvalidArgumentError('resolveScaling: the model has no training std for its inputs or outputs; pass the points\' spread (pointSpreadOf) or scaling "none"');
  }
  const trainingInputs = usableStd(meta?.inputStd, n), trainingOutputs = usableStd(meta?.outputStd, m);
  return finish({
    inputStd: trainingInputs ? meta!.inputStd! : spread!.inputStd,
    outputStd: trainingOutputs ? meta!.outputStd! : spread!.outputStd,
    inputSource: trainingInputs ? 'training' : 'points',
    outputSource: trainingOutputs ? 'training' : 'points',
    constantInputs: trainingInputs ? [] : spread!.constantInputs.map((j) => model.inputNames[j]),
    constantOutputs: trainingOutputs ? [] : spread!.constantOutputs.map((i) => model.outputNames[i]),
  });
}

const SOURCE_TEXT: Record<ScaleSource, string> = {
  training: 'the training std (model metadata)',
  points: "the analysed points' std",
  given: 'the given std',
  none: 'nothing (raw units)',
};

function finish(scaling: Omit<ResolvedScaling, 'description'>): ResolvedScaling {
  let description = scaling.inputSource === scaling.outputSource
    ? `x and y scaled by ${SOURCE_TEXT[scaling.inputSource]}`
    : `x scaled by ${SOURCE_TEXT[scaling.inputSource]}, y by ${SOURCE_TEXT[scaling.outputSource]}`;
  const constant = [...scaling.constantInputs, ...scaling.constantOutputs];
  if (constant.length > 0) description += `; constant over the points, left unscaled: ${constant.join(', ')}`;
  return { ...scaling, description };
}
