// Activations and erf against mpmath reference values (40 digits) and central differences.
import { describe, expect, it } from 'vitest';
import { activationDerivative, activationValue, applyActivation, erf, erfc, normalCdf } from '../../src/model/activations.ts';
import { ACTIVATIONS } from '../../src/model/mlp-spec.ts';

// [x, erf(x), erfc(x)] from mpmath 1.3 at 40 digits
const ERF_TABLE: Array<[number, number, number]> = [
  [-6, -0.99999999999999997848, 1.9999999999999999785],
  [-3.5, -0.99999925690162765859, 1.9999992569016276586],
  [-2.25, -0.9985372834133188483, 1.9985372834133188483],
  [-1.3, -0.9340079449406524366, 1.9340079449406524366],
  [-0.75, -0.7111556336535151316, 1.7111556336535151316],
  [-0.2, -0.22270258921047845414, 1.2227025892104784541],
  [1e-8, 1.1283791670955125363e-8, 0.99999998871620832904],
  [0.1, 0.1124629160182848922, 0.8875370839817151078],
  [0.49, 0.51166826118852309921, 0.48833173881147690079],
  [0.51, 0.52924361984117042901, 0.47075638015882957099],
  [1, 0.84270079294971486934, 0.15729920705028513066],
  [1.49, 0.9648978648432042121, 0.035102135156795787897],
  [1.51, 0.96727674812871163591, 0.032723251871288364086],
  [2, 0.99532226501895273416, 0.0046777349810472658379],
  [2.49, 0.99957071213226608661, 0.00042928786773391339368],
  [2.51, 0.99961429451827572066, 0.00038570548172427933808],
  [3, 0.99997790950300141456, 0.000022090496998585441373],
  [4.5, 0.99999999980338395585, 1.9661604415428874763e-10],
  [5.9, 0.9999999999999999281, 7.1904097835505082899e-17],
];
// [x, gelu(x) = x·Φ(x), gelu'(x) = Φ(x) + x·φ(x)] from mpmath
const GELU_TABLE: Array<[number, number, number]> = [
  [-8, -4.9767684594174272988e-15, -3.9796072610867959891e-14],
  [-3, -0.00404969409489028358, -0.011945647204183927],
  [-1, -0.15865525393145705141, -0.083315470587686298383],
  [-0.5, -0.15426876936299344818, 0.13250487534383715747],
  [0, 0.0, 0.5],
  [0.3, 0.18537342665668579119, 0.73232776682710986299],
  [1, 0.84134474606854294859, 1.0833154705876862984],
  [2.5, 2.4844758366855596621, 1.0376110859081452082],
  [6, 5.9999999940804741298, 1.0000000354687094539],
];

function relativeError(actual: number, expected: number): number {
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
}

describe('erf', () => {
  it('matches mpmath to 1e-14 relative', () => {
    for (const [x, value] of ERF_TABLE) expect(relativeError(erf(x), value), `erf(${x})`).toBeLessThan(1e-14);
  });
  it('erfc matches mpmath to 1e-13 relative, including the far tail', () => {
    for (const [x, , value] of ERF_TABLE) expect(relativeError(erfc(x), value), `erfc(${x})`).toBeLessThan(1e-13);
  });
  it('is odd, saturates, and passes NaN through', () => {
    for (const x of [0.3, 1.7, 4]) expect(erf(-x)).toBe(-erf(x));
    expect(erf(0)).toBe(0);
    expect(erf(40)).toBe(1);
    expect(erfc(40)).toBe(0);
    expect(Number.isNaN(erf(NaN))).toBe(true);
  });
  it('normalCdf(0) = 1/2 and Φ(x) + Φ(−x) = 1', () => {
    expect(normalCdf(0)).toBe(0.5);
    for (const x of [0.4, 1.2, 3.3]) expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 15);
  });
});

describe('activations', () => {
  it('GELU value and derivative match mpmath (exact erf form, PyTorch default)', () => {
    for (const [x, value, derivative] of GELU_TABLE) {
      expect(relativeError(activationValue('gelu', x), value), `gelu(${x})`).toBeLessThan(1e-13);
      expect(relativeError(activationDerivative('gelu', x), derivative), `gelu'(${x})`).toBeLessThan(1e-13);
    }
  });

  it('closed forms at sample points', () => {
    expect(activationValue('relu', -2)).toBe(0);
    expect(activationValue('relu', 3)).toBe(3);
    expect(activationValue('leaky-relu', -2)).toBeCloseTo(-0.02, 16);
    expect(activationValue('leaky-relu', -2, 0.2)).toBeCloseTo(-0.4, 16);
    expect(activationValue('tanh', 0.5)).toBeCloseTo(0.46211715726000974, 15);
    expect(activationValue('sigmoid', 0)).toBe(0.5);
    expect(activationValue('sigmoid', -800)).toBe(0); // no overflow
    expect(activationValue('elu', -1)).toBeCloseTo(Math.exp(-1) - 1, 15);
    expect(activationValue('softplus', 0)).toBeCloseTo(Math.LN2, 15);
    expect(activationValue('softplus', 800)).toBe(800); // no overflow
    expect(activationValue('softplus', -40)).toBeCloseTo(Math.exp(-40), 30);
    expect(activationValue('identity', -7.5)).toBe(-7.5);
  });

  it('every derivative matches central differences away from kinks', () => {
    const points = [-3.1, -1.2, -0.35, 0.27, 0.9, 2.4];
    for (const activation of ACTIVATIONS) {
      for (const x of points) {
        const h = 1e-6 * Math.max(1, Math.abs(x));
        const numeric = (activationValue(activation, x + h) - activationValue(activation, x - h)) / (2 * h);
        expect(Math.abs(activationDerivative(activation, x) - numeric), `${activation}'(${x})`).toBeLessThan(1e-8);
      }
    }
  });

  it('vectorized form equals the scalar form, also in place', () => {
    const input = Float64Array.from([-2, -0.5, 0.25, 1.5]);
    for (const activation of ACTIVATIONS) {
      const values = new Float64Array(4), derivatives = new Float64Array(4);
      applyActivation(activation, input, values, derivatives);
      const inPlace = input.slice();
      applyActivation(activation, inPlace, inPlace, null);
      input.forEach((x, k) => {
        expect(values[k]).toBe(activationValue(activation, x));
        expect(inPlace[k]).toBe(values[k]);
        expect(derivatives[k]).toBe(activationDerivative(activation, x));
      });
    }
  });
});
