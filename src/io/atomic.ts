// Crash-safe writes. One file: write a temporary file beside the target, fsync it, rename it over
// the target, fsync the folder; a crash, kill -9 or Ctrl-C leaves the old file (or none), never a
// half-written one. Several files that belong together (a training run): written into a fresh
// folder that replaces the old one by renames, so readers never see new and old files mixed.
// Temporary files left by a killed run (their process is gone) are removed by the next write.
import { closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../core/index.ts';

/** Temporary names: `.NAME.PID.TIME.tmp` (files), `.NAME.new|old.PID.TIME.tmp` (folders). */
const TEMPORARY = /^\.(.+?)\.(?:(?:new|old)\.)?(\d+)\.(\d+)\.tmp$/;

/** Errors of write()/fsync() carry no path: name the target so the message can say which file. */
function withPath(error: unknown, file: string): unknown {
  const errno = error as NodeJS.ErrnoException;
  if (errno && typeof errno.code === 'string' && errno.path === undefined) errno.path = file;
  return error;
}

export function writeFileAtomic(target: string, contents: string | Uint8Array): void {
  try {
    writeFileAtomicUnchecked(target, contents);
  } catch (error) {
    throw withPath(error, target);
  }
}

function writeFileAtomicUnchecked(target: string, contents: string | Uint8Array): void {
  // Devices such as /dev/null or /dev/stdout cannot be replaced by a rename: write to them directly.
  if (existsSync(target) && !statSync(target).isFile() && !statSync(target).isDirectory()) {
    writeFileSync(target, contents);
    return;
  }
  const directory = path.dirname(path.resolve(target));
  mkdirSync(directory, { recursive: true });
  removeStaleTemporaries(directory, path.basename(target));
  const temporary = path.join(directory, temporaryName(path.basename(target)));
  try {
    writeAndSync(temporary, contents);
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  syncDirectory(directory);
}

/** A file written piece by piece that appears at its target only on commit() (temp + fsync + rename). */
export interface AtomicFileWriter {
  write(text: string): void;
  commit(): void;
  /** Remove the temporary file (after an error); the target is untouched. */
  abort(): void;
}

/** Like writeFileAtomic for output produced in pieces (e.g. millions of CSV rows), in bounded memory. */
export function openAtomicWriter(target: string): AtomicFileWriter {
  const direct = existsSync(target) && !statSync(target).isFile() && !statSync(target).isDirectory();
  const directory = path.dirname(path.resolve(target));
  if (!direct) {
    mkdirSync(directory, { recursive: true });
    removeStaleTemporaries(directory, path.basename(target));
  }
  const file = direct ? target : path.join(directory, temporaryName(path.basename(target)));
  let descriptor: number | undefined = openSync(file, direct ? 'w' : 'wx', 0o666);
  const close = () => {
    if (descriptor !== undefined) closeSync(descriptor);
    descriptor = undefined;
  };
  return {
    write(text) {
      const bytes = Buffer.from(text, 'utf8');
      let offset = 0;
      try {
        while (offset < bytes.length) offset += writeSync(descriptor!, bytes, offset, bytes.length - offset);
      } catch (error) {
        throw withPath(error, target);
      }
    },
    commit() {
      if (direct) return close();
      try {
        fsyncSync(descriptor!);
        close();
        renameSync(file, target);
      } catch (error) {
        close();
        rmSync(file, { force: true });
        throw withPath(error, target);
      }
      syncDirectory(directory);
    },
    abort() {
      close();
      if (!direct) rmSync(file, { force: true });
    },
  };
}

/**
 * Write `files` (name → contents) as the complete contents of folder `target`, replacing an
 * existing folder in one step: the files go into a fresh sibling folder (each fsync'd), then the old
 * folder is renamed aside, the new one renamed into place and the old one deleted. A kill between
 * the two renames leaves the old folder aside; the next call puts it back before writing.
 * An existing `target` may only hold files named in `replaceable` (and temporaries), so a user's
 * unrelated files are never deleted.
 */
export function writeDirectoryAtomic(target: string, files: Record<string, string | Uint8Array>, replaceable: readonly string[] = Object.keys(files)): void {
  const resolved = path.resolve(target);
  const parent = path.dirname(resolved), name = path.basename(resolved);
  mkdirSync(parent, { recursive: true });
  recoverInterruptedSwap(parent, name);
  if (existsSync(resolved)) {
    if (!statSync(resolved).isDirectory()) throw new InvalidArgumentError(`'${target}' exists and is not a directory`);
    const foreign = readdirSync(resolved).filter((entry) => !replaceable.includes(entry) && !TEMPORARY.test(entry));
    if (foreign.length > 0) {
      throw new InvalidArgumentError(
        `'${target}' holds files inversa did not write (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', …' : ''}); give a new or empty directory, or one written by an earlier run`,
      );
    }
  }
  const stamp = `${process.pid}.${Date.now()}`;
  const staging = path.join(parent, `.${name}.new.${stamp}.tmp`);
  const aside = path.join(parent, `.${name}.old.${stamp}.tmp`);
  try {
    mkdirSync(staging);
    for (const [file, contents] of Object.entries(files)) writeAndSync(path.join(staging, file), contents);
    syncDirectory(staging);
    const hadOld = existsSync(resolved);
    if (hadOld) renameSync(resolved, aside);
    try {
      renameSync(staging, resolved);
    } catch (error) {
      if (hadOld) renameSync(aside, resolved);
      throw error;
    }
    syncDirectory(parent);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(aside, { recursive: true, force: true });
  }
}

function temporaryName(base: string): string {
  return `.${base}.${process.pid}.${Date.now()}.tmp`;
}

function writeAndSync(file: string, contents: string | Uint8Array): void {
  const descriptor = openSync(file, 'wx', 0o666);
  try {
    const bytes = typeof contents === 'string' ? Buffer.from(contents, 'utf8') : contents;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(descriptor, bytes, offset, bytes.length - offset);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

/** fsync a folder so a rename inside it survives a power loss (ignored where folders cannot be synced). */
function syncDirectory(directory: string): void {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(directory, 'r');
    fsyncSync(descriptor);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw error;
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

/** True when no process with this id exists (so its temporary files are abandoned). */
function processIsGone(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Delete `.BASE.PID.TIME.tmp` files and folders in `directory` whose writer process is gone. */
export function removeStaleTemporaries(directory: string, base: string): void {
  let entries: string[];
  try {
    entries = readdirSync(directory);
  } catch {
    return;
  }
  for (const entry of entries) {
    const match = TEMPORARY.exec(entry);
    if (match && match[1] === base && processIsGone(Number(match[2]))) rmSync(path.join(directory, entry), { recursive: true, force: true });
  }
}

/** A kill between the two renames of writeDirectoryAtomic left the old folder aside: put it back. */
function recoverInterruptedSwap(parent: string, name: string): void {
  const target = path.join(parent, name);
  if (!existsSync(target) && !isSymlink(target)) {
    const aside = readdirSync(parent)
      .map((entry) => ({ entry, match: TEMPORARY.exec(entry) }))
      .filter(({ entry, match }) => match && match[1] === name && entry.includes('.old.') && processIsGone(Number(match[2])))
      .sort((a, b) => Number(b.match![3]) - Number(a.match![3]));
    if (aside.length > 0) renameSync(path.join(parent, aside[0].entry), target);
  }
  removeStaleTemporaries(parent, name);
}

function isSymlink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}
