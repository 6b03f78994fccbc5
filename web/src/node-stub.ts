// Browser stand-in for Node built-ins (node:fs, node:path, …) that some library modules import for
// file I/O. The web app never calls those functions (it passes bytes and text, not paths), so every
// export throws a clear error if one is ever reached. Wired up by the aliases in web/vite.config.ts.

function unavailable(name: string): (...args: unknown[]) => never {
  return () => {
    throw new Error(`${name} is not available in the browser: pass bytes or text instead of a file path`);
  };
}

// node:fs
export const readFileSync = unavailable('fs.readFileSync');
export const writeFileSync = unavailable('fs.writeFileSync');
export const existsSync = unavailable('fs.existsSync');
export const mkdirSync = unavailable('fs.mkdirSync');
export const renameSync = unavailable('fs.renameSync');
export const rmSync = unavailable('fs.rmSync');
export const unlinkSync = unavailable('fs.unlinkSync');
export const statSync = unavailable('fs.statSync');
export const readdirSync = unavailable('fs.readdirSync');
export const createReadStream = unavailable('fs.createReadStream');
export const createWriteStream = unavailable('fs.createWriteStream');
export const readFile = unavailable('fs.readFile');
export const writeFile = unavailable('fs.writeFile');
export const stat = unavailable('fs.stat');
export const access = unavailable('fs.access');
export const mkdir = unavailable('fs.mkdir');
export const rm = unavailable('fs.rm');
export const rename = unavailable('fs.rename');
export const open = unavailable('fs.open');
export const promises = { readFile, writeFile, stat, access, mkdir, rm, rename, open };
// node:path (pure string functions; unused by the browser paths, so they throw too)
export const join = unavailable('path.join');
export const resolve = unavailable('path.resolve');
export const dirname = unavailable('path.dirname');
export const basename = unavailable('path.basename');
export const extname = unavailable('path.extname');
export const relative = unavailable('path.relative');
export const normalize = unavailable('path.normalize');
export const isAbsolute = unavailable('path.isAbsolute');
export const sep = '/';
// node:url, node:os, node:stream, node:readline
export const fileURLToPath = unavailable('url.fileURLToPath');
export const pathToFileURL = unavailable('url.pathToFileURL');
export const tmpdir = unavailable('os.tmpdir');
export const homedir = unavailable('os.homedir');
export const EOL = '\n';
export const createInterface = unavailable('readline.createInterface');
// node:module (onnxruntime-node is loaded through createRequire; in the browser it is never there)
export function createRequire(): (name: string) => never {
  return (name: string) => {
    throw new Error(`${name} cannot be loaded in the browser`);
  };
}
export class Readable {
  constructor() {
    throw new Error('stream.Readable is not available in the browser');
  }
}
export class Writable extends Readable {}
export class Transform extends Readable {}

export default {
  readFileSync, writeFileSync, existsSync, mkdirSync, renameSync, rmSync, unlinkSync, statSync, readdirSync,
  createReadStream, createWriteStream, promises, join, resolve, dirname, basename, extname, relative, normalize,
  isAbsolute, sep, fileURLToPath, pathToFileURL, tmpdir, homedir, EOL, createInterface, createRequire,
};
