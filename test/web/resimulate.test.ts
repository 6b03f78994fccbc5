// The worker's independent re-simulation check and model description, on an analytic linear model
// whose outputs are known exactly (y = A x + b).
import { describe, expect, it } from 'vitest';
import { linearModel } from '../../src/model/functions.ts';
import { bandResidual, MATCH_RTOL, resimulate } from '../../web/src/resimulate.ts';
import { BOX_STD_MULTIPLE, describeModel } from '../../web/src/model-info.ts';

const A = [[1, 2, 0], [0, 1, -1]];
const b = [1, -1];

describe('bandResidual', () => {
  it('is 0 inside the band and the signed distance to the nearest edge outside', () => {
    expect(bandResidual(5, 4, 6)).toBe(0);
    expect(bandResidual(7, 4, 6)).toBe(1);
    expect(bandResidual(1, 4, 6)).toBe(-3);
    expect(bandResidual(3, 3, 3)).toBe(0);
  });
});

describe('resimulate', () => {
  const model = linearModel(A, b);
  it('evaluates f(x) itself and compares with point and band targets', () => {
    // f([1, 1, 1]) = [1 + 2 + 1, 1 − 1 − 1] = [4, −1].
    const check = resimulate(model, [1, 1, 1], [4.0005, -3], [4.0005, -2], [1, 10]);
    expect(check.y).toEqual([4, -1]);
    expect(check.residual[0]).toBeCloseTo(-0.0005, 12);
    expect(check.residual[1]).toBe(1);
    expect(check.tolerance).toEqual([MATCH_RTOL * 1, MATCH_RTOL * 10]);
    expect(check.withinTolerance).toEqual([true, false]);
    expect(check.residualNorm).toBeCloseTo(Math.hypot(0.0005, 1), 12);
  });
});

describe('describeModel', () => {
  it('names standardization found as graph nodes by the ONNX loader', () => {
    const base = linearModel(A, b);
    const model = { inputNames: base.inputNames, outputNames: base.outputNames, forward: base.forward.bind(base), jacobian: base.jacobian.bind(base),
      meta: { inputMean: Float64Array.of(0, 0, 0), inputStd: Float64Array.of(1, 1, 1), outputMean: Float64Array.of(0, 0), outputStd: Float64Array.of(2, 2),
        notes: ['input standardization in the graph (nodes /sub, /div): …'] } };
    const text = describeModel(model, 'forward', 'm.onnx').standardization;
    expect(text).toContain('inputs: (x − mean)/std found in the graph');
    expect(text).toContain('outputs: training mean/std known from the model’s metadata');
    expect(text).toContain('standardized units');
  });
  it('derives the box from mean ± k·std when the model stores none, and says so', () => {
    const base = linearModel(A, b);
    const model = { ...base, inputNames: base.inputNames, outputNames: base.outputNames, forward: base.forward.bind(base), jacobian: base.jacobian.bind(base),
      meta: { inputMean: Float64Array.of(1, 2, 3), inputStd: Float64Array.of(0.5, 1, 2), inputUnits: ['K', '', 'm'] } };
    const info = describeModel(model, 'forward', 'linear.onnx');
    expect(info.bounds?.lower).toEqual([1 - BOX_STD_MULTIPLE * 0.5, 2 - BOX_STD_MULTIPLE, 3 - 2 * BOX_STD_MULTIPLE]);
    expect(info.bounds?.upper).toEqual([1 + BOX_STD_MULTIPLE * 0.5, 2 + BOX_STD_MULTIPLE, 3 + 2 * BOX_STD_MULTIPLE]);
    expect(info.bounds?.origin).toContain('std');
    expect(info.inputUnits).toEqual(['K', '', 'm']);
    expect(info.outputUnits).toEqual(['', '']);
    expect(info.standardization).toMatch(/^inputs: training mean\/std known from the model’s metadata/);
    expect(info.standardization).toContain('outputs: none detected');
  });
  it('prefers a stored box and reports no standardization when there is none', () => {
    const base = linearModel(A, b);
    const model = { inputNames: base.inputNames, outputNames: base.outputNames, forward: base.forward.bind(base), jacobian: base.jacobian.bind(base),
      meta: { bounds: { lower: Float64Array.of(0, 0, 0), upper: Float64Array.of(1, 2, 3) } } };
    const info = describeModel(model, 'inverse', 'x.onnx');
    expect(info.bounds).toEqual({ lower: [0, 0, 0], upper: [1, 2, 3], origin: 'stored in the model’s metadata' });
    expect(info.standardization).toBe('inputs: none detected (raw units); outputs: none detected (raw units); without both stds, condition numbers depend on the units chosen.');
  });
});
