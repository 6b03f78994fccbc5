// The web app in a real headless Chromium (Debian's /usr/bin/chromium via playwright-core), served by
// `inversa serve` in-process on a free port. Reference answers come from onnxruntime-node evaluating
// the same ONNX files independently of inversa. Screenshots of every panel go to test-artifacts/web/.
// Times (first load, one lm inversion) are printed, not asserted.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/cli/serve.ts';
import { CHROMIUM_PATH, chromiumAvailable, chromiumMissingMessage } from '../helpers/browser.ts';
import { buildWebApp } from '../../web/build.ts';

const ARTIFACTS = path.resolve('test-artifacts/web');
const DEMO_FORWARD = path.resolve('web/public/models/demo-forward.onnx');
const FIXTURE = path.resolve('test/fixtures/tanh_mlp_7x64x64x4.onnx');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
/** float32 ONNX weights evaluated in float32 (onnxruntime) vs float64 (inversa): relative agreement. */
const FLOAT32_RTOL = 1e-4;
/** A point inside the plant's operating box (h2i, pci, ngi, o2 %, h2 temp, hot blast, wind). */
const PLANT_POINT = [30, 100, 150, 28, 600, 1350, 200];

let server: RunningServer;
/** The plant target of the inversion tests and the plain lm answer (for the cost comparison). */
let plantTarget: number[] = [];
let plainSolution: number[] = [];
let browser: Browser;
let context: BrowserContext;
let page: Page;
const requests: string[] = [];
const pageErrors: string[] = [];

/** Evaluate an ONNX file at one point with onnxruntime-node (the independent reference). */
async function referenceForward(file: string, x: number[]): Promise<number[]> {
  const session = await ort.InferenceSession.create(readFileSync(file));
  const metadata = session.inputMetadata[0] as { type?: string };
  const type = metadata.type === 'float64' ? 'float64' : 'float32';
  const data = type === 'float64' ? Float64Array.from(x) : Float32Array.from(x);
  const outputs = await session.run({ [session.inputNames[0]]: new ort.Tensor(type, data, [1, x.length]) });
  return Array.from(outputs[session.outputNames[0]].data as Float32Array, Number);
}

function expectClose(actual: number, expected: number, relative: number, label: string): void {
  expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));
}

async function dataValues(selectorPrefix: string, count: number): Promise<number[]> {
  const values: number[] = [];
  for (let i = 0; i < count; i++) values.push(Number(await page.getAttribute(`#${selectorPrefix}-${i}`, 'data-value')));
  return values;
}

/** Wait until the forward outputs belong to the inputs currently typed in, then read both. */
async function settledForward(): Promise<{ x: number[]; y: number[] }> {
  await page.waitForFunction(() => {
    const typed = [...document.querySelectorAll<HTMLInputElement>('#fwd-inputs input.number-input')].map((input) => Number(input.value));
    return document.querySelector('#fwd-outputs')?.getAttribute('data-x') === typed.join(',');
  });
  const x = (await page.getAttribute('#fwd-outputs', 'data-x'))!.split(',').map(Number);
  return { x, y: await dataValues('fwd-output', 4) };
}

/** Click Solve and wait for the next rendered result. */
async function solveOnce(): Promise<void> {
  const before = (await page.getAttribute('#inv-result', 'data-solve-count')) ?? '0';
  await page.click('#inv-solve');
  await page.waitForFunction((previous) => (document.querySelector('#inv-result')?.getAttribute('data-solve-count') ?? '0') !== previous, before);
}

async function expectAllWithinTolerance(target: number[]): Promise<number[]> {
  const fx = await dataValues('inv-fx', 4);
  const tolerance = await dataValues('inv-tolerance', 4);
  for (let i = 0; i < 4; i++) expect(Math.abs(fx[i] - target[i]), `f(x)[${i}] vs target`).toBeLessThanOrEqual(tolerance[i]);
  return dataValues('inv-x', 7);
}

async function openTab(name: string): Promise<void> {
  await page.click(`#tab-${name}`);
  await page.waitForSelector(`#panel-${name}:not([hidden])`);
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  if (!chromiumAvailable()) throw new Error(chromiumMissingMessage);
  mkdirSync(ARTIFACTS, { recursive: true });
  const build = await buildWebApp({ ifStale: true }); // `inversa serve` never builds; dist/web comes from `npm run build`
  server = await startServer({ port: 0 });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  context.on('request', (request) => requests.push(request.url()));
  // Anything not addressed to our server is recorded above and then aborted: the test never waits on a network.
  await context.route('**/*', (route) => (route.request().url().startsWith(server.url) ? route.continue() : route.abort()));
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  const started = performance.now();
  await page.goto(`${server.url}#forward`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  await page.waitForSelector('#fwd-output-0[data-value]');
  const firstLoadMs = performance.now() - started;
  process.stdout.write(`[web] dist/web ${build.built ? `built in ${Math.round(build.elapsedMs)} ms` : 'up to date'}; first load until the demo models answer: ${Math.round(firstLoadMs)} ms\n`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('web app in Chromium', { timeout: 60_000 }, () => {
  it('preloads the demo pair and shows inputs, units, box and standardization', async () => {
    await openTab('model');
    const forwardCard = await page.textContent('#model-forward');
    expect(forwardCard).toContain('demo-forward.onnx');
    for (const name of ['h2i_rate', 'pci_rate', 'ngi_rate', 'o2_volfract', 'h2_temp', 'hbtemp', 'wind_rt', 'tgt', 'hmt', 'prod_rt', 'fta']) expect(forwardCard).toContain(name);
    expect(forwardCard).toContain('°C');
    expect(forwardCard).toContain('inputs: (x − mean)/std found in the graph');
    expect(forwardCard).toContain('outputs: y = z·std + mean found in the graph');
    expect(await page.textContent('#model-inverse')).toContain('demo-inverse.onnx');
    await screenshot('model');
  });

  it('evaluates the forward model as onnxruntime does, with in-range defaults', async () => {
    await openTab('forward');
    expect(await page.locator('#fwd-inputs .field.out-of-range').count()).toBe(0);
    await page.fill('#fwd-input-0', String(PLANT_POINT[0]));
    const { x, y: shown } = await settledForward();
    expect(x).toHaveLength(7);
    expect(x[0]).toBe(PLANT_POINT[0]);
    const expected = await referenceForward(DEMO_FORWARD, x);
    expected.forEach((value, i) => expectClose(shown[i], value, FLOAT32_RTOL, `output ${i}`));
    await screenshot('forward');
  });

  it('flags an input outside the operating box', async () => {
    await page.fill('#fwd-input-3', '55');
    await page.waitForFunction(() => document.querySelector('#fwd-status')?.textContent?.includes('Outside the operating box'));
    expect(await page.getAttribute('#fwd-input-3', 'aria-invalid')).toBeNull();
    expect(await page.locator('#fwd-inputs .field.out-of-range').count()).toBe(1);
    expect(await page.textContent('#fwd-input-3-hint')).toContain('outside the operating box');
    await page.fill('#fwd-input-3', '28');
    await page.waitForFunction(() => document.querySelector('#fwd-status')?.textContent?.startsWith('Evaluated'));
  });

  it('shows an inline error for invalid text and never evaluates it as 0', async () => {
    const before = await dataValues('fwd-output', 4);
    await page.fill('#fwd-input-1', 'abc');
    await page.waitForSelector('#fwd-input-1[aria-invalid="true"]');
    expect(await page.textContent('#fwd-input-1-error')).toContain('"abc" is not a number');
    expect(await page.getAttribute('#fwd-outputs', 'class')).toContain('stale');
    expect(await page.textContent('#fwd-status')).toContain('Fix the highlighted inputs');
    expect(await dataValues('fwd-output', 4)).toEqual(before);
    await page.fill('#fwd-input-1', '1,5');
    expect(await page.textContent('#fwd-input-1-error')).toContain('dot');
    await page.fill('#fwd-input-1', '');
    expect(await page.textContent('#fwd-input-1-error')).toContain('enter a number');
    await screenshot('forward-invalid');
    await page.fill('#fwd-input-1', String(PLANT_POINT[1]));
    await page.waitForFunction(() => document.querySelector('#fwd-status')?.textContent?.startsWith('Evaluated'));
    expect(await page.getAttribute('#fwd-input-1', 'aria-invalid')).toBeNull();
  });

  it('inverts: the re-simulated outputs match the targets within the shown tolerance (checked by onnxruntime too)', async () => {
    const target = await referenceForward(DEMO_FORWARD, PLANT_POINT);
    plantTarget = target;
    await openTab('inverse');
    await page.waitForFunction(() => document.querySelector('#inv-status')?.textContent?.includes('Press Solve'));
    for (let i = 0; i < 4; i++) await page.fill(`#inv-target-${i}`, String(target[i]));
    expect(await page.inputValue('#inv-method')).toBe('lm');
    const started = performance.now();
    await page.click('#inv-solve');
    await page.waitForSelector('#inv-result-y');
    const roundTripMs = performance.now() - started;
    const fx = await dataValues('inv-fx', 4);
    const tolerance = await dataValues('inv-tolerance', 4);
    const x = await dataValues('inv-x', 7);
    plainSolution = x;
    const independent = await referenceForward(DEMO_FORWARD, x);
    for (let i = 0; i < 4; i++) {
      expect(tolerance[i]).toBeGreaterThan(0);
      expect(Math.abs(fx[i] - target[i]), `f(x)[${i}]`).toBeLessThanOrEqual(tolerance[i]);
      expect(Math.abs(independent[i] - target[i]), `onnxruntime f(x)[${i}]`).toBeLessThanOrEqual(tolerance[i] + FLOAT32_RTOL * Math.abs(target[i]));
    }
    // x lies inside the bounds, which default to the model's box.
    for (let i = 0; i < 7; i++) {
      const lower = Number(await page.inputValue(`#inv-lower-${i}`));
      const upper = Number(await page.inputValue(`#inv-upper-${i}`));
      expect(x[i]).toBeGreaterThanOrEqual(lower);
      expect(x[i]).toBeLessThanOrEqual(upper);
    }
    expect(await page.textContent('#inv-fact-rank')).toMatch(/^\d of 4$/);
    expect(await page.textContent('#inv-fact-cond')).toMatch(/\d/);
    expect(await page.locator('#inv-convergence svg').count()).toBe(1);
    const workerMs = Number(await page.getAttribute('#inv-result', 'data-elapsed-ms'));
    await screenshot('inverse');

    // One lm inversion from a single start (the speed target of the issue), timed in the worker.
    await page.fill('#inv-starts', '1');
    await page.click('#inv-solve');
    await page.waitForFunction((previous) => document.querySelector('#inv-result')?.getAttribute('data-elapsed-ms') !== previous, String(workerMs));
    const singleMs = Number(await page.getAttribute('#inv-result', 'data-elapsed-ms'));
    process.stdout.write(`[web] lm inversion in the browser: ${singleMs.toFixed(1)} ms with 1 start; ${workerMs.toFixed(1)} ms with the default 8 starts (click → result ${Math.round(roundTripMs)} ms)\n`);
    await page.fill('#inv-starts', '8');
  });

  it('inverse-net and the cost objective also re-simulate to the target; the cost objective lowers the cost', async () => {
    await page.selectOption('#inv-method', 'inverse-net');
    await solveOnce();
    await expectAllWithinTolerance(plantTarget);
    // Input prices of the reference project (seed README): H2 4, PCI 1, NGI 0.5, others 0.
    const prices = [4, 1, 0.5, 0, 0, 0, 0];
    await page.selectOption('#inv-method', 'lm');
    await page.selectOption('#inv-objective', 'cost');
    for (let i = 0; i < 7; i++) await page.fill(`#inv-cost-${i}`, String(prices[i]));
    await solveOnce();
    const cheap = await expectAllWithinTolerance(plantTarget);
    const cost = (x: number[]) => x.reduce((sum, value, i) => sum + prices[i] * value, 0);
    expect(cost(cheap)).toBeLessThanOrEqual(cost(plainSolution) + 1e-9 * Math.abs(cost(plainSolution)));
    expect(await page.textContent('#inv-fact-objective')).toMatch(/\d/);
    await screenshot('inverse-cost');
    await page.selectOption('#inv-objective', 'none');
  });

  it('rejects an empty band and invalid bounds with inline messages', async () => {
    await page.selectOption('#inv-target-mode-0', 'band');
    await page.fill('#inv-band-low-0', '200');
    await page.fill('#inv-band-high-0', '100');
    await page.click('#inv-solve');
    await page.waitForFunction(() => document.querySelector('#inv-status')?.textContent?.includes('band of tgt is empty'));
    await page.fill('#inv-lower-2', 'x');
    await page.click('#inv-solve');
    expect(await page.textContent('#inv-lower-2-error')).toContain('not a number');
    await page.fill('#inv-lower-2', '0');
    await page.selectOption('#inv-target-mode-0', 'point');
  });

  it('draws the condition heatmap and the rank/condition histograms', async () => {
    await openTab('diagnostics');
    await page.fill('#diag-resolution', '12');
    await page.click('#diag-heatmap-run');
    await page.waitForSelector('#diag-heatmap-chart svg', { timeout: 20_000 });
    expect(await page.textContent('#diag-heatmap-status')).toMatch(/12×12 cells/);
    await page.fill('#diag-samples', '120');
    await page.click('#diag-analyze-run');
    await page.waitForSelector('#diag-rank-chart svg', { timeout: 20_000 });
    expect(await page.locator('#diag-cond-chart svg').count()).toBe(1);
    expect(await page.textContent('#diag-analyze-status')).toContain('120 points');
    await screenshot('diagnostics');
  });

  it('trains a small forward/inverse pair in the browser and offers ONNX files that onnxruntime can run', async () => {
    await openTab('training');
    await page.click('#train-sample');
    await page.waitForSelector('#train-input-columns');
    expect(await page.locator('#train-input-columns input:checked').count()).toBe(7);
    expect(await page.locator('#train-output-columns input:checked').count()).toBe(4);
    await page.fill('#train-epochs', '8');
    await page.fill('#train-hidden', '8');
    await page.locator('#train-alpha').fill('0.3');
    expect(await page.textContent('#train-alpha-value')).toBe('0.3');
    await page.click('#train-run');
    await page.waitForSelector('#train-download-forward', { timeout: 40_000 });
    expect(await page.locator('#train-chart-forward svg').count()).toBe(1);
    expect(await page.locator('#train-chart-inverse svg').count()).toBe(1);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#train-download-inverse')]);
    const file = path.join(ARTIFACTS, 'trained-inverse.onnx');
    await download.saveAs(file);
    const x = await referenceForward(file, [100, 1300, 8400, 2300]);
    expect(x).toHaveLength(7);
    expect(x.every(Number.isFinite)).toBe(true);
    await screenshot('training');
  });

  it('loads an uploaded ONNX model and evaluates it as onnxruntime does', async () => {
    await openTab('model');
    await page.setInputFiles('#model-file-forward', FIXTURE);
    await page.waitForFunction(() => document.querySelector('#model-status')?.textContent?.startsWith('Loaded tanh_mlp_7x64x64x4.onnx'));
    const card = await page.textContent('#model-forward');
    expect(card).toContain('7 inputs → 4 outputs');
    // The demo inverse belonged to the demo forward model: it is unloaded, and inverse-net with it.
    expect(await page.textContent('#model-banner')).toContain('no inverse model');
    expect(await page.isDisabled('#inv-method option[value="inverse-net"]')).toBe(true);
    await screenshot('model-uploaded');
    await openTab('forward');
    await page.fill('#fwd-input-2', '0.5');
    const { x, y: shown } = await settledForward();
    expect(x[2]).toBe(0.5);
    const expected = await referenceForward(FIXTURE, x);
    expected.forEach((value, i) => expectClose(shown[i], value, FLOAT32_RTOL, `fixture output ${i}`));
  });

  it('has unique ids, keyboard-operable tabs, and fits a phone width', async () => {
    const duplicates = await page.evaluate(() => {
      const seen = new Map<string, number>();
      for (const element of document.querySelectorAll('[id]')) seen.set(element.id, (seen.get(element.id) ?? 0) + 1);
      return [...seen].filter(([, count]) => count > 1).map(([id]) => id);
    });
    expect(duplicates).toEqual([]);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input:not([type="file"]):not([type="checkbox"]), select')]
        .filter((element) => !element.getAttribute('aria-label') && !document.querySelector(`label[for="${element.id}"]`))
        .map((element) => element.id));
    expect(unlabelled).toEqual([]);
    await page.focus('#tab-forward');
    await page.keyboard.press('ArrowRight');
    expect(await page.getAttribute('#tab-inverse', 'aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-inverse');
    await page.setViewportSize({ width: 390, height: 844 });
    for (const tab of ['forward', 'inverse']) {
      await openTab(tab);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(`phone-${tab}`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('made no request outside its own server and raised no page errors', () => {
    const outside = requests.filter((url) => !url.startsWith(server.url) && !url.startsWith('data:') && !url.startsWith('blob:'));
    expect(outside).toEqual([]);
    expect(requests.some((url) => url.endsWith('demo-forward.onnx'))).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
