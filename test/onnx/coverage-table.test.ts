// docs/onnx-coverage.md must be what scripts/onnx-coverage.ts generates from the operator registry
// and the tests today; regenerate with `npm run docs:onnx-coverage`. README links it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COVERAGE_DOCUMENT, coverageDocument } from '../../scripts/onnx-coverage.ts';
import { OPERATORS } from '../../src/onnx/ops/registry.ts';

describe('docs/onnx-coverage.md', () => {
  it('is up to date with the registry and the tests (npm run docs:onnx-coverage)', () => {
    expect(readFileSync(COVERAGE_DOCUMENT, 'utf8')).toBe(coverageDocument());
  });

  it('has a row per operator, and every operator of issue 13 has a test', () => {
    const document = coverageDocument();
    for (const name of OPERATORS.keys()) expect(document).toMatch(new RegExp(`^\\| ${name} \\|`, 'm'));
    const issue13 = ['LayerNormalization', 'ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceL2', 'Sin', 'Cos', 'Abs', 'Max', 'Min',
      'Sum', 'Mean', 'PRelu', 'Selu', 'Celu', 'HardSigmoid', 'HardSwish', 'Mish', 'Softsign', 'ThresholdedRelu', 'Softmax', 'LogSoftmax',
      'Transpose', 'Slice', 'Split', 'Gather', 'Expand', 'Tile', 'Where', 'Shape', 'Size', 'ConstantOfShape', 'Range', 'Reciprocal', 'Floor',
      'Ceil', 'Round', 'Sign', 'InstanceNormalization', 'GroupNormalization'];
    for (const name of issue13) {
      const row = document.split('\n').find((line) => line.startsWith(`| ${name} |`));
      expect(row, name).toBeDefined();
      expect(row, name).not.toMatch(/\*\*none\*\*/);
    }
  });

  it('is linked from the README', () => {
    const readme = readFileSync(path.join(path.dirname(COVERAGE_DOCUMENT), '..', 'README.md'), 'utf8');
    expect(readme).toMatch(/\(docs\/onnx-coverage\.md\)/);
  });
});
