// analyzeCsv with worker threads: the report is the same, byte for byte (apart from the run time),
// for 1, 2 and 3 threads, and the chunks really went to workers.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCsv, type CsvAnalysisReport } from '../../src/io/csv-analysis.ts';
import { closePools, completedPoolTasks } from '../../src/io/pool.ts';
import { stringifyJson } from '../../src/core/json.ts';
import { Random } from '../../src/linalg/random.ts';
import { loadOnnxModel } from '../../src/onnx/load.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/tanh_mlp_7x64x64x4.onnx', import.meta.url));

afterAll(closePools);

function withoutTime(report: CsvAnalysisReport): string {
  return stringifyJson({ ...report, seconds: 0 });
}

describe('analyzeCsv on worker threads', async () => {
  const model = await loadOnnxModel(new Uint8Array(readFileSync(FIXTURE)), { source: 'tanh_mlp_7x64x64x4.onnx' });
  const directory = mkdtempSync(path.join(tmpdir(), 'inversa-analyze-threads-'));
  const file = path.join(directory, 'points.csv');
  const random = new Random(4);
  const lines = ['x0,x1,x2,x3,x4,x5,x6'];
  for (let p = 0; p < 3000; p++) lines.push(Array.from({ length: 7 }, () => (1.5 * random.normal()).toPrecision(6)).join(','));
  writeFileSync(file, `${lines.join('\n')}\n`);

  it('same report for 1, 2 and 3 threads (one-step check and slice included)', async () => {
    const options = { chunkRows: 250, deltaY: new Float64Array([0.01, 0.01, 0.01, 0.01]), slice: [0, 3] as [number, number], sliceResolution: 9 };
    const one = withoutTime(await analyzeCsv(model, file, { ...options, threads: 1 }));
    const before = completedPoolTasks();
    const two = withoutTime(await analyzeCsv(model, file, { ...options, threads: 2 }));
    expect(completedPoolTasks() - before).toBe(12);
    const three = withoutTime(await analyzeCsv(model, file, { ...options, threads: 3 }));
    expect(two).toBe(one);
    expect(three).toBe(one);
    expect(JSON.parse(one).summary.count).toBe(3000);
  });

  it('a file that is not plain (a comment line) goes the streamed way, with the same numbers', async () => {
    const commented = path.join(directory, 'commented.csv');
    writeFileSync(commented, `# points for the test\n${lines.join('\n')}\n`);
    const options = { chunkRows: 250, deltaY: new Float64Array([0.01, 0.01, 0.01, 0.01]) };
    const plain = await analyzeCsv(model, file, { ...options, threads: 2 });
    for (const threads of [1, 2]) {
      const streamed = await analyzeCsv(model, commented, { ...options, threads });
      expect(withoutTime({ ...streamed, file })).toBe(withoutTime(plain));
    }
  });

  it('a bad cell is reported as the streamed reader words it (line number), also with workers', async () => {
    const bad = path.join(directory, 'bad.csv');
    const badLines = [...lines];
    badLines[1234] = badLines[1234].replace(/^[^,]*/, 'oops');
    writeFileSync(bad, `${badLines.join('\n')}\n`);
    for (const threads of [1, 2]) {
      await expect(analyzeCsv(model, bad, { chunkRows: 250, threads })).rejects.toThrow(/line 1235/);
    }
  });
});
