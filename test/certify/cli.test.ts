// `inversa reach` and `inversa invert --certify` on the PyTorch ReLU fixture; usage errors exit 2.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCli } from '../helpers/cli.ts';

const FIXTURE = path.resolve('test/fixtures/certify_relu_2d.onnx');
const BOX = ['--lower', '250,1.5', '--upper', '350,2.5'];
const cli = useCli();

describe('inversa reach', () => {
  it('prints certified min and max per output as JSON, exit 0', async () => {
    const code = await cli.run(['reach', FIXTURE, ...BOX, '--json']);
    expect(code, cli.stderr).toBe(0);
    const report = JSON.parse(cli.stdout);
    expect(report.certified).toBe(true);
    const [output] = report.outputs;
    expect(output.min.status).toBe('optimal');
    expect(output.max.objective).toBeGreaterThan(output.min.objective);
    expect(output.soundBound[0]).toBeLessThanOrEqual(output.min.objective + 1e-9);
    expect(output.soundBound[1]).toBeGreaterThanOrEqual(output.max.objective - 1e-9);
  });

  it('needs a finite box (exit 2) and rejects a bad --tightening (exit 2)', async () => {
    expect(await cli.run(['reach', FIXTURE])).toBe(2);
    expect(cli.stderr).toMatch(/finite box/);
    expect(await cli.run(['reach', FIXTURE, ...BOX, '--tightening', 'magic'])).toBe(2);
  });

  it('says there is no certificate for a smooth network (exit 1)', async () => {
    const code = await cli.run(['reach', path.resolve('test/fixtures/tanh_mlp_7x64x64x4.onnx'), '--lower', '0,0,0,0,0,0,0', '--upper', '1,1,1,1,1,1,1']);
    expect(code).toBe(1);
    expect(cli.stdout).toMatch(/no certificate: .*Tanh/);
  });
});

describe('inversa invert --certify', () => {
  it('answers optimal or infeasible per target, with the certificate in the JSON', async () => {
    await cli.run(['reach', FIXTURE, ...BOX, '--json']);
    const { outputs: [range] } = JSON.parse(cli.stdout);
    const span = range.max.objective - range.min.objective;
    const directory = mkdtempSync(path.join(tmpdir(), 'inversa-certify-'));
    const targets = path.join(directory, 'targets.csv');
    writeFileSync(targets, `y0\n${range.max.objective - 0.05 * span}\n${range.max.objective + 0.01 * span}\n`);
    cli.stdout = '';
    const code = await cli.run(['invert', FIXTURE, '--targets', targets, ...BOX, '--certify', '--cost', '1,0', '--json']);
    expect(code, cli.stderr).toBe(1); // a target proved unreachable fails the run (exit 1), as any unmet target
    const report = JSON.parse(cli.stdout);
    expect(report.results.map((r: { status: string }) => r.status)).toEqual(['optimal', 'infeasible']);
    expect(report.results[0].certificate.proof).toBe('milp');
    expect(report.results[1].certificate.status).toBe('infeasible');
  });

  it('rejects --time-limit without --certify (exit 2)', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'inversa-certify-'));
    const targets = path.join(directory, 'targets.csv');
    writeFileSync(targets, 'y0\n1500\n');
    expect(await cli.run(['invert', FIXTURE, '--targets', targets, '--time-limit', '5'])).toBe(2);
  });
});
