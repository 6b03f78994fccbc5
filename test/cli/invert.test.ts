// `inversa invert` on the tanh 7→64→64→4 fixture: targets are PyTorch's outputs at known points
// (test/fixtures/tanh_mlp_7x64x64x4.json), so every target is reachable; the CLI must solve them,
// write the CSV atomically, print JSON on request, and reject bad usage with the right exit code.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useCli } from '../helpers/cli.ts';

const FIXTURE = path.resolve('test/fixtures/tanh_mlp_7x64x64x4.onnx');
const reference = JSON.parse(readFileSync('test/fixtures/tanh_mlp_7x64x64x4.json', 'utf8')) as { points: number[][]; outputs: { output1: number[][] } };

let directory = '';
const cli = useCli();
beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'inversa-invert-'));
});

function writeTargets(rows: number[][], header = 'y0,y1,y2,y3'): string {
  const file = path.join(directory, 'targets.csv');
  writeFileSync(file, `${header}\n${rows.map((row) => row.join(',')).join('\n')}\n`);
  return file;
}

describe('inversa invert', () => {
  it('solves PyTorch-made (reachable) targets with lm and writes the solutions CSV', async () => {
    const targets = reference.outputs.output1.slice(0, 8);
    const out = path.join(directory, 'solutions.csv');
    const code = await cli.run(['invert', FIXTURE, '--targets', writeTargets(targets), '--start', writeStart([0, 0, 0, 0, 0, 0, 0]), '--out', out]);
    expect(code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/8 of 8 target\(s\) converged/);
    expect(cli.stdout).toMatch(/rank +cond \(std\) +cond \(raw\)/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.length).toBe(9);
    const header = lines[0].split(',');
    const residualColumn = header.indexOf('residual_norm'), statusColumn = header.indexOf('status');
    const reasonColumn = header.indexOf('reason'), costColumn = header.indexOf('cost'), optimalityColumn = header.indexOf('optimality');
    expect(Math.min(reasonColumn, costColumn, optimalityColumn)).toBeGreaterThan(statusColumn);
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      expect(cells[statusColumn]).toBe('converged');
      expect(cells[reasonColumn]).toBe('converged');
      // cost is ½‖scaled residual‖² (its value is checked in test/solve/result-fields.test.ts).
      for (const column of [costColumn, optimalityColumn]) expect(Number(cells[column])).toBeGreaterThanOrEqual(0);
      // Targets are float32 PyTorch outputs; our float64 evaluation reaches them to the tolerance.
      expect(Number(cells[residualColumn])).toBeLessThan(1e-9);
    }
  });

  it('--json with bounds from a JSON file and a start outside them (projected, warned)', async () => {
    const bounds = path.join(directory, 'bounds.json');
    writeFileSync(bounds, JSON.stringify({ lower: Array(7).fill(-3), upper: Array(7).fill(3) }));
    const code = await cli.run(['invert', FIXTURE, '--targets', writeTargets(reference.outputs.output1.slice(0, 2)), '--bounds', bounds, '--start', writeStart([5, 0, 0, 0, 0, 0, 0]), '--json']);
    expect(code, cli.stderr).toBe(0);
    const parsed = JSON.parse(cli.stdout) as { results: { status: string; x: number[]; residualNorm: number }[]; warnings: string[] };
    expect(parsed.results.length).toBe(2);
    expect(parsed.warnings.join(' ')).toMatch(/projected/);
    for (const result of parsed.results) {
      expect(result.status).toBe('converged');
      for (const value of result.x) expect(Math.abs(value)).toBeLessThanOrEqual(3);
    }
  });

  it('--starts K reports several distinct solutions of the 7→4 model (a 3-dimensional solution set)', async () => {
    const out = path.join(directory, 'multi.csv');
    const code = await cli.run(['invert', FIXTURE, '--targets', writeTargets([reference.outputs.output1[0]]), '--starts', '4', '--seed', '3', '--lower', '-3,-3,-3,-3,-3,-3,-3', '--upper', '3,3,3,3,3,3,3', '--out', out]);
    expect(code, cli.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(2);
    const header = lines[0].split(',');
    expect(lines[1].split(',')[header.indexOf('manifold_dimension')]).toBe('3');
  });

  it('bad usage: unknown method (exit 2), wrong target width (exit 1, names the outputs)', async () => {
    expect(await cli.run(['invert', FIXTURE, '--targets', writeTargets([[1, 2, 3, 4]]), '--method', 'newton'])).toBe(2);
    expect(cli.stderr).toMatch(/--method must be one of/);
    cli.stderr = '';
    expect(await cli.run(['invert', FIXTURE, '--targets', writeTargets([[1, 2, 3]], 'a,b,c')])).toBe(1);
    expect(cli.stderr).toMatch(/3|column/);
  });
});

describe('inversa invert: statuses, domain and exit codes (issue 11)', () => {
  it('a target outside the bound of f over the box: proven unreachable, exit 1, the CSV still written', async () => {
    const out = path.join(directory, 'far.csv');
    const code = await cli.run(['invert', FIXTURE, '--targets', writeTargets([[1e6, 0, 0, 0], reference.outputs.output1[0]]), '--lower', '-1,-1,-1,-1,-1,-1,-1', '--upper', '1,1,1,1,1,1,1', '--out', out]);
    expect(code).toBe(1);
    expect(cli.stdout).toMatch(/1 proven unreachable within the bounds/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const header = lines[0].split(',');
    expect(lines[1].split(',')[header.indexOf('status')]).toBe('infeasible-within-bounds');
    expect(lines[2].split(',')[header.indexOf('status')]).toBe('converged');
    // The fixture carries no box or training statistics: membership is unknown, and said so.
    expect(lines[2].split(',')[header.indexOf('in_training_range')]).toBe('unknown');
    expect(cli.stdout).toMatch(/inside the training range: unknown/);
  });

  it('a LayerNorm MLP (opset 17 LayerNormalization): a target far outside √(n − 1)·|scale| + |bias| is proven unreachable', async () => {
    // Targets: PyTorch's output at a point of the fixture (reachable), and 1e3 on output 0 (the
    // LayerNorm bound keeps every output within a few units over this box).
    const fixture = path.resolve('test/fixtures/coverage/layer_norm.f64.op17.onnx');
    const layerNorm = JSON.parse(readFileSync('test/fixtures/coverage/layer_norm.json', 'utf8')) as { points: number[][]; references: Record<string, { outputs: number[][] }> };
    const reachable = layerNorm.references['17'].outputs[0];
    const out = path.join(directory, 'layernorm.csv');
    const box = ['--lower', '-4,-4,-4,-4', '--upper', '4,4,4,4'];
    const code = await cli.run(['invert', fixture, '--targets', writeTargets([[1e3, reachable[1], reachable[2]], reachable], 'y0,y1,y2'), ...box, '--out', out]);
    expect(code, cli.stderr).toBe(1);
    expect(cli.stdout).toMatch(/1 proven unreachable within the bounds/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const status = lines[0].split(',').indexOf('status');
    expect(lines[1].split(',')[status]).toBe('infeasible-within-bounds');
    expect(lines[2].split(',')[status]).toBe('converged');
  });

  it('--data train.csv: training range with density check, and a warning with a count for targets outside the outputs\' range', async () => {
    const data = path.join(directory, 'train.csv');
    const names = ['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'y0', 'y1', 'y2', 'y3'];
    writeFileSync(data, `${names.join(',')}\n${reference.points.map((point, k) => [...point, ...reference.outputs.output1[k]].join(',')).join('\n')}\n`);
    const code = await cli.run(['invert', FIXTURE, '--targets', writeTargets([reference.outputs.output1[0], [50, 50, 50, 50]]), '--data', data, '--json']);
    expect(code).toBe(1);
    const parsed = JSON.parse(cli.stdout) as { results: { status: string; inTrainingRange: boolean | null; domainBasis: string }[]; warnings: string[] };
    expect(parsed.warnings.join(' ')).toMatch(/1 of 2 target\(s\) lie outside the outputs' minimum and maximum in the training data \(first rows 2\)/);
    expect(parsed.results[0].status).toBe('converged');
    expect(parsed.results[0].domainBasis).toBe('mean±3std:training-data+density:5-NN');
    expect(typeof parsed.results[0].inTrainingRange).toBe('boolean');
  });

  it('bad option values exit 2 naming the option: --cost of the wrong length, --max-starts 0; absurd targets exit 1 naming row and column', async () => {
    expect(await cli.run(['invert', FIXTURE, '--targets', writeTargets([reference.outputs.output1[0]]), '--cost', '4,1'])).toBe(2);
    expect(cli.stderr).toMatch(/--cost: expected 7/);
    cli.stderr = '';
    expect(await cli.run(['invert', FIXTURE, '--targets', writeTargets([reference.outputs.output1[0]]), '--max-starts', '0'])).toBe(2);
    cli.stderr = '';
    expect(await cli.run(['invert', FIXTURE, '--targets', writeTargets([[0, 0, 0, 0], [0, 1e300, 0, 0]])])).toBe(1);
    expect(cli.stderr).toMatch(/target row 2, output y1 is 1e\+300: beyond what float64/);
    expect(cli.stderr.trim().split('\n')).toHaveLength(1);
  });
});

function writeStart(values: number[]): string {
  const file = path.join(directory, 'start.csv');
  writeFileSync(file, `${values.join(',')}\n`);
  return file;
}
