// Consumer test (a): runs the README's library examples as plain JavaScript (.mjs) in a project that
// installed the packed tarball, and checks what their comments claim.
//   node readme-examples.mjs /path/to/README.md      (cwd: the consumer project, with forward.onnx)
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const readme = readFileSync(process.argv[2], 'utf8');

/** The n-th fenced block of the given language after a heading. */
function block(heading, language, n = 0) {
  const start = readme.indexOf(heading);
  assert.ok(start >= 0, `README has no heading '${heading}'`);
  const blocks = [...readme.slice(start).matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))];
  assert.ok(blocks[n], `no ${language} block #${n + 1} after '${heading}'`);
  return blocks[n][1];
}

function run(name, code) {
  writeFileSync(name, code);
  return execFileSync(process.execPath, [name], { encoding: 'utf8' });
}

// The install section's plain-JavaScript example.
const install = run('example-install.mjs', block('## Install', 'js')).trim();
assert.match(install, /^converged /, `install example printed: ${install}`);
const residuals = install.slice(install.indexOf('[')).match(/-?\d+(\.\d+)?(e-?\d+)?/g).slice(0, 2).map(Number);
assert.ok(residuals.every((r) => Math.abs(r) < 1e-9), `install example residuals ${residuals}`);
console.log(`install example: ${install.replace(/\s+/g, ' ')}`);

// The linear-algebra example: minimum-norm solution, rank, cond, Eckart–Young.
const linalg = run('example-linalg.mjs', block('## The library', 'ts', 0));
const lines = linalg.trim().replace(/\[\s+/g, '[').replace(/,\s+/g, ', ').replace(/\s+\]/g, ']').split('\n');
assert.match(lines[0], /^minimum-norm Float64Array\(3\) \[/);
const x = lines[0].match(/-?\d+\.\d+/g).map(Number);
[-55 / 18, 1 / 9, 59 / 18].forEach((value, i) => assert.ok(Math.abs(x[i] - value) <= 1e-12 * Math.abs(value), `x[${i}] = ${x[i]}`));
const [rankText, condText] = lines[1].split(' ');
assert.equal(Number(rankText), 2);
assert.ok(Math.abs(Number(condText) - 12.3022455) < 1e-6, `cond ${condText}`);
assert.equal(lines[2], 'true');
console.log('linear-algebra example: as its comments say');

// The model-inversion example (forward.onnx = the demo's plant model), plus one line that prints
// what it computed so the check is about real numbers.
const inversion = run('example-invert.mjs', `${block('## The library', 'ts', 1)}
console.log(JSON.stringify({ results: report.results.length, status: best.status, x: Array.from(best.x), residual: Array.from(best.residual), cond: best.cond }));
`);
const summary = JSON.parse(inversion.trim().split('\n').pop());
assert.equal(summary.results, 1);
assert.equal(summary.x.length, 7);
assert.equal(summary.residual.length, 4);
assert.ok([...summary.x, ...summary.residual].every(Number.isFinite), 'finite x and residuals');
assert.ok(['converged', 'max-iterations', 'stalled', 'infeasible-within-bounds'].includes(summary.status), summary.status);
console.log(`inversion example: status ${summary.status}, residual [${summary.residual.map((r) => r.toExponential(2)).join(', ')}]`);
