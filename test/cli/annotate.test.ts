// `inversa annotate` writes names, units, box and training statistics into a copy of a third-party
// export; `inspect` reads them back (round trip), and `invert` then knows the training range.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { loadModelFile } from '../../src/io/model-file.ts';
import { useCli } from '../helpers/cli.ts';

const MODEL = path.resolve('test/fixtures/scaling/folded_gemm.onnx');
const LOWER = [0, 0.1, 200, -5, 1000], UPPER = [1500, 0.4, 800, 5, 3000];
const INPUTS = ['temp', 'frac', 'press', 'shift', 'flow'], OUTPUTS = ['u', 'v', 'w'];

let directory = '';
const cli = useCli();
beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'inversa-annotate-'));
});

async function trainingCsv(rows: number): Promise<{ file: string; x: Matrix; y: Matrix }> {
  const model = await loadModelFile(MODEL);
  const random = new Random(4);
  const x = new Matrix(rows, 5);
  for (let k = 0; k < rows; k++) for (let j = 0; j < 5; j++) x.data[k * 5 + j] = random.between(LOWER[j], UPPER[j]);
  const y = model.forward(x);
  const file = path.join(directory, 'train.csv');
  const lines = Array.from({ length: rows }, (_, k) => [...x.data.subarray(k * 5, k * 5 + 5), ...y.data.subarray(k * 3, k * 3 + 3)].join(','));
  writeFileSync(file, `${[...INPUTS, ...OUTPUTS].join(',')}\n${lines.join('\n')}\n`);
  return { file, x, y };
}

describe('inversa annotate', () => {
  it('round-trips names, units, box and training statistics through inspect, and invert uses them', async () => {
    const { file, x } = await trainingCsv(300);
    const out = path.join(directory, 'annotated.onnx');
    const code = await cli.run(['annotate', MODEL, '--out', out, '--input-names', INPUTS.join(','), '--output-names', OUTPUTS.join(','),
      '--units', 'temp=°C,frac=1,u=kg/s', '--lower', LOWER.join(','), '--upper', UPPER.join(','), '--data', file]);
    expect(code, cli.stderr).toBe(0);
    cli.stdout = '';
    expect(await cli.run(['inspect', out, '--json'])).toBe(0);
    const inspection = JSON.parse(cli.stdout) as { known: { inputNames: string[]; outputNames: string[]; inputUnits: string[]; outputUnits: string[]; operatingBox: { lower: number[]; upper: number[] }; inputStats: string; outputStats: string; quantiles: boolean } };
    expect(inspection.known.inputNames).toEqual(INPUTS);
    expect(inspection.known.outputNames).toEqual(OUTPUTS);
    expect(inspection.known.inputUnits).toEqual(['°C', '1', '', '', '']);
    expect(inspection.known.outputUnits).toEqual(['kg/s', '', '']);
    expect(inspection.known.operatingBox).toEqual({ lower: LOWER, upper: UPPER });
    expect(inspection.known.inputStats).toBe('metadata');
    expect(inspection.known.outputStats).toBe('metadata');
    expect(inspection.known.quantiles).toBe(true);
    // The stored mean is the data's mean.
    const model = await loadModelFile(out);
    let mean = 0;
    for (let k = 0; k < 300; k++) mean += x.data[k * 5] / 300;
    expect(model.meta?.inputMean?.[0]).toBeCloseTo(mean, 9);
    expect(model.inputNames).toEqual(INPUTS);
    // The same graph: outputs unchanged.
    const original = await loadModelFile(MODEL);
    const probe = new Matrix(1, 5, Float64Array.from(LOWER));
    expect(Array.from(model.forward(probe).data)).toEqual(Array.from(original.forward(probe).data));
    // invert now knows the training range (the stored box).
    cli.stdout = '';
    const targets = path.join(directory, 'targets.csv');
    writeFileSync(targets, `u,v,w\n${Array.from(original.forward(new Matrix(1, 5, Float64Array.of(700, 0.2, 500, 1, 2000))).data).join(',')}\n`);
    expect(await cli.run(['invert', out, '--targets', targets, '--json'])).toBe(0);
    const result = (JSON.parse(cli.stdout) as { results: { inTrainingRange: boolean | null; domainBasis: string }[] }).results[0];
    expect(result.inTrainingRange).toBe(true);
    expect(result.domainBasis).toBe('operating-box');
    // Text inspect says what is known.
    cli.stdout = '';
    await cli.run(['inspect', out]);
    expect(cli.stdout).toMatch(/operating box: +lower \[0, 0.1, 200, -5, 1000\]/);
    expect(readFileSync(out).length).toBeGreaterThan(readFileSync(MODEL).length);
  });

  it('inspect of a bare export says what is unknown', async () => {
    expect(await cli.run(['inspect', MODEL])).toBe(0);
    expect(cli.stdout).toMatch(/input names: +unknown/);
    expect(cli.stdout).toMatch(/training range: +unknown/);
  });

  it('bad usage exits 2 with one line: wrong name count, unknown unit name, lower > upper', async () => {
    const out = path.join(directory, 'x.onnx');
    for (const [argv, message] of [
      [['--input-names', 'a,b'], /--input-names: expected 5 non-empty names/],
      [['--units', 'nope=m'], /--units: "nope" is neither an input/],
      [['--lower', '1,1,1,1,1', '--upper', '0,2,2,2,2'], /--lower 1 > --upper 0 for input x0/],
    ] as const) {
      cli.stderr = '';
      expect(await cli.run(['annotate', MODEL, '--out', out, ...argv])).toBe(2);
      expect(cli.stderr).toMatch(message);
      expect(cli.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
