// Seeded fuzzing of the command line (issue 18): mutated ONNX files (truncation, bit flips, dims
// bombs, corrupt metadata, bad opset/IR versions, graph damage), mutated targets CSVs (spreadsheet
// error cells, stray text, foreign headers, ragged or cut rows, comments/BOM/CRLF) and extreme option
// values. Every case must end with exit 0 and sane output, or exit 1/2 and one line on stderr —
// never a stack trace, a hang (the test timeout) or a crash. A successful invert must write exactly
// one solution per target row of the file: no row may be dropped or re-labelled silently.
// CI runs a small seeded sample (seconds); `npm run fuzz` runs FUZZ_CASES per family with a new seed.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/linalg/random.ts';
import { useCli } from '../helpers/cli.ts';
import { loadOnnxModel } from '../../src/onnx/load.ts';
import { fixtureBytes } from '../onnx/helpers.ts';
import { caseCount, contractViolation, FUZZ_SEED, fuzzModel, mutateOnnx, mutateTargetsCsv, pick, reachableTargets } from './harness.ts';

const cli = useCli();
const directory = mkdtempSync(path.join(tmpdir(), 'inversa-fuzz-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const base = fuzzModel();
const modelPath = path.join(directory, 'model.onnx');
writeFileSync(modelPath, base.bytes);
const targetsPath = path.join(directory, 'targets.csv');
writeFileSync(targetsPath, `${base.outputNames.join(',')}\n${reachableTargets(base.model, 3, new Random(FUZZ_SEED)).map((row) => row.join(',')).join('\n')}\n`);

/** Run one case; returns a failure description or null. */
async function runCase(argv: string[]): Promise<{ code: number; problem: string | null }> {
  // FUZZ_LOG=file appends each command before it runs, to find a case that hangs.
  if (process.env.FUZZ_LOG) appendFileSync(process.env.FUZZ_LOG, `${JSON.stringify(argv)}\n`);
  cli.stdout = '';
  cli.stderr = '';
  process.exitCode = undefined;
  const code = await cli.run(argv);
  process.exitCode = undefined;
  return { code, problem: contractViolation(code, cli.stderr, cli.stdout) };
}

/** Solution rows of an invert --out CSV (header excluded). */
function solutionRows(file: string): number {
  return readFileSync(file, 'utf8').trim().split('\n').length - 1;
}

describe('fuzz: mutated ONNX fixtures (many operators)', () => {
  it(`inspect and invert (header-less targets of the right width): exit 0/1/2, one line (${caseCount(40)} cases)`, async () => {
    const random = new Random(FUZZ_SEED + 3);
    const failures: string[] = [];
    const bases = await Promise.all(['op_zoo', 'resmlp_blast_furnace', 'batchnorm_mlp', 'float64_mixed_activations', 'handmade_ops'].map(async (name) => {
      const bytes = fixtureBytes(name);
      const m = (await loadOnnxModel(bytes)).outputNames.length;
      const targets = path.join(directory, `${name}-targets.csv`);
      writeFileSync(targets, `${Array.from({ length: m }, (_, i) => (0.1 * (i + 1)).toString()).join(',')}\n`);
      return { name, bytes, targets };
    }));
    for (let k = 0; k < caseCount(40); k++) {
      const base = pick(random, bases);
      const mutation = mutateOnnx(base.bytes, random);
      const file = path.join(directory, `fixture-mutant-${k}.onnx`);
      writeFileSync(file, mutation.bytes);
      for (const argv of [['inspect', file], ['invert', file, '--targets', base.targets, '--max-iterations', '3']]) {
        const { code, problem } = await runCase(argv);
        if (problem) failures.push(`case ${k} (${base.name}: ${mutation.kind}) ${argv[0]}: ${problem}`);
        else if (mutation.mustFail && argv[0] === 'invert' && code === 0) failures.push(`case ${k} (${base.name}: ${mutation.kind}): solved with a model that must be refused`);
      }
      rmSync(file);
    }
    expect(failures).toEqual([]);
  });
});

describe('fuzz: mutated ONNX models', () => {
  it(`inspect and invert: exit 0/1/2, one line, never a stack trace (${caseCount(60)} cases, seed ${FUZZ_SEED})`, async () => {
    const random = new Random(FUZZ_SEED);
    const failures: string[] = [];
    const kinds = new Set<string>();
    for (let k = 0; k < caseCount(60); k++) {
      const mutation = mutateOnnx(base.bytes, random);
      kinds.add(mutation.kind.split(' ')[0]);
      const file = path.join(directory, `mutant-${k}.onnx`);
      writeFileSync(file, mutation.bytes);
      for (const argv of [['inspect', file], ['invert', file, '--targets', targetsPath, '--max-iterations', '5']]) {
        const { code, problem } = await runCase(argv);
        if (problem) failures.push(`case ${k} (${mutation.kind}) ${argv[0]}: ${problem}`);
        else if (mutation.mustFail && argv[0] === 'invert' && code === 0) failures.push(`case ${k} (${mutation.kind}): solved with a model that must be refused`);
      }
      rmSync(file);
    }
    expect(failures).toEqual([]);
    expect(kinds.size).toBeGreaterThanOrEqual(5); // the sample covers most mutation families
  });
});

describe('fuzz: mutated targets CSV', () => {
  it(`invert never drops or re-labels a row: exactly one solution per target, or a one-line error (${caseCount(60)} cases)`, async () => {
    const random = new Random(FUZZ_SEED + 1);
    const failures: string[] = [];
    for (let k = 0; k < caseCount(60); k++) {
      const targets = reachableTargets(base.model, 2 + random.integer(6), random);
      const mutation = mutateTargetsCsv(targets, base.outputNames, random);
      const file = path.join(directory, `targets-${k}.csv`), out = path.join(directory, `solutions-${k}.csv`);
      writeFileSync(file, mutation.text);
      const { code, problem } = await runCase(['invert', modelPath, '--targets', file, '--out', out, '--max-iterations', '20']);
      const label = `case ${k} (${mutation.kind})`;
      if (problem) failures.push(`${label}: ${problem}`);
      else if (mutation.rows === null && code === 0) failures.push(`${label}: accepted a file that must be an error`);
      else if (mutation.rows !== null && code === 0 && solutionRows(out) !== mutation.rows) failures.push(`${label}: ${solutionRows(out)} solutions for ${mutation.rows} rows`);
      else if (mutation.rows !== null && code !== 0 && !mutation.mayFail) failures.push(`${label}: refused a valid file: ${cli.stderr.trim()}`);
      rmSync(file);
      rmSync(out, { force: true });
    }
    expect(failures).toEqual([]);
  });
});

describe('fuzz: option extremes', () => {
  const extremes = ['0', '-1', '1e9', '1000000000', '1e308', '-1e308', 'NaN', 'Infinity', 'abc', '', '1.5', '9007199254740993', '0x10', ' 3 '];
  const lists = ['', ',', '1', '1,2', '1,2,3', '1e400,0,0', 'a,b,c', 'NaN,0,0', '-1e308,0,1e308', '0,0,0,0'];
  const invertOptions: [string, readonly string[]][] = [
    ['--starts', extremes], ['--max-iterations', extremes], ['--tolerance', extremes], ['--seed', extremes],
    ['--method', ['lm', 'nio', 'bogus', '', 'gauss-newton', 'min-norm', 'jacobian-transpose']],
    ['--lower', lists], ['--upper', lists], ['--reference', lists], ['--smoothness', extremes],
  ];
  it(`invert with extreme option values: exit 0/1/2 and one line (${caseCount(60)} cases)`, async () => {
    const random = new Random(FUZZ_SEED + 2);
    const failures: string[] = [];
    for (let k = 0; k < caseCount(60); k++) {
      const argv = ['invert', modelPath, '--targets', targetsPath];
      const picked = 1 + random.integer(2);
      for (let p = 0; p < picked; p++) {
        const [option, values] = pick(random, invertOptions);
        argv.push(option, pick(random, values));
      }
      if (!argv.includes('--max-iterations')) argv.push('--max-iterations', '20');
      // Keep CI fast: huge iteration counts only on a 1-target problem with a loose tolerance.
      const { problem } = await runCase(argv);
      if (problem) failures.push(`${argv.slice(4).join(' ')}: ${problem}`);
    }
    expect(failures).toEqual([]);
  });

  it('train, benchmark and lab with extreme sizes: one-line errors, no allocation crash', async () => {
    const cases = [
      ['train', '--dataset', 'sine', '--hidden', '100000,100000', '--out', path.join(directory, 'o1')],
      ['train', '--dataset', 'sine', '--hidden', '0', '--out', path.join(directory, 'o2')],
      ['train', '--dataset', 'sine', '--lr', '1e10', '--precision', 'float64', '--out', path.join(directory, 'o3')],
      ['train', '--dataset', 'sine', '--batch', '-1', '--out', path.join(directory, 'o4')],
      ['benchmark', 'arm', '--T', '1000000000'],
      ['benchmark', 'arm', '--samples', '1000000000'],
      ['benchmark', 'arm', '--targets', '1000000000'],
      ['invert', modelPath, '--targets', targetsPath, '--starts', '1000000000'],
      ['invert', modelPath, '--targets', targetsPath, '--starts', '99999999999999999999'],
      // Found by FUZZ_SEED=777: nio runs every iteration, so 1e9 was a hang of hours.
      ['invert', modelPath, '--targets', targetsPath, '--method', 'nio', '--max-iterations', '1e9'],
      ['lab', 'regression', '--samples', '1000000000', '--features', '3', '--out', path.join(directory, 'lab.html')],
      ['lab', 'sindy', '--duration', '1e9', '--dt', '1e-3', '--out', path.join(directory, 'lab.html')],
      ['lab', 'integrate', '--final-time', '1', '--dt', '1e-12,1e-11', '--out', path.join(directory, 'lab.html')],
    ];
    const failures: string[] = [];
    for (const argv of cases) {
      const { code, problem } = await runCase(argv);
      if (problem) failures.push(`${argv.join(' ')}: ${problem}`);
      else if (code === 0) failures.push(`${argv.join(' ')}: accepted`);
    }
    expect(failures).toEqual([]);
  });
});
