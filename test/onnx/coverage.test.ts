// Operator coverage (issue 13): every fixture of test/fixtures/coverage (made by
// make_coverage_fixtures.py from torch.nn modules and functional forms, float32 and float64, opsets
// 13 and 17, plus onnx.helper graphs for opsets 17/18/21) loads with exact Jacobians, `inspect` calls
// it supported, and outputs and Jacobians equal PyTorch float64 autograd.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Matrix } from '../../src/linalg/matrix.ts';
import { inspectOnnx } from '../../src/onnx/inspect.ts';
import { loadOnnxModel } from '../../src/onnx/load.ts';
import { blockwiseRelativeError, centralDifferences, FIXTURES, flatten } from './helpers.ts';

/** Forward vs PyTorch float64 on the same (float32-representable) weights: both exact up to rounding. */
const FORWARD_TOLERANCE = 1e-12;
/** Jacobians vs torch.autograd.functional.jacobian in float64. */
const JACOBIAN_TOLERANCE = 1e-10;
/** Central differences (step 1e-6) of our own forward agree with the exact derivative to ~h² + ε/h. */
const CENTRAL_DIFFERENCE_TOLERANCE = 1e-6;

interface CoverageFixture {
  name: string;
  points: number[][];
  variants: { file: string; elementType: string; opset: number; operators: Record<string, number> }[];
  references: Record<string, { outputs: number[][]; jacobians: number[][][] }>;
}

const DIRECTORY = path.join(FIXTURES, 'coverage');
const fixtures: CoverageFixture[] = readdirSync(DIRECTORY).filter((f) => f.endsWith('.json')).sort()
  .map((f) => JSON.parse(readFileSync(path.join(DIRECTORY, f), 'utf8')) as CoverageFixture);

describe('operator coverage fixtures against PyTorch float64 autograd', () => {
  it('has the fixtures of every operator family', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(25);
    expect(fixtures.flatMap((f) => f.variants).length).toBeGreaterThanOrEqual(88);
  });

  for (const fixture of fixtures) {
    for (const variant of fixture.variants) {
      it(`${variant.file}: supported, outputs and Jacobians equal PyTorch`, async () => {
        const bytes = new Uint8Array(readFileSync(path.join(DIRECTORY, variant.file)));
        const inspection = inspectOnnx(bytes, variant.file);
        expect(inspection.problems).toEqual([]);
        expect(inspection.status).toBe('supported');
        expect(inspection.blockingNodes).toEqual([]);
        const model = await loadOnnxModel(bytes, { source: variant.file });
        expect(model.meta.approximateJacobian).toBe(false);
        const reference = fixture.references[String(variant.opset)];
        const x = Matrix.fromArray(fixture.points);
        const m = reference.outputs[0].length, n = x.cols;
        const { y, jacobian } = model.forwardWithJacobian(x);
        expect(blockwiseRelativeError(y.data, flatten(reference.outputs), m)).toBeLessThan(FORWARD_TOLERANCE);
        expect(blockwiseRelativeError(jacobian.data, flatten(reference.jacobians), m * n)).toBeLessThan(JACOBIAN_TOLERANCE);
        const differences = centralDifferences((points) => model.forward(points), x, m);
        expect(blockwiseRelativeError(differences, jacobian.data, m * n)).toBeLessThan(CENTRAL_DIFFERENCE_TOLERANCE);
      });
    }
  }
});
