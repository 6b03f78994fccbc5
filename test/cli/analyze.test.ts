// `inversa analyze` end to end, in-process through run(argv): ONNX fixtures, CSV column matching,
// JSON and text output, the bad-input errors (exit 1, one line, no stack trace), the training-range
// warning, and the HTML report rendered in headless Chromium (charts drawn, screenshot not blank).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Matrix as ReferenceMatrix, SingularValueDecomposition } from 'ml-matrix';
import { analyzeInvertibility } from '../../src/analyze/invertibility.ts';
import { useCli } from '../helpers/cli.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { Random } from '../../src/linalg/random.ts';
import { loadModelFile } from '../../src/io/model-file.ts';
import { exportMlpToOnnx } from '../../src/onnx/write.ts';
import { MlpModel } from '../../src/model/mlp.ts';
import { randomMlpSpec, randomPoints } from '../model/mlp-random-spec.ts';
import { withBrowser, screenshotHtml } from '../helpers/browser.ts';

const fixtures = path.resolve(import.meta.dirname, '../fixtures');
const blastFurnace = path.join(fixtures, 'resmlp_blast_furnace.onnx');
const fixtureJson = JSON.parse(readFileSync(path.join(fixtures, 'resmlp_blast_furnace.json'), 'utf8'));
const trainingMean: number[] = fixtureJson.standardization.inputMean;
const trainingStd: number[] = fixtureJson.standardization.inputStd;
const directory = mkdtempSync(path.join(tmpdir(), 'inversa-analyze-'));

/** Points around the training mean (spread 1 std), deterministic. */
function blastFurnacePoints(count: number, seed: number): number[][] {
  const random = new Random(seed);
  return Array.from({ length: count }, () => trainingMean.map((mean, j) => mean + trainingStd[j] * random.normal()));
}

function writeCsv(name: string, header: string[] | null, rows: (number | string)[][]): string {
  const file = path.join(directory, name);
  const lines = [...(header ? [header.join(',')] : []), ...rows.map((row) => row.join(','))];
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const cli = useCli();

const NAMES = ['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6'];

describe('inversa analyze on the blast-furnace ONNX fixture', () => {
  const points = blastFurnacePoints(300, 61);

  it('--json: counts, verdicts and exact-vs-estimated quantiles agree with the library; standardized cond with ml-matrix', async () => {
    // Columns shuffled and one extra column: matching is by name.
    const header = ['extra', ...NAMES.slice().reverse()];
    const file = writeCsv('named.csv', header, points.map((row) => [7, ...row.slice().reverse()]));
    const code = await cli.run(['analyze', blastFurnace, '--points', file, '--json', '--delta-y', '1,5,20,2']);
    expect(code, cli.stderr).toBe(0);
    const report = JSON.parse(cli.stdout);
    expect(report.columns.matchedBy).toBe('name');
    expect(report.summary.count).toBe(300);
    expect(report.summary.scaling.inputSource).toBe('training');

    const model = await loadModelFile(blastFurnace);
    const x = Matrix.fromArray(points);
    const library = analyzeInvertibility(model, x, { deltaY: Float64Array.of(1, 5, 20, 2) });
    expect(report.summary.rankHistogram).toEqual(library.summary.rankHistogram);
    expect(report.summary.verdictShares).toEqual(library.summary.verdictShares);
    library.summary.condQuantiles.standardized.forEach((exact, index) => {
      expect(Math.abs(report.summary.condQuantiles.standardized[index] / exact - 1)).toBeLessThanOrEqual(report.summary.condQuantiles.relativeResolution);
    });
    // Worst point: recompute its standardized cond from the model Jacobian and the fixture's std (ml-matrix SVD).
    const worst = report.summary.worstPoints[0];
    const J = model.jacobian(Matrix.fromArray([points[worst.row]])).view(0).toArray()
      .map((row, i) => row.map((value, j) => (value * trainingStd[j]) / fixtureJson.standardization.outputStd[i]));
    const s = new SingularValueDecomposition(new ReferenceMatrix(J), { autoTranspose: true }).diagonal;
    expect(worst.condStandardized / (s[0] / s[3])).toBeCloseTo(1, 5); // fixture std are float32-rounded in the graph
    expect(report.summary.oneStep.deltaY).toEqual([1, 5, 20, 2]);
  });

  it('no header and exactly n columns: matched by position; text output names the verdict thresholds', async () => {
    const file = writeCsv('positional.csv', null, points.slice(0, 50));
    const code = await cli.run(['analyze', blastFurnace, '--points', file, '--rtol', '1e-10', '--ill-conditioned', '50']);
    expect(code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/Columns matched by position/);
    expect(cli.stdout).toMatch(/rank = 4 and standardized cond ≤ 50/);
    expect(cli.stdout).toMatch(/rtol = 1\.00e-10/);
    expect(cli.stdout).toMatch(/50 points; /);
  });

  it('a header with other names is an error; with --by-position it is matched by position with a warning', async () => {
    const file = writeCsv('renamed.csv', ['a', 'b', 'c', 'd', 'e', 'f', 'g'], points.slice(0, 5));
    expect(await cli.run(['analyze', blastFurnace, '--points', file])).toBe(1);
    expect(cli.stderr).toMatch(/the header \(a, b, c, d, e, f, g\) does not name the model inputs x0, .*--by-position/);
    expect(cli.stderr.trim().split('\n')).toHaveLength(1);
    cli.stderr = '';
    expect(await cli.run(['analyze', blastFurnace, '--points', file, '--by-position'])).toBe(0);
    expect(cli.stderr).toMatch(/warning: the header of .* \(a, b, c, d, e, f, g\) does not name the model inputs/);
  });

  it('points outside the training range: a warning with their count', async () => {
    const rows = points.slice(0, 10).map((row) => [...row]);
    rows[2][3] = trainingMean[3] + 10 * trainingStd[3];
    rows[7][0] = trainingMean[0] - 5 * trainingStd[0];
    rows[7][5] = trainingMean[5] + 4 * trainingStd[5];
    // Make sure no other row is already outside ± 3 std.
    for (const [index, row] of rows.entries()) if (index !== 2 && index !== 7) row.forEach((value, j) => { rows[index][j] = Math.min(Math.max(value, trainingMean[j] - 2 * trainingStd[j]), trainingMean[j] + 2 * trainingStd[j]); });
    const file = writeCsv('outside.csv', NAMES, rows);
    expect(await cli.run(['analyze', blastFurnace, '--points', file])).toBe(0);
    expect(cli.stderr).toMatch(/warning: 2 of 10 points \(20.0%\) lie outside the training mean ± 3 std \(per input: x0 1, x3 1, x5 1; first data rows \(1-based\) 3, 8\)/);
  });
});

describe('bad input: exit code 1, one clear line, no stack trace', () => {
  const good = blastFurnacePoints(4, 62);
  const cases: [string, () => string, RegExp][] = [
    ['a non-numeric cell names the line and column', () => writeCsv('text.csv', NAMES, [good[0], [...good[1].slice(0, 2), 'abc', ...good[1].slice(3)], good[2]]), /line 3, column "x2": value is not a number \("abc"\)/],
    ['NaN names the line and column', () => writeCsv('nan.csv', NAMES, [good[0], good[1], [...good[2].slice(0, 6), 'NaN']]), /line 4, column "x6": value is non-finite \("NaN"\)/],
    ['wrong column count without a header', () => writeCsv('six.csv', null, good.map((row) => row.slice(0, 6))), /has 6 columns and no header but the model has 7 inputs/],
    ['a header missing an input', () => writeCsv('missing.csv', [...NAMES.slice(0, 6), 'x9', 'x10'], good.map((row) => [...row, 0])), /does not name the model input x6 /],
    ['a ragged row', () => writeCsv('ragged.csv', NAMES, [good[0], good[1].slice(0, 5)]), /line 3 has 5 fields but the header has 7/],
    ['an empty file', () => writeCsv('empty.csv', null, []), /no data/],
  ];
  for (const [label, make, message] of cases) {
    it(label, async () => {
      const file = make();
      expect(await cli.run(['analyze', blastFurnace, '--points', file])).toBe(1);
      expect(cli.stderr).toMatch(message);
      expect(cli.stderr).not.toMatch(/\n\s+at /);
      expect(cli.stderr.trim().split('\n')).toHaveLength(1);
    });
  }

  it('--delta-y of the wrong length and a bad --rtol: bad usage (exit 2)', async () => {
    const file = writeCsv('ok.csv', NAMES, good);
    expect(await cli.run(['analyze', blastFurnace, '--points', file, '--delta-y', '1,2'])).toBe(2);
    expect(cli.stderr).toMatch(/--delta-y: expected 4 comma-separated numbers, got 2/);
    cli.stderr = '';
    expect(await cli.run(['analyze', blastFurnace, '--points', file, '--rtol', 'abc'])).toBe(2);
    expect(cli.stderr).toMatch(/--rtol must be a finite number > 0, got "abc"/);
    cli.stderr = '';
    expect(await cli.run(['analyze', blastFurnace, '--points', file, '--slice', 'x1,x99'])).toBe(2);
    expect(cli.stderr).toMatch(/'x99' is not an input of the model/);
  });

  it('a corrupt model file', async () => {
    const bad = path.join(directory, 'corrupt.onnx');
    writeFileSync(bad, Buffer.from('not a protobuf at all'));
    const file = writeCsv('ok2.csv', NAMES, good);
    expect(await cli.run(['analyze', bad, '--points', file])).toBe(1);
    expect(cli.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the model inversa itself exports', () => {
  it('float64 export of a named, standardized, bounded MlpModel: same verdicts as the in-memory MlpModel', async () => {
    const spec = randomMlpSpec({ inputs: 4, outputs: 3, hidden: [10, 10], kind: 'resmlp', activation: 'tanh', scaling: true, seed: 65 });
    spec.inputNames = ['h2i_rate', 'pci_rate', 'ngi_rate', 'o2_volfract'];
    spec.outputNames = ['tgt', 'hmt', 'prod_rt'];
    const { mean, std } = spec.inputScaling!;
    spec.meta = { bounds: { lower: Float64Array.from(mean, (value, j) => value - 2 * std[j]), upper: Float64Array.from(mean, (value, j) => value + 2 * std[j]) } };
    const model = new MlpModel(spec);
    const onnxFile = path.join(directory, 'exported.onnx');
    writeFileSync(onnxFile, exportMlpToOnnx(spec, { float64: true }));
    const x = new Matrix(120, 4, randomPoints(spec, 120, 66));
    const rows = x.toArray();
    const file = writeCsv('exported.csv', spec.inputNames, rows);
    expect(await cli.run(['analyze', onnxFile, '--points', file, '--json', '--slice', 'pci_rate,o2_volfract', '--slice-resolution', '5', '--ill-conditioned', '20'])).toBe(0);
    const report = JSON.parse(cli.stdout);
    const library = analyzeInvertibility(model, x, { illConditioned: 20 });
    expect(report.summary.verdictShares).toEqual(library.summary.verdictShares);
    expect(report.summary.rankHistogram).toEqual(library.summary.rankHistogram);
    expect(report.summary.inputNames).toEqual(spec.inputNames);
    expect(report.slice.boundsFrom).toBe('model operating bounds');
    expect(report.slice.xs[0]).toBeCloseTo(mean[1] - 2 * std[1], 10);
    // ±2 std bounds: the domain check counts exactly the points outside the box.
    const outside = rows.filter((row) => row.some((value, j) => value < mean[j] - 2 * std[j] || value > mean[j] + 2 * std[j])).length;
    expect(outside).toBeGreaterThan(0);
    expect(report.domain.basis).toBe('bounds');
    expect(report.domain.outside).toBe(outside);
  });
});

describe('other fixtures', () => {
  it('batchnorm fixture (no training std in the graph): two passes, scaled by the points\' std', async () => {
    const random = new Random(63);
    const rows = Array.from({ length: 40 }, () => Array.from({ length: 5 }, () => random.normal()));
    const file = writeCsv('bn.csv', null, rows);
    expect(await cli.run(['analyze', path.join(fixtures, 'batchnorm_mlp.onnx'), '--points', file, '--json'])).toBe(0);
    const report = JSON.parse(cli.stdout);
    expect(report.passes).toBe(2);
    expect(report.summary.scaling.inputSource).toBe('points');
    expect(report.summary.count).toBe(40);
    expect(report.domain.basis).toBe('none');
  });
});

/** True when the decoded PNG scanlines hold many different byte values (not a blank page). */
function pngLooksNonBlank(png: Buffer): boolean {
  const chunks: Buffer[] = [];
  for (let offset = 8; offset < png.length;) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    if (type === 'IDAT') chunks.push(png.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const pixels = inflateSync(Buffer.concat(chunks));
  const seen = new Set<number>();
  for (let k = 0; k < pixels.length; k += 7) seen.add(pixels[k]);
  return seen.size > 32;
}

describe('HTML report', () => {
  it('is self-contained and renders its charts in Chromium (rank and cond histograms, heatmap)', async () => {
    const file = writeCsv('html.csv', NAMES, blastFurnacePoints(200, 64));
    const html = path.join(directory, 'report.html'), json = path.join(directory, 'report.json');
    expect(await cli.run(['analyze', blastFurnace, '--points', file, '--slice', 'x3,x5', '--slice-resolution', '15', '--delta-y', '1,5,20,2', '--html', html, '--out', json])).toBe(0);
    const text = readFileSync(html, 'utf8');
    expect(text).not.toMatch(/(src|href)=["']?https?:/);
    expect(text).not.toMatch(/<script/);
    expect(JSON.parse(readFileSync(json, 'utf8')).slice.xs).toHaveLength(15);
    const png = path.join(directory, 'report.png');
    await withBrowser(async (browser) => {
      const shot = await screenshotHtml(html, png, { browser });
      expect(shot.consoleErrors).toEqual([]);
      expect(shot.requests.every((url) => url.startsWith('file:') || url.startsWith('data:'))).toBe(true);
      expect(shot.svgCount).toBeGreaterThanOrEqual(5);
      expect(shot.renderedSvgCount).toBe(shot.svgCount);
      const page = await browser.newPage();
      await page.goto(`file://${html}`);
      const drawn = await page.evaluate(() => {
        const visible = (element: Element) => { const box = element.getBoundingClientRect(); return box.width > 0 && box.height > 0; };
        const svgs = Array.from(document.querySelectorAll('svg'));
        return svgs.map((svg) => ({ title: svg.querySelector('title')?.textContent ?? svg.getAttribute('aria-label') ?? '', bars: Array.from(svg.querySelectorAll('rect.bar')).filter(visible).length, rects: Array.from(svg.querySelectorAll('rect')).filter(visible).length }));
      });
      await page.close();
      // rank histogram: one visible bar (all points full rank 4); cond histograms: several bars; heatmap: ≥ 15×15 cells.
      expect(drawn.some((chart) => /rank/i.test(chart.title) && chart.bars >= 1)).toBe(true);
      expect(drawn.filter((chart) => /condition number/i.test(chart.title) && chart.bars >= 2)).toHaveLength(2);
      expect(drawn.some((chart) => /cond over x3 × x5/.test(chart.title) && chart.rects >= 225)).toBe(true);
    });
    expect(pngLooksNonBlank(readFileSync(png))).toBe(true);
  }, 60_000);
});
