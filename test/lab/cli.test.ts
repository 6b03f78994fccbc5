// `inversa lab NAME` in-process through run(argv): the table, --json, the HTML page written
// atomically, exit 2 for an unknown lab or invalid parameters (message with the valid range), exit 1
// for a SINDy threshold that removes every term; and two lab pages rendered in headless Chromium.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCli } from '../helpers/cli.ts';
import { chromiumAvailable, chromiumMissingMessage, readPng, regionStats, screenshotHtml, withBrowser } from '../helpers/browser.ts';

const directory = mkdtempSync(path.join(tmpdir(), 'inversa-lab-'));
const cli = useCli();

describe('inversa lab', () => {
  it('integrate: prints the table with both slopes and writes a self-contained page', async () => {
    const out = path.join(directory, 'integrate.html');
    const code = await cli.run(['lab', 'integrate', '--out', out]);
    expect(code, cli.stderr).toBe(0);
    const slopeLine = cli.stdout.split('\n').find((line) => line.startsWith('slope'))!;
    const [euler, rk4] = slopeLine.trim().split(/\s+/).slice(1).map(Number);
    expect(Math.abs(euler - 1)).toBeLessThan(0.1);
    expect(Math.abs(rk4 - 4)).toBeLessThan(0.1);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/<svg/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    // Atomic write: no temporary file left beside the page.
    expect(readdirSync(directory).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('regression --json: the wide θ has the smaller norm', async () => {
    const code = await cli.run(['lab', 'regression', '--json', '--seed', '4', '--out', path.join(directory, 'regression.html')]);
    expect(code, cli.stderr).toBe(0);
    const result = JSON.parse(cli.stdout);
    expect(result.lab).toBe('regression');
    expect(result.wide.thetaNorm).toBeLessThan(result.wide.squareSolveNorm);
    expect(result.page).toBe(path.join(directory, 'regression.html'));
  });

  it('lowrank reads a CSV matrix', async () => {
    const csv = path.join(directory, 'matrix.csv');
    writeFileSync(csv, 'a,b,c\n1,2,3\n2,4,6\n1,0,1\n0,1,1\n');
    const code = await cli.run(['lab', 'lowrank', '--csv', csv, '--json', '--out', path.join(directory, 'lowrank.html')]);
    expect(code, cli.stderr).toBe(0);
    const result = JSON.parse(cli.stdout);
    expect(result.rows).toBe(4);
    expect(result.cols).toBe(3);
    expect(result.maxDiscrepancy).toBeLessThan(1e-12);
  });

  it('unknown lab name → exit 2 listing the labs', async () => {
    expect(await cli.run(['lab', 'nonsense'])).toBe(2);
    expect(cli.stderr).toMatch(/unknown lab 'nonsense'; valid labs are regression, lowrank, double-descent, sindy, integrate, stability, gd-inverse/);
  });

  it('invalid parameters → exit 2 with the valid range', async () => {
    const cases: [string[], RegExp][] = [
      [['lab', 'lowrank', '--rank', '-1', '--rows', '20', '--cols', '10'], /rank must be an integer in \[0, 10\], got -1/],
      [['lab', 'double-descent', '--features', '0,10,30'], /features\[0\] \(p\) must be an integer in \[1, 2000\], got 0/],
      [['lab', 'integrate', '--dt', '0.1,0'], /stepSizes\[1\] \(Δt\) must be a finite number > 0, got 0/],
      [['lab', 'sindy', '--dt', 'abc'], /expected a finite number, got 'abc'/],
      [['lab', 'stability', '--dt', '-0.01'], /dt \(Δt\) must be a number in \(0, 0\.05\]/],
    ];
    for (const [argv, message] of cases) {
      cli.stderr = '';
      expect(await cli.run(argv), argv.join(' ')).toBe(2);
      expect(cli.stderr, argv.join(' ')).toMatch(message);
      expect(cli.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('sindy with a threshold that removes every term → exit 1 and a clear message, no page', async () => {
    const out = path.join(directory, 'sindy-empty.html');
    expect(await cli.run(['lab', 'sindy', '--threshold', '100', '--duration', '2', '--out', out])).toBe(1);
    expect(cli.stderr).toMatch(/threshold 100 removes every term .* no model identified/);
    expect(existsSync(out)).toBe(false);
  });
});

describe.skipIf(process.env.INVERSA_SKIP_BROWSER === '1')('lab pages in chromium', () => {
  it('sindy and gd-inverse pages render their SVG charts (screenshot not blank)', async () => {
    expect(chromiumAvailable(), chromiumMissingMessage).toBe(true);
    const pages = [['sindy', 3], ['gd-inverse', 3]] as const;
    for (const [name] of pages) expect(await cli.run(['lab', name, '--out', path.join(directory, `${name}.html`)]), cli.stderr).toBe(0);
    await withBrowser(async (browser) => {
      for (const [name, charts] of pages) {
        const result = await screenshotHtml(path.join(directory, `${name}.html`), path.join(directory, `${name}.png`), { browser });
        expect(result.consoleErrors, name).toEqual([]);
        expect(result.requests.every((url) => url.startsWith('file:')), name).toBe(true);
        expect(result.svgCount, name).toBe(charts);
        expect(result.renderedSvgCount, name).toBe(charts);
        const image = readPng(result.path);
        for (const box of result.svgBoxes) {
          const stats = regionStats(image, box);
          expect(stats.nonWhiteShare, name).toBeGreaterThan(0.02);
          expect(stats.distinctColors, name).toBeGreaterThan(8);
        }
      }
    });
  }, 60_000);
});
