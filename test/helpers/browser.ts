// Headless-Chromium helpers for screenshot tests of HTML reports and the web page. Uses the Debian
// chromium at /usr/bin/chromium through playwright-core (no browser download). Records every URL
// a page requests, so tests can assert that reports are self-contained (nothing but file:// / data:).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
  '--no-first-run', '--disable-component-update', '--disable-sync',
];

/** True when the system chromium exists. Tests should fail (not skip) with `chromiumMissingMessage` otherwise. */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export const chromiumMissingMessage =
  `chromium is missing at ${CHROMIUM_PATH}: install it (Debian: apt-get install -y chromium) to run the browser tests`;

/** Launch chromium, run `fn`, always close the browser. Throws a clear error when chromium is missing. */
export async function withBrowser<T>(fn: (browser: Browser) => Promise<T>): Promise<T> {
  if (!chromiumAvailable()) throw new Error(chromiumMissingMessage);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}

/** Position of one element in page (CSS pixel) coordinates. */
export interface PageBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ScreenshotResult {
  /** The PNG written. */
  path: string;
  /** The HTML file opened (written beside the PNG when HTML text was given). */
  htmlPath: string;
  /** Number of <svg> elements in the page. */
  svgCount: number;
  /** Page-coordinate box of each <svg>, in document order. */
  svgBoxes: PageBox[];
  /** <svg> elements with a nonzero bounding box (actually laid out and visible). */
  renderedSvgCount: number;
  /** Every URL the page requested (the page itself included). */
  requests: string[];
  /** Size of the PNG written. */
  pngBytes: number;
  /** console.error messages and uncaught page errors. */
  consoleErrors: string[];
}

/**
 * Open a local HTML file (or HTML text, written to `<png>.html` first) in headless chromium, take a
 * full-page PNG screenshot and report what rendered. Requests to anything other than file: or data:
 * URLs are recorded and then aborted, so a test never waits on the network.
 */
export async function screenshotHtml(
  htmlPathOrText: string,
  pngPath: string,
  options: { width?: number; height?: number; browser?: Browser } = {},
): Promise<ScreenshotResult> {
  const isText = htmlPathOrText.trimStart().startsWith('<');
  const htmlPath = isText ? `${pngPath.replace(/\.png$/i, '')}.html` : htmlPathOrText;
  if (isText) {
    mkdirSync(path.dirname(path.resolve(htmlPath)), { recursive: true });
    writeFileSync(htmlPath, htmlPathOrText);
  }
  const run = async (browser: Browser): Promise<ScreenshotResult> => {
    const page = await browser.newPage({ viewport: { width: options.width ?? 1100, height: options.height ?? 800 } });
    const requests: string[] = [];
    const consoleErrors: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      return url.startsWith('file:') || url.startsWith('data:') ? route.continue() : route.abort();
    });
    await page.goto(pathToFileURL(path.resolve(htmlPath)).href, { waitUntil: 'load' });
    const counts = await page.evaluate(() => {
      const svgs = Array.from(document.querySelectorAll('svg'));
      const boxes = svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        return { x: box.left + window.scrollX, y: box.top + window.scrollY, width: box.width, height: box.height };
      });
      return { svgCount: svgs.length, svgBoxes: boxes, renderedSvgCount: boxes.filter((box) => box.width > 0 && box.height > 0).length };
    });
    mkdirSync(path.dirname(path.resolve(pngPath)), { recursive: true });
    const png = await page.screenshot({ path: pngPath, fullPage: true });
    await page.close();
    return { path: pngPath, htmlPath, ...counts, requests, pngBytes: png.length, consoleErrors };
  };
  return options.browser ? run(options.browser) : withBrowser(run);
}

/** Decoded PNG pixels as RGBA, row-major. */
export interface RgbaImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/**
 * Minimal PNG decoder for chromium screenshots (8-bit RGB/RGBA, non-interlaced): enough to check
 * that a region of a screenshot is not blank, without an image library.
 */
export function decodePng(bytes: Uint8Array): RgbaImage {
  const signature = [137, 80, 78, 71, 13, 10, 26, 10];
  if (!signature.every((value, index) => bytes[index] === value)) throw new Error('decodePng: not a PNG file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  let width = 0, height = 0, colorType = 0;
  const compressed: Uint8Array[] = [];
  while (offset < bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
      const bitDepth = data[8];
      colorType = data[9];
      if (bitDepth !== 8 || (colorType !== 2 && colorType !== 6) || data[12] !== 0) {
        throw new Error(`decodePng: only 8-bit non-interlaced RGB/RGBA is supported (bit depth ${bitDepth}, color type ${colorType}, interlace ${data[12]})`);
      }
    } else if (type === 'IDAT') compressed.push(data);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const channels = colorType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(compressed));
  const stride = width * channels;
  const current = new Uint8Array(stride);
  let previous = new Uint8Array(stride);
  const pixels = new Uint8Array(width * height * 4);
  for (let row = 0; row < height; row++) {
    const filter = raw[row * (stride + 1)];
    const line = raw.subarray(row * (stride + 1) + 1, (row + 1) * (stride + 1));
    for (let k = 0; k < stride; k++) {
      const left = k >= channels ? current[k - channels] : 0;
      const up = previous[k];
      const upLeft = k >= channels ? previous[k - channels] : 0;
      let predictor = 0;
      if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) {
        const estimate = left + up - upLeft;
        const distanceLeft = Math.abs(estimate - left), distanceUp = Math.abs(estimate - up), distanceUpLeft = Math.abs(estimate - upLeft);
        predictor = distanceLeft <= distanceUp && distanceLeft <= distanceUpLeft ? left : distanceUp <= distanceUpLeft ? up : upLeft;
      }
      current[k] = (line[k] + predictor) & 255;
    }
    for (let column = 0; column < width; column++) {
      const target = (row * width + column) * 4;
      pixels[target] = current[column * channels];
      pixels[target + 1] = current[column * channels + 1];
      pixels[target + 2] = current[column * channels + 2];
      pixels[target + 3] = channels === 4 ? current[column * channels + 3] : 255;
    }
    previous = Uint8Array.from(current);
  }
  return { width, height, pixels };
}

export function readPng(file: string): RgbaImage {
  return decodePng(new Uint8Array(readFileSync(file)));
}

/** What a rectangular region of an image contains: share of non-white pixels and distinct colors. */
export function regionStats(image: RgbaImage, box: PageBox, scale = 1): { nonWhiteShare: number; distinctColors: number; pixels: number } {
  const x0 = Math.max(0, Math.floor(box.x * scale)), y0 = Math.max(0, Math.floor(box.y * scale));
  const x1 = Math.min(image.width, Math.ceil((box.x + box.width) * scale)), y1 = Math.min(image.height, Math.ceil((box.y + box.height) * scale));
  const colors = new Set<number>();
  let nonWhite = 0, count = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const k = (y * image.width + x) * 4;
      const r = image.pixels[k], g = image.pixels[k + 1], b = image.pixels[k + 2];
      colors.add((r << 16) | (g << 8) | b);
      if (r < 245 || g < 245 || b < 245) nonWhite++;
      count++;
    }
  }
  return { nonWhiteShare: count ? nonWhite / count : 0, distinctColors: colors.size, pixels: count };
}
