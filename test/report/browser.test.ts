// Renders an HTML report with every chart type in headless chromium (/usr/bin/chromium) and checks
// from the screenshot pixels that each chart actually drew something (not blank, several colors),
// that the page requested nothing but itself, and that chromium's XML parser accepts each SVG.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { barChart, heatmapChart, histogramChart, lineChart, scatterChart } from '../../src/report/charts.ts';
import { htmlFigure, htmlPage } from '../../src/report/html.ts';
import { chromiumAvailable, chromiumMissingMessage, readPng, regionStats, screenshotHtml, withBrowser } from '../helpers/browser.ts';

const charts = {
  line: lineChart({ title: 'Loss', xLabel: 'epoch', yLabel: 'loss', logY: true, series: [{ name: 'train', x: [1, 2, 3, 4], y: [1, 0.1, 0.03, 0.01] }] }),
  scatter: scatterChart({ title: 'Fit', xLabel: 'true', yLabel: 'predicted', diagonal: true, series: [{ name: 'test', x: [0, 1, 2, 3], y: [0.1, 0.9, 2.2, 2.9] }] }),
  histogram: histogramChart({ title: 'Condition numbers', xLabel: 'log10 cond', bins: { edges: [0, 1, 2, 3, 4], counts: [5, 20, 9, 1] } }),
  bar: barChart({ title: 'Singular values', yLabel: 'σ', logY: true, bars: [{ label: 'σ1', value: 30 }, { label: 'σ2', value: 2 }, { label: 'σ3', value: 0.01 }] }),
  heatmap: heatmapChart({
    title: 'log10 cond', xLabel: 'x3', yLabel: 'x5', xs: [0, 1, 2, 3], ys: [0, 1, 2],
    values: Array.from({ length: 12 }, (_, k) => 10 ** (k / 3)), logColor: true, colorLabel: 'cond',
  }),
};

describe.skipIf(process.env.INVERSA_SKIP_BROWSER === '1')('HTML report in chromium', () => {
  it('renders every chart type', async () => {
    expect(chromiumAvailable(), chromiumMissingMessage).toBe(true);
    const directory = mkdtempSync(path.join(tmpdir(), 'inversa-browser-'));
    const html = htmlPage({ title: 'All charts', sections: Object.entries(charts).map(([name, svg]) => ({ heading: name, html: htmlFigure(svg) })) });
    await withBrowser(async (browser) => {
      const result = await screenshotHtml(html, path.join(directory, 'charts.png'), { browser });
      expect(result.consoleErrors).toEqual([]);
      expect(result.requests.every((url) => url.startsWith('file:'))).toBe(true);
      expect(result.requests).toHaveLength(1);
      expect(result.svgCount).toBe(5);
      expect(result.renderedSvgCount).toBe(5);
      const image = readPng(result.path);
      result.svgBoxes.forEach((box, index) => {
        const name = Object.keys(charts)[index];
        expect(box.width, name).toBeGreaterThan(300);
        const stats = regionStats(image, box);
        // Axes, labels and data cover a visible share of the chart and use several colors.
        expect(stats.nonWhiteShare, name).toBeGreaterThan(0.02);
        expect(stats.distinctColors, name).toBeGreaterThan(8);
      });
      // The page background outside the charts is not white, so a chart drawn as nothing would
      // also be caught by its own box being plain white: check that a blank page fails this test.
      const blank = await screenshotHtml(htmlPage({ title: 'x', sections: [{ heading: 'empty', html: '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"></svg>' }] }), path.join(directory, 'blank.png'), { browser });
      const blankStats = regionStats(readPng(blank.path), blank.svgBoxes[0]);
      expect(blankStats.nonWhiteShare).toBeLessThan(0.02);

      // Chromium's own XML parser accepts each chart as SVG.
      const page = await browser.newPage();
      const errors = await page.evaluate((svgs) => svgs.map((svg) => {
        const document = new DOMParser().parseFromString(svg, 'image/svg+xml');
        return document.getElementsByTagName('parsererror').length > 0 ? document.documentElement.textContent : null;
      }), Object.values(charts));
      await page.close();
      expect(errors).toEqual([null, null, null, null, null]);
    });
  });
});
