// Peak memory of `analyze` over 1,000,000 points streamed from a CSV, with the 7-input blast-furnace
// ONNX fixture (residual ReLU 7→64→64→4, standardization in the graph). The CSV (≈ 90 MB) is written
// once into os.tmpdir(); the analysis runs in a child process so its peak RSS (getrusage maxrss) is
// not mixed with the benchmark runner's. Target (issue 3): peak RSS under 1 GiB, compared as a
// budget (peerKind 'budget', ratio = budget / peak). With --quick it streams 100,000 points instead
// (a smoke run: the line carries no target then, since the target is about 1,000,000 points).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareToPeer } from '../peers/compare.ts';
import type { BenchContext, BenchLine } from '../types.ts';

const ROWS = 1_000_000;
const QUICK_ROWS = 100_000;
const SEED = 20240611;
const MEMORY_LIMIT_BYTES = 1024 ** 3;
const here = fileURLToPath(import.meta.url);
const repositoryRoot = path.resolve(path.dirname(here), '../..');
const MODEL = path.join(repositoryRoot, 'test/fixtures/resmlp_blast_furnace.onnx');
const MEBIBYTE = 1024 ** 2;
/** Rows written per write call. */
const WRITE_BLOCK = 10_000;

function csvPath(rows: number): string {
  return path.join(tmpdir(), `inversa-bench-analyze-${rows}-${SEED}.csv`);
}

/** Write `rows` points around the reference project's training means (±1.5 std, uniform), once. */
async function ensureCsv(rows: number): Promise<string> {
  const csv = csvPath(rows);
  if (existsSync(csv) && statSync(csv).size > 0) return csv;
  const { Random } = await import('../../src/linalg/index.ts');
  const mean = [12.5, 18.6, 41.3, 25.6, 271.8, 1438.1, 198.7];
  const std = [15.2, 45.3, 46.6, 3.3, 363.3, 157.4, 26.6];
  const random = new Random(SEED);
  const temporary = `${csv}.${process.pid}.tmp`;
  const file = openSync(temporary, 'w');
  try {
    writeSync(file, 'x0,x1,x2,x3,x4,x5,x6\n');
    for (let start = 0; start < rows; start += WRITE_BLOCK) {
      const lines: string[] = [];
      for (let row = start; row < Math.min(rows, start + WRITE_BLOCK); row++) {
        lines.push(mean.map((value, j) => (value + std[j] * random.between(-1.5, 1.5)).toPrecision(7)).join(','));
      }
      writeSync(file, lines.join('\n') + '\n');
    }
  } finally {
    closeSync(file);
  }
  renameSync(temporary, csv);
  return csv;
}

/** Child mode: analyse the CSV and print seconds and peak RSS as JSON. */
async function child(csv: string): Promise<void> {
  const { loadModelFile } = await import('../../src/io/index.ts');
  const { analyzeCsv } = await import('../../src/io/index.ts');
  const model = await loadModelFile(MODEL);
  const started = performance.now();
  const report = await analyzeCsv(model, csv, { slice: [3, 5] });
  const seconds = (performance.now() - started) / 1000;
  // maxRSS is in kilobytes (getrusage).
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ seconds, peakRssBytes, count: report.summary.count, verdicts: report.summary.verdictShares, medianCond: report.summary.condQuantiles.standardized[4] }) + '\n');
}

export async function run(emit: (line: BenchLine) => void, context: BenchContext): Promise<void> {
  const rows = context.quick ? QUICK_ROWS : ROWS;
  const writeStarted = performance.now();
  const csv = await ensureCsv(rows);
  const writeSeconds = (performance.now() - writeStarted) / 1000;
  const result = spawnSync(process.execPath, ['--import', 'tsx', here, '--child', csv], { cwd: repositoryRoot, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`analyze child failed (exit ${result.status}): ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const measured = JSON.parse(result.stdout.trim().split('\n').pop()!) as { seconds: number; peakRssBytes: number; count: number; medianCond: number };
  if (measured.count !== rows) throw new Error(`analyze saw ${measured.count} points, expected ${rows}`);
  const peakMiB = measured.peakRssBytes / MEBIBYTE;
  const budget = { peer: 'issue 3 memory budget for analyze over 1,000,000 points', value: MEMORY_LIMIT_BYTES / MEBIBYTE, unit: 'MiB', kind: 'budget' as const };
  const target = context.quick ? undefined : { text: 'peak RSS under 1 GiB for 1,000,000 streamed points (issue 3)', ratio: 1 };
  emit({
    name: `analyze-peak-rss-${rows >= 1_000_000 ? `${rows / 1_000_000}M` : `${rows / 1000}k`}-points-resmlp-7x64x64x4`,
    value: Math.round(peakMiB),
    unit: 'MiB',
    ...compareToPeer(peakMiB, 'MiB', budget, target),
    ...(context.quick ? { note: `--quick: ${rows.toLocaleString('en-US')} points; the 1 GiB target applies to ${ROWS.toLocaleString('en-US')}` } : {}),
    points: rows,
    seconds: Number(measured.seconds.toFixed(2)),
    pointsPerSecond: Math.round(rows / measured.seconds),
    medianStandardizedCond: measured.medianCond,
    csvBytes: statSync(csv).size,
    csvWriteSeconds: Number(writeSeconds.toFixed(2)),
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === here && process.argv[2] === '--child') {
  await child(process.argv[3]);
}
