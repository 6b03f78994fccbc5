// Consumer test (c): `inversa serve --port 0 --json` from the installed package serves the prebuilt
// web app (index.html with the Content-Security-Policy) without building anything, then stops on SIGTERM.
//   node serve-check.mjs /path/to/node_modules/.bin/inversa
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';

const child = spawn(process.execPath, [process.argv[2], 'serve', '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
const started = performance.now();
const line = await new Promise((resolve, reject) => {
  let text = '';
  child.stdout.on('data', (chunk) => {
    text += chunk;
    if (text.includes('\n')) resolve(text.split('\n')[0]);
  });
  child.once('exit', (code) => reject(new Error(`inversa serve exited with ${code} before listening`)));
  setTimeout(() => reject(new Error('inversa serve did not start within 20 s')), 20_000);
});
const listeningMs = performance.now() - started;
const { url } = JSON.parse(line);
const response = await fetch(url);
assert.equal(response.status, 200);
assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/);
assert.match(await response.text(), /<html/i);
const exited = new Promise((resolve) => child.once('exit', resolve));
child.kill('SIGTERM');
assert.equal(await exited, 0);
console.log(`inversa serve: ${url} answered 200 with CSP, listening after ${Math.round(listeningMs)} ms`);
