// Trajectories and threads: a warm-started trajectory is one sequence, so threads change nothing
// (it stays in the calling thread); with segmentLength L it is cut into independent, cold-started
// segments that run in workers, and the report is the same bytes for 1, 2 and 3 threads and equal
// to solveTrajectory with the same L. Segmenting does change the answer against the sequential run
// (after the first segment) — that is why it is an explicit option.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { closePools, completedPoolTasks } from '../../src/io/pool.ts';
import { stringifyJson } from '../../src/core/json.ts';
import { Matrix } from '../../src/linalg/matrix.ts';
import { loadOnnxModel } from '../../src/onnx/load.ts';
import { solveTrajectoryParallel } from '../../src/io/trajectory-parallel.ts';
import { solveTrajectory, type TrajectoryOptions, type TrajectoryReport } from '../../src/solve/trajectory.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/tanh_mlp_7x64x64x4.onnx', import.meta.url));

afterAll(closePools);

/** JSON of the whole report plus the raw bytes of every x. */
function bytesOf(report: TrajectoryReport): string {
  return stringifyJson(report) + report.results.map((result) => Buffer.from(result.x.buffer, result.x.byteOffset, result.x.byteLength).toString('hex')).join('');
}

describe('trajectory segments on the pool', async () => {
  const model = await loadOnnxModel(new Uint8Array(readFileSync(FIXTURE)), { source: 'tanh_mlp_7x64x64x4.onnx' });
  // A smooth path x(t) and its outputs: 7 inputs → 4 outputs, so warm starts pick one of many solutions.
  const steps = 90;
  const path = new Matrix(steps, 7);
  for (let t = 0; t < steps; t++) for (let j = 0; j < 7; j++) path.data[t * 7 + j] = 0.6 * Math.sin(0.05 * t * (j + 1) + j);
  const targets = model.forward(path);
  const box = { lower: new Array(7).fill(-3), upper: new Array(7).fill(3) };

  for (const [name, options] of [['exact fit', { ...box }], ['smoothness 0.1, start given', { ...box, smoothness: 0.1, start: new Float64Array(7).fill(0.2) }]] as [string, TrajectoryOptions][]) {
    it(`${name}: segmentLength 20 gives the same bytes on 1, 2 and 3 threads, in workers`, async () => {
      const segmented = { ...options, segmentLength: 20 };
      const one = bytesOf(await solveTrajectoryParallel(model, targets, { ...segmented, threads: 1 }));
      const before = completedPoolTasks();
      const two = bytesOf(await solveTrajectoryParallel(model, targets, { ...segmented, threads: 2 }));
      const three = bytesOf(await solveTrajectoryParallel(model, targets, { ...segmented, threads: 3 }));
      expect(completedPoolTasks() - before).toBe(10); // 5 segments, twice
      expect(two).toBe(one);
      expect(three).toBe(one);
      expect(one).toBe(bytesOf(solveTrajectory(model, targets, segmented)));
    });
  }

  it('without segmentLength threads change nothing: the sequential run, in this thread', async () => {
    const before = completedPoolTasks();
    const report = await solveTrajectoryParallel(model, targets, { ...box, threads: 2 });
    expect(completedPoolTasks()).toBe(before);
    expect(bytesOf(report)).toBe(bytesOf(solveTrajectory(model, targets, box)));
    expect(report.summary.segmentLength).toBeUndefined();
  });

  it('segments change the answer after the first segment (cold starts), and say so', () => {
    const sequential = solveTrajectory(model, targets, box);
    const segmented = solveTrajectory(model, targets, { ...box, segmentLength: 20 });
    const hex = (report: TrajectoryReport, from: number, to: number): string => report.results.slice(from, to).map((result) => Buffer.from(result.x.buffer, result.x.byteOffset, result.x.byteLength).toString('hex')).join('');
    expect(hex(segmented, 0, 20)).toBe(hex(sequential, 0, 20)); // the first segment is the sequential run's start
    expect(hex(segmented, 20, steps)).not.toBe(hex(sequential, 20, steps));
    expect(segmented.summary.segmentLength).toBe(20);
    expect(segmented.message).toContain('in 5 independent segments of 20 steps (each cold-started)');
    expect(segmented.results.map((result) => result.target)).toEqual(Array.from({ length: steps }, (_, t) => t));
    expect(solveTrajectory(model, targets, { ...box, segmentLength: steps }).message).toBe(sequential.message);
  });

  it('a bad segmentLength is a clear error', () => {
    expect(() => solveTrajectory(model, targets, { segmentLength: 0 })).toThrow('segmentLength must be an integer ≥ 1, got 0');
    expect(() => solveTrajectory(model, targets, { segmentLength: 2.5 })).toThrow('segmentLength must be an integer ≥ 1');
  });
});
