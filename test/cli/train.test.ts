// `inversa train` end to end through run(argv): a dataset run writing loadable models (also via
// `inversa inspect`), a CSV run with columns chosen by name, and every bad input of the issue
// rejected before training (exit 1 or 2, one line naming what is wrong, no files written).
// Plus one spawned run interrupted with SIGINT mid-training: it must leave no model file behind.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCli } from '../helpers/cli.ts';
import { generateDataset } from '../../src/data/datasets/index.ts';

const root = mkdtempSync(path.join(tmpdir(), 'inversa-cli-train-'));
let counter = 0;
const freshDirectory = () => path.join(root, `out-${counter++}`);

const cli = useCli();

/** A plant CSV with `rows` rows (header + one comment line). */
function plantCsv(name: string, rows: number, edit?: (lines: string[][]) => void): string {
  const generated = generateDataset('plant', rows, 3);
  const lines: string[][] = [];
  for (let r = 0; r < rows; r++) lines.push([...generated.inputs.row(r), ...generated.outputs.row(r)].map(String));
  edit?.(lines);
  const file = path.join(root, name);
  writeFileSync(file, ['# plant sample', [...generated.inputNames, ...generated.outputNames].join(','), ...lines.map((line) => line.join(','))].join('\n') + '\n');
  return file;
}

const INPUTS = 'h2i_rate,pci_rate,ngi_rate,o2_volfract,h2_temp,hbtemp,wind_rt';
const OUTPUTS = 'tgt,hmt,prod_rt,fta';
const QUICK = ['--epochs', '3', '--hidden', '16,16', '--no-progress'];

describe('inversa train', () => {
  it('--dataset arm --inverse: writes both models and the report; JSON report on stdout', async () => {
    const out = freshDirectory();
    const code = await cli.run(['train', '--dataset', 'arm', '--rows', '400', ...QUICK, '--inverse', '--alpha', '0.3', '--alpha-schedule', 'linear:2', '--out', out, '--json']);
    expect(code, cli.stderr).toBe(0);
    const report = JSON.parse(cli.stdout);
    expect(report.inverse.alpha).toBe(0.3);
    expect(report.inverse.curves.alpha).toEqual([0.3, 0.15, 0]);
    expect(report.forward.test.scores.map((s: { name: string }) => s.name)).toEqual(['y1', 'y2']);
    // Built-in dataset: the inverse is also re-simulated through the true arm kinematics.
    expect(report.inverse.test.referenceResimulationError).toBeGreaterThan(0);
    expect(readdirSync(out).sort()).toEqual(['forward.onnx', 'inverse.onnx', 'training-report.json']);
  });

  it('the exported model loads back through `inversa inspect`', async () => {
    const out = freshDirectory();
    expect(await cli.run(['train', '--dataset', 'plant', '--rows', '300', ...QUICK, '--out', out])).toBe(0);
    expect(cli.stdout).toMatch(/forward net 7→16→16→4 resmlp relu \(trained in float32\)/);
    expect(cli.stdout).toMatch(/files: .*forward\.onnx/);
    cli.stdout = '';
    expect(await cli.run(['inspect', path.join(out, 'forward.onnx'), '--json'])).toBe(0);
    const inspection = JSON.parse(cli.stdout);
    expect(inspection.supported).toBe(true);
    expect(JSON.parse(inspection.metadata['inversa.input_names'])).toEqual(INPUTS.split(','));
    expect(inspection.metadata['inversa.seed']).toBe('42');
  });

  it('--precision float64 trains with the float64 path and records it in the report', async () => {
    const out = freshDirectory();
    expect(await cli.run(['train', '--dataset', 'sine', '--rows', '200', ...QUICK, '--precision', 'float64', '--out', out, '--json'])).toBe(0);
    expect(JSON.parse(cli.stdout).forward.options.precision).toBe('float64');
  });

  it('--data CSV with columns by name (any order), --pca and --bounds', async () => {
    const file = plantCsv('ok.csv', 200);
    const out = freshDirectory();
    const inputs = INPUTS.split(',').reverse().join(',');
    const bounds = INPUTS.split(',').map(() => '-1000:5000').join(',');
    const code = await cli.run(['train', '--data', file, '--inputs', inputs, '--outputs', OUTPUTS, '--pca', '4', '--bounds', bounds, ...QUICK, '--out', out, '--json']);
    expect(code, cli.stderr).toBe(0);
    const report = JSON.parse(cli.stdout);
    expect(report.data.inputNames).toEqual(inputs.split(','));
    expect(report.data.pca.components).toBe(4);
    expect(report.data.bounds.lower).toEqual(Array(7).fill(-1000));
  });
});

describe('bad input: a clear error before any training, and no files', () => {
  const cases: [string, () => string[], RegExp, number][] = [
    ['misspelled column lists the available ones', () => ['--data', plantCsv('a.csv', 50), '--inputs', INPUTS.replace('hbtemp', 'hb_temp'), '--outputs', OUTPUTS], /hb_temp.*available columns: h2i_rate, pci_rate/, 1],
    ['non-numeric cell: line and column', () => ['--data', plantCsv('b.csv', 50, (lines) => (lines[9][2] = 'n/a')), '--inputs', INPUTS, '--outputs', OUTPUTS], /line 12, column "ngi_rate"/, 1],
    ['constant column named', () => ['--data', plantCsv('c.csv', 50, (lines) => lines.forEach((line) => (line[3] = '30'))), '--inputs', INPUTS, '--outputs', OUTPUTS], /"o2_volfract" is constant/, 1],
    ['too few rows for the split', () => ['--data', plantCsv('d.csv', 3), '--inputs', INPUTS, '--outputs', OUTPUTS], /too few rows/, 1],
    ['PCA components > inputs', () => ['--dataset', 'plant', '--rows', '100', '--pca', '9'], /--pca 9.*number of inputs \(7\)/, 2],
    ['alpha outside [0, 1]', () => ['--dataset', 'plant', '--rows', '100', '--inverse', '--alpha', '1.5'], /--alpha must be a number in \[0, 1\]/, 2],
    ['alpha without --inverse', () => ['--dataset', 'plant', '--rows', '100', '--alpha', '0.5'], /add --inverse/, 2],
    ['non-numeric option', () => ['--dataset', 'plant', '--epochs', 'ten'], /--epochs must be an integer ≥ 1, got "ten"/, 2],
    ['unknown dataset', () => ['--dataset', 'furnace'], /unknown dataset 'furnace'.*available: arm, plant, sine, ballistics/, 1],
    ['no data at all', () => [], /--data FILE.csv.*--dataset NAME/, 2],
    ['CSV without --inputs lists the columns', () => ['--data', plantCsv('e.csv', 20), '--outputs', OUTPUTS], /needs --inputs and --outputs.*available columns: h2i_rate/, 2],
    ['unknown precision', () => ['--dataset', 'plant', '--rows', '100', '--precision', 'float16'], /--precision must be one of float32, float64/, 2],
    ['bad alpha schedule', () => ['--dataset', 'plant', '--rows', '100', '--inverse', '--alpha-schedule', 'cosine'], /--alpha-schedule must be 'constant' or 'linear:E'/, 2],
  ];
  for (const [name, argv, message, exitCode] of cases) {
    it(name, async () => {
      const out = freshDirectory();
      const code = await cli.run(['train', ...QUICK, ...argv(), '--out', out]);
      expect(code).toBe(exitCode);
      expect(cli.stderr).toMatch(message);
      expect(cli.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    });
  }
});

describe('interrupted training', () => {
  it('SIGINT during training leaves no model file (not even a partial one)', async () => {
    const out = freshDirectory();
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, '../../src/apps/cli/main.ts'),
      'train', '--dataset', 'plant', '--rows', '3000', '--epochs', '100000', '--patience', '100000', '--no-progress', '--out', out],
      { env: { ...process.env, INVERSA_CLI: '1' }, stdio: 'ignore' });
    // Give it time to start training (module loading + data generation), then interrupt.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    expect(child.exitCode).toBe(null); // still training (100,000 epochs)
    child.kill('SIGINT');
    expect((await exited).signal).toBe('SIGINT');
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});

