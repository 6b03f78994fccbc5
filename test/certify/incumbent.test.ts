// The local ascent that gives the range MILPs their starting point: its gradient is the exact
// gradient of the piecewise-linear network inside an activation region, and the ascent only ever
// returns points of the box that are at least as good as where it started.
import { describe, expect, it } from 'vitest';
import { MlpModel } from '../../src/model/mlp.ts';
import { extractNetwork } from '../../src/certify/extract.ts';
import { bestPoint, ExpressionAscent } from '../../src/certify/incumbent.ts';
import { samplePoints } from '../../src/certify/questions.ts';
import { randomReluSpec } from '../../src/certify/random-network.ts';
import { evaluateNetwork, type PwlNetwork } from '../../src/certify/network.ts';

const box = { lower: Float64Array.of(-1, -2, -0.5), upper: Float64Array.of(2, 1, 0.5) };

function network(seed: number): PwlNetwork {
  const extraction = extractNetwork(new MlpModel(randomReluSpec([3, 10, 10, 2], seed)), box);
  if (!('network' in extraction)) throw new Error(extraction.reason);
  return extraction.network;
}

describe('local ascent for range starting points', () => {
  it('ascends: never below its start, always inside the box, and closes most of the gap between sampling and a dense grid', () => {
    let gapClosed = 0, cases = 0;
    for (const seed of [1, 2, 3]) {
      const net = network(seed);
      const ascent = new ExpressionAscent(net);
      // Dense grid (a lower bound on the true maximum).
      const grid: Float64Array[] = [];
      const steps = 24;
      for (let a = 0; a <= steps; a++) for (let b = 0; b <= steps; b++) for (let c = 0; c <= steps; c++) {
        grid.push(Float64Array.of(box.lower[0] + (a / steps) * 3, box.lower[1] + (b / steps) * 3, box.lower[2] + c / steps));
      }
      for (let i = 0; i < 2; i++) {
        for (const sign of [1, -1] as const) {
          const gridBest = Math.max(...grid.map((x) => sign * evaluateNetwork(net, x)[i]));
          const candidates = samplePoints(box, 64);
          const startBest = Math.max(...candidates.map((x) => ascent.value(net.outputs[i], sign, x)));
          const found = bestPoint(net, net.outputs[i], sign, box, candidates, 32);
          for (let j = 0; j < 3; j++) {
            expect(found.x[j]).toBeGreaterThanOrEqual(box.lower[j]);
            expect(found.x[j]).toBeLessThanOrEqual(box.upper[j]);
          }
          expect(found.value).toBeCloseTo(sign * evaluateNetwork(net, found.x)[i], 12);
          expect(found.value).toBeGreaterThanOrEqual(startBest);
          gapClosed += gridBest > startBest ? Math.min(1, (found.value - startBest) / (gridBest - startBest)) : 1;
          cases++;
        }
      }
    }
    // 64 sampled points leave a visible gap to the 15,625-point grid; the ascent closes most of it.
    expect(gapClosed / cases).toBeGreaterThan(0.75);
  });

  it('has the exact gradient inside an activation region (central differences at generic points)', () => {
    const net = network(4);
    const ascent = new ExpressionAscent(net);
    const h = 1e-7;
    for (const x of samplePoints(box, 9).slice(1)) {
      for (let i = 0; i < 2; i++) {
        for (const sign of [1, -1] as const) {
          const g = Float64Array.from(ascent.gradientAt(net.outputs[i], sign, x));
          for (let j = 0; j < 3; j++) {
            const p = Float64Array.from(x), q = Float64Array.from(x);
            p[j] += h; q[j] -= h;
            const difference = (ascent.value(net.outputs[i], sign, p) - ascent.value(net.outputs[i], sign, q)) / (2 * h);
            expect(g[j]).toBeCloseTo(difference, 6);
          }
        }
      }
    }
  });
});
