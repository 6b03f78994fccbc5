// Issue 18 regressions, files: only regular files are read (a FIFO or /dev/zero is a one-line error,
// never a hang or an out-of-memory), --out /dev/null works, OS errors (ENOSPC, ENAMETOOLONG, ELOOP,
// EROFS, EACCES) are one line naming the path and the errno meaning, writes are temp + fsync +
// rename, stale temporaries are removed, and a multi-file output replaces the old folder as a whole.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openAtomicWriter, writeDirectoryAtomic, writeFileAtomic } from '../../src/io/atomic.ts';
import { isOsError, osErrorText } from '../../src/io/os-error.ts';
import { useCli } from '../helpers/cli.ts';
import { fuzzModel } from '../fuzz/harness.ts';

const cli = useCli();
const directory = mkdtempSync(path.join(tmpdir(), 'inversa-files-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const model = path.join(directory, 'model.onnx');
writeFileSync(model, fuzzModel().bytes);
const targets = path.join(directory, 'targets.csv');
writeFileSync(targets, 'y1,y2\n0.1,0.2\n');

/** A process id that is certainly not running (a child that has exited). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |unexpected error/);
  return lines[0];
}

describe('inputs must be regular files', () => {
  it('a FIFO as --targets is an error, not a hang', async () => {
    const fifo = path.join(directory, 'fifo.csv');
    execFileSync('mkfifo', [fifo]);
    expect(await cli.run(['invert', model, '--targets', fifo])).toBe(1);
    expect(oneLine(cli.stderr)).toMatch(/fifo\.csv' is a FIFO \(named pipe\), expected a regular file/);
  });

  it('/dev/zero as --targets or as the model is an error, not an endless read', async () => {
    expect(await cli.run(['invert', model, '--targets', '/dev/zero'])).toBe(1);
    expect(oneLine(cli.stderr)).toMatch(/'\/dev\/zero' is a character device, expected a regular file/);
    const zeroModel = path.join(directory, 'zero.onnx');
    symlinkSync('/dev/zero', zeroModel);
    cli.stderr = '';
    expect(await cli.run(['inspect', zeroModel])).toBe(1);
    expect(oneLine(cli.stderr)).toMatch(/zero\.onnx' is a character device/);
    cli.stderr = '';
    expect(await cli.run(['invert', zeroModel, '--targets', targets])).toBe(1);
    expect(oneLine(cli.stderr)).toMatch(/is a character device/);
  });

  it('--out /dev/null is written to directly (not "already exists")', async () => {
    expect(await cli.run(['invert', model, '--targets', targets, '--out', '/dev/null'])).toBe(0);
    expect(cli.stderr).toBe('');
  });
});

describe('OS errors are one line naming the path and the meaning', () => {
  it('ENOSPC (/dev/full)', async () => {
    expect(await cli.run(['invert', model, '--targets', targets, '--out', '/dev/full'])).toBe(1);
    expect(oneLine(cli.stderr)).toBe("inversa: '/dev/full': no space left on device (ENOSPC)");
  });

  it('ENAMETOOLONG', async () => {
    const long = path.join(directory, `${'a'.repeat(300)}.csv`);
    expect(await cli.run(['invert', model, '--targets', targets, '--out', long])).toBe(1);
    expect(oneLine(cli.stderr)).toMatch(/aaaa.*': file name too long \(ENAMETOOLONG\)$/);
  });

  it('ELOOP', async () => {
    const a = path.join(directory, 'loop-a'), b = path.join(directory, 'loop-b');
    symlinkSync(a, b);
    symlinkSync(b, a);
    expect(await cli.run(['invert', model, '--targets', a])).toBe(1);
    expect(oneLine(cli.stderr)).toMatch(/loop-a': too many levels of symbolic links \(ELOOP\)/);
    cli.stderr = '';
    expect(await cli.run(['invert', model, '--targets', targets, '--out', path.join(a, 'x.csv')])).toBe(1);
    expect(oneLine(cli.stderr)).toMatch(/too many levels of symbolic links \(ELOOP\)|not a directory \(ENOTDIR\)/);
  });

  it('EROFS, EACCES and unknown codes format the same way', () => {
    const error = (code: string) => Object.assign(new Error(`${code}: something, open '/x/y.csv'`), { code, path: '/x/y.csv', syscall: 'open' });
    expect(osErrorText(error('EROFS'))).toBe("'/x/y.csv': read-only file system (EROFS)");
    expect(osErrorText(error('EACCES'))).toBe("'/x/y.csv': permission denied (EACCES)");
    expect(osErrorText(error('EWHATEVER'))).toBe("'/x/y.csv': something (EWHATEVER)");
    expect(isOsError(error('ENOSPC'))).toBe(true);
    expect(isOsError(new Error('plain'))).toBe(false);
  });
});

describe('crash-safe writes', () => {
  it('writeFileAtomic replaces the file and removes temporaries of dead processes only', () => {
    const folder = path.join(directory, 'atomic');
    mkdirSync(folder);
    const stale = path.join(folder, `.out.csv.${deadPid()}.1700000000000.tmp`);
    const live = path.join(folder, `.out.csv.${process.pid}.1700000000000.tmp`);
    const other = path.join(folder, `.other.csv.${deadPid()}.1700000000000.tmp`);
    for (const file of [stale, live, other]) writeFileSync(file, 'partial');
    writeFileAtomic(path.join(folder, 'out.csv'), 'new\n');
    expect(readFileSync(path.join(folder, 'out.csv'), 'utf8')).toBe('new\n');
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true); // our own process: maybe still writing
    expect(existsSync(other)).toBe(true); // another target's temporary: not ours to judge
  });

  it('a streamed file appears only on commit; abort leaves the old one', () => {
    const target = path.join(directory, 'streamed.csv');
    writeFileSync(target, 'old\n');
    const writer = openAtomicWriter(target);
    writer.write('a\n');
    expect(readFileSync(target, 'utf8')).toBe('old\n');
    writer.abort();
    expect(readFileSync(target, 'utf8')).toBe('old\n');
    const second = openAtomicWriter(target);
    second.write('b\n');
    second.commit();
    expect(readFileSync(target, 'utf8')).toBe('b\n');
    expect(readdirSync(directory).filter((name) => name.startsWith('.streamed'))).toEqual([]);
  });

  it('writeDirectoryAtomic replaces the whole folder, refuses foreign files, and restores a folder left aside by a kill', () => {
    const out = path.join(directory, 'run');
    writeDirectoryAtomic(out, { 'forward.onnx': 'f1', 'inverse.onnx': 'i1', 'report.json': 'r1' });
    writeDirectoryAtomic(out, { 'forward.onnx': 'f2', 'report.json': 'r2' }, ['forward.onnx', 'inverse.onnx', 'report.json']);
    expect(readdirSync(out).sort()).toEqual(['forward.onnx', 'report.json']); // no stale inverse.onnx from run 1
    writeFileSync(path.join(out, 'notes.txt'), 'mine');
    expect(() => writeDirectoryAtomic(out, { 'forward.onnx': 'f3' }, ['forward.onnx', 'report.json'])).toThrow(/holds files inversa did not write \(notes\.txt\)/);
    expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('mine');
    rmSync(path.join(out, 'notes.txt'));
    // A kill between the two renames: the old folder is aside, the new one staged, the target missing.
    const pid = deadPid();
    const aside = path.join(directory, `.run.old.${pid}.1700000000000.tmp`), staged = path.join(directory, `.run.new.${pid}.1700000000000.tmp`);
    execFileSync('mv', [out, aside]);
    mkdirSync(staged);
    writeFileSync(path.join(staged, 'forward.onnx'), 'half');
    writeDirectoryAtomic(path.join(directory, 'unrelated'), { a: 'a' }); // other names are not touched
    expect(existsSync(aside)).toBe(true);
    expect(() => writeDirectoryAtomic(out, { 'forward.onnx': 'f4', 'report.json': 'r4' }, ['forward.onnx', 'report.json'])).not.toThrow();
    expect(readFileSync(path.join(out, 'forward.onnx'), 'utf8')).toBe('f4');
    expect(existsSync(aside) || existsSync(staged)).toBe(false);
  });

  it('kill -9 at random moments never leaves a mix of two runs or stale temporaries after the next write', async () => {
    const out = path.join(directory, 'killed');
    const script = path.join(directory, 'writer.ts');
    // Each round writes three 1 MB files that all carry the round number.
    writeFileSync(script, `import { writeDirectoryAtomic } from ${JSON.stringify(path.resolve('src/io/atomic.ts'))};
for (let round = 1; ; round++) {
  const body = String(round).padEnd(1 << 20, '.');
  writeDirectoryAtomic(${JSON.stringify(out)}, { 'forward.onnx': body, 'inverse.onnx': body, 'training-report.json': body });
}
`);
    for (let kill = 0; kill < 4; kill++) {
      // node itself (not the tsx wrapper), so SIGKILL hits the writing process.
      const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: 'ignore' });
      await new Promise((resolve) => setTimeout(resolve, 1500 + 97 * kill));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    // The next write recovers (or cleans up) whatever the last kill left.
    writeDirectoryAtomic(path.join(directory, 'killed-probe'), { a: 'a' });
    writeDirectoryAtomic(out, { 'forward.onnx': 'final', 'inverse.onnx': 'final', 'training-report.json': 'final' });
    const files = readdirSync(out).sort();
    expect(files).toEqual(['forward.onnx', 'inverse.onnx', 'training-report.json']);
    expect(new Set(files.map((file) => readFileSync(path.join(out, file), 'utf8')))).toEqual(new Set(['final']));
    expect(readdirSync(directory).filter((name) => name.startsWith('.killed'))).toEqual([]);
  }, 60_000);
});
