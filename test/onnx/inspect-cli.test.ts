// `inversa inspect`: text and --json output on fixtures and on an exported model, and a one-line
// error with exit code 1 on bad files. Runs the CLI in-process via run(argv).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCli } from '../helpers/cli.ts';
import { exportMlpToOnnx } from '../../src/onnx/write.ts';
import { randomMlpSpec } from '../model/mlp-random-spec.ts';
import { FIXTURES, fixtureBytes, fixtureReference } from './helpers.ts';

const cli = useCli();

const fixture = (name: string) => path.join(FIXTURES, `${name}.onnx`);

describe('inversa inspect', () => {
  it('prints inputs, outputs, operators and the detected standardization', async () => {
    expect(await cli.run(['inspect', fixture('resmlp_blast_furnace')])).toBe(0);
    expect(cli.stdout).toMatch(/input\s+input1\s+float32\s+\[batch, 7\]/);
    expect(cli.stdout).toMatch(/output\s+output1\s+float32\s+\[batch, 4\]/);
    expect(cli.stdout).toMatch(/Gemm\s+4\s+yes/);
    expect(cli.stdout).toMatch(/mean \[12\.5, 18\.6, 41\.3, 25\.6, 271\.8, 1438\.1, 198\.7\]/);
    expect(cli.stdout).toMatch(/supported/);
  });

  it('--json gives the operator counts of the file and support flags', async () => {
    for (const name of ['op_zoo', 'two_outputs', 'batchnorm_mlp', 'float64_mixed_activations', 'handmade_ops', 'tanh_mlp_7x64x64x4']) {
      cli.stdout = '';
      expect(await cli.run(['inspect', fixture(name), '--json'])).toBe(0);
      const result = JSON.parse(cli.stdout);
      const expected = fixtureReference(name).operators; // counted by the onnx Python package
      expect(Object.fromEntries(result.operators.map((o: { name: string; count: number }) => [o.name, o.count]))).toEqual(expected);
      expect(result.supported).toBe(true);
      expect(result.outputs.map((o: { name: string }) => o.name)).toEqual(fixtureReference(name).outputNames);
    }
  });

  it('reports the unsupported operator (exit 0: inspecting is not failing)', async () => {
    expect(await cli.run(['inspect', fixture('cumsum_unsupported'), '--json'])).toBe(0);
    const result = JSON.parse(cli.stdout);
    expect(result.supported).toBe(false);
    expect(result.operators.find((o: { name: string }) => o.name === 'CumSum').supported).toBe(false);
    expect(result.message).toMatch(/CumSum/);
    expect(result.blockingNodes).toEqual([{ node: '/CumSum', operator: 'CumSum', reason: 'operator not supported' }]);
    expect(await cli.run(['inspect', fixture('cumsum_unsupported')])).toBe(0);
    expect(cli.stdout).toMatch(/blocking nodes:\n\s*node\s+operator\s+why\n.*\n\s*\/CumSum\s+CumSum\s+operator not supported/);
  });

  it('works on a model inversa exported, showing its metadata', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'inversa-inspect-'));
    const file = path.join(dir, 'exported.onnx');
    writeFileSync(file, exportMlpToOnnx(randomMlpSpec({ inputs: 3, outputs: 2, scaling: true, seed: 2 })));
    expect(await cli.run(['inspect', file])).toBe(0);
    expect(cli.stdout).toMatch(/inversa\.input_names = \["x1","x2","x3"\]/);
    expect(cli.stdout).toMatch(/input\s+\(x − mean\)\/std/);
  });

  it('exits 1 with one line on a truncated, a non-ONNX and a missing file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'inversa-inspect-'));
    const truncated = path.join(dir, 'truncated.onnx');
    writeFileSync(truncated, fixtureBytes('tanh_mlp_7x64x64x4').subarray(0, 5000));
    const text = path.join(dir, 'points.onnx');
    writeFileSync(text, 'x,y\n1,2\n');
    for (const file of [truncated, text, path.join(dir, 'missing.onnx')]) {
      cli.stderr = '';
      expect(await cli.run(['inspect', file])).toBe(1);
      expect(cli.stderr.trim().split('\n')).toHaveLength(1);
      expect(cli.stderr).toMatch(/^inversa: /);
      expect(cli.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
