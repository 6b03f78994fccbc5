// Seed 004: inverse of diag(1, 2, 3, 4) by gradient descent on mean((R·M − I)²) with lr = ln(10^0.2),
// 100 steps. Replaying the seed's printed start R₀ = (printed R₀·M)·M⁻¹ must reproduce its printed
// losses to every printed digit; a start from our own seeded RNG must show the same decay law.
import { describe, expect, it } from 'vitest';
import {
  gradientDescentInverse,
  SEED_LEARNING_RATE,
} from '../../src/apps/lab/gradient-descent-inverse.ts';
import { Matrix, multiply } from '../../src/linalg/matrix.ts';
import { inverse } from '../../src/linalg/lu.ts';

const M = Matrix.diagonal([1, 2, 3, 4]);
/** The seed's printed Y_hat = random_inverse @ M1234 after torch.manual_seed(314). */
const PRINTED_INITIAL_PRODUCT = [
  [0.7196, 1.259, 2.0002, 1.354],
  [0.8522, 0.6251, 1.5017, 1.8571],
  [0.0083, 0.8938, 2.4086, 2.2047],
  [0.3556, 0.742, 2.049, 1.2297],
];
/** The seed's printed losses at t = 0, 20, 40, 60, 80 with the digits it shows. */
const PRINTED_LOSSES: [number, number, number][] = [
  [0, 1.665, 4], // value, significant digits printed
  [20, 0.0054, 2],
  [40, 0.0005, 1],
  [60, 4.7337e-5, 5],
  [80, 4.4184e-6, 5],
];

describe('gradientDescentInverse (seed 004)', () => {
  it('uses the seed learning rate ln(10^0.2) ≈ 0.4605', () => {
    expect(SEED_LEARNING_RATE).toBeCloseTo(0.460517, 6);
  });

  it("replaying the seed's start reproduces every printed loss to the printed digits", () => {
    const initial = multiply(PRINTED_INITIAL_PRODUCT, inverse(M));
    const result = gradientDescentInverse(M, { initial });
    expect(result.losses).toHaveLength(100);
    result.initialProduct.toArray().forEach((row, i) => row.forEach((value, j) => expect(value).toBeCloseTo(PRINTED_INITIAL_PRODUCT[i][j], 14)));
    for (const [t, printed, digits] of PRINTED_LOSSES) {
      expect(Number(result.losses[t].toPrecision(digits))).toBe(printed);
    }
    expect(result.status).toBe('converged');
  });

  it('late decay follows theory: column j of R·M − I shrinks by 1 − 2·lr·M_jj²/16 per step (the mean divides the gradient by n² = 16)', () => {
    const initial = multiply(PRINTED_INITIAL_PRODUCT, inverse(M));
    const { losses, slowestContraction, stableLearningRateLimit } = gradientDescentInverse(M, { initial });
    const slowest = 1 - (2 * SEED_LEARNING_RATE * 1) / 16;
    expect(slowestContraction).toBeCloseTo(slowest, 15);
    expect(stableLearningRateLimit).toBe(1); // n²/σ_max² = 16/16
    // Column 0 alone: its squared error (Σ_i (R₀M − I)_i0²) times slowest^(2t), over 16.
    const column0 = PRINTED_INITIAL_PRODUCT.reduce((sum, row, i) => sum + (row[0] - (i === 0 ? 1 : 0)) ** 2, 0);
    for (const t of [40, 60, 80, 99]) expect(losses[t] / ((column0 * slowest ** (2 * t)) / 16)).toBeCloseTo(1, 6);
  });

  it('the printed losses need the mean: a summed loss (gradient ×16, i.e. lr ×16 here) diverges from the same start', () => {
    const initial = multiply(PRINTED_INITIAL_PRODUCT, inverse(M));
    const summed = gradientDescentInverse(M, { initial, learningRate: 16 * SEED_LEARNING_RATE, steps: 20 });
    expect(16 * SEED_LEARNING_RATE).toBeGreaterThan(summed.stableLearningRateLimit);
    expect(summed.status).toBe('diverged');
  });

  it('from our own seeded uniform start: converges to diag(1, 1/2, 1/3, 1/4) with a monotone loss', () => {
    const result = gradientDescentInverse(M, { seed: 314, steps: 400 });
    const expected = [1, 1 / 2, 1 / 3, 1 / 4];
    result.inverse.toArray().forEach((row, i) => row.forEach((value, j) => expect(value).toBeCloseTo(i === j ? expected[i] : 0, 8)));
    for (let t = 1; t < result.losses.length; t++) expect(result.losses[t]).toBeLessThan(result.losses[t - 1]);
    expect(result.status).toBe('converged');
    expect(result.message).toMatch(/^converged/);
  });

  it('a learning rate above n²/σ_max² diverges and says so (never a silent NaN)', () => {
    const result = gradientDescentInverse(M, { learningRate: 1.2, steps: 60 });
    expect(result.status).toBe('diverged');
    expect(result.message).toMatch(/stable below n²\/σ_max² = 1\.000.*lower the learning rate/);
  });

  it('bad input: non-square M, wrong initial shape, bad learning rate', () => {
    expect(() => gradientDescentInverse([[1, 2, 3], [4, 5, 6]])).toThrow(/gradientDescentInverse needs a square matrix, but M is 2×3/);
    expect(() => gradientDescentInverse(M, { initial: [[1, 0], [0, 1]] })).toThrow(/initial is 2×2 but M is 4×4/);
    expect(() => gradientDescentInverse(M, { learningRate: -1 })).toThrow(/learningRate must be a finite number > 0/);
    expect(() => gradientDescentInverse(M, { steps: 2.5 })).toThrow(/steps must be an integer/);
  });
});
