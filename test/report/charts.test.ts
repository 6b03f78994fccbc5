// Charts: well-formed self-contained SVG, correct placement on linear and log axes (checked from the
// pixel coordinates), visible notes for data that cannot be drawn, and clear errors for bad input.
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError } from '../../src/core/errors.ts';
import { barChart, heatmapChart, histogramChart, lineChart, scatterChart } from '../../src/report/charts.ts';
import { linearScale, logScale, niceStep } from '../../src/report/scale.ts';
import { viridis } from '../../src/report/svg.ts';
import { xmlProblems } from './svg-check.ts';

const numbersOf = (text: string, pattern: RegExp): number[] => [...text.matchAll(pattern)].map((match) => Number(match[1]));

function expectValidSvg(svg: string): void {
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.trim().endsWith('</svg>')).toBe(true);
  expect(xmlProblems(svg)).toEqual([]);
  // Nothing external: the only URL is the SVG namespace.
  expect(svg.replace('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:|href=|<script/i);
  expect(svg).toMatch(/role="img" aria-label="[^"]+"/);
  expect(svg).toContain('<desc>');
}

describe('scales', () => {
  it('niceStep picks 1·2·2.5·5×10^k steps', () => {
    expect(niceStep(10, 5)).toBe(2);
    expect(niceStep(1, 5)).toBeCloseTo(0.2, 15);
    expect(niceStep(0.07, 5)).toBeCloseTo(0.02, 15);
    expect(niceStep(12, 5)).toBe(2.5);
    expect(niceStep(300, 5)).toBe(100);
  });

  it('linear scale widens to whole ticks', () => {
    const scale = linearScale(0.3, 9.2);
    expect(scale.min).toBe(0);
    expect(scale.max).toBe(10);
    expect(scale.ticks).toEqual([0, 2, 4, 6, 8, 10]);
    expect(scale.fraction(5)).toBe(0.5);
  });

  it('log scale spans whole decades with ticks at powers of ten', () => {
    const scale = logScale(0.003, 250);
    expect(scale.min).toBeCloseTo(1e-3, 15);
    expect(scale.max).toBeCloseTo(1e3, 10);
    expect(scale.ticks.map((tick) => Math.log10(tick))).toEqual([-3, -2, -1, 0, 1, 2, 3].map((p) => expect.closeTo(p, 12)));
    expect(scale.fraction(10)).toBeCloseTo(4 / 6, 12);
    expect(scale.log).toBe(true);
  });

  it('viridis endpoints are those of matplotlib', () => {
    expect(viridis(0)).toBe('#440154');
    expect(viridis(1)).toBe('#fde725');
    expect(viridis(-3)).toBe('#440154');
  });
});

describe('lineChart and scatterChart', () => {
  it('draws a valid SVG with legend and one path per series', () => {
    const svg = lineChart({
      title: 'Loss <train & validation>', xLabel: 'epoch', yLabel: 'loss',
      series: [
        { name: 'train', x: [1, 2, 3], y: [3, 2, 1] },
        { name: 'validation', x: [1, 2, 3], y: [3.5, 2.5, 2], dashed: true },
      ],
    });
    expectValidSvg(svg);
    expect(svg.match(/class="series-line"/g)).toHaveLength(2);
    expect(svg).toContain('Loss &lt;train &amp; validation&gt;');
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg).toMatch(/class="legend"[\s\S]*train[\s\S]*validation/);
  });

  it('on a log y axis, 1, 10, 100 are equally spaced and decreasing in pixel y', () => {
    const svg = lineChart({ xLabel: 'k', yLabel: 'σ', logY: true, series: [{ name: 's', x: [0, 1, 2], y: [1, 10, 100] }] });
    expectValidSvg(svg);
    const d = svg.match(/class="series-line" d="([^"]+)"/)![1];
    const ys = numbersOf(d, /[ML][\d.]+ ([\d.]+)/g);
    expect(ys).toHaveLength(3);
    expect(ys[0] - ys[1]).toBeGreaterThan(10);
    expect(ys[0] - ys[1]).toBeCloseTo(ys[1] - ys[2], 0);
    expect(svg).toContain('σ (log scale)');
    // On a linear axis the same data is far from equally spaced.
    const linear = lineChart({ xLabel: 'k', yLabel: 'σ', series: [{ name: 's', x: [0, 1, 2], y: [1, 10, 100] }] });
    const linearYs = numbersOf(linear.match(/class="series-line" d="([^"]+)"/)![1], /[ML][\d.]+ ([\d.]+)/g);
    expect((linearYs[1] - linearYs[2]) / (linearYs[0] - linearYs[1])).toBeCloseTo(10, 0);
  });

  it('breaks the line at non-finite points and says how many were not drawn', () => {
    const svg = lineChart({ xLabel: 'x', yLabel: 'y', logY: true, series: [{ name: 's', x: [0, 1, 2, 3, 4], y: [1, NaN, 2, -1, 3] }] });
    expectValidSvg(svg);
    const d = svg.match(/class="series-line" d="([^"]+)"/)![1];
    expect(d.match(/M/g)).toHaveLength(3); // three separate pieces
    expect(d).not.toContain('L');
    expect(svg).toContain('2 of 5 points not drawn: non-finite or ≤ 0 on a log axis');
  });

  it('shows a message instead of an empty plot when no data can be drawn', () => {
    for (const series of [[], [{ name: 'all bad', x: [1, 2], y: [NaN, Infinity] }]]) {
      const svg = lineChart({ xLabel: 'x', yLabel: 'y', series });
      expectValidSvg(svg);
      expect(svg).toContain('no finite data to plot');
    }
    const scatter = scatterChart({ xLabel: 'x', yLabel: 'y', series: [] });
    expect(scatter).toContain('no finite data to plot');
  });

  it('scatter with diagonal uses the same range on both axes', () => {
    const svg = scatterChart({ xLabel: 'true', yLabel: 'predicted', diagonal: true, width: 500, height: 500, series: [{ name: 'p', x: [0, 1, 2], y: [0.1, 1.2, 1.9] }] });
    expectValidSvg(svg);
    expect(svg.match(/class="point"/g)).toHaveLength(3);
    const line = svg.match(/class="diagonal" x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"/)!;
    expect(line).not.toBeNull();
    expect(Number(line[3])).toBeGreaterThan(Number(line[1]));
    expect(Number(line[4])).toBeLessThan(Number(line[2]));
  });

  it('rejects x/y length mismatch and tiny sizes', () => {
    expect(() => lineChart({ xLabel: 'x', yLabel: 'y', series: [{ name: 'bad', x: [1, 2], y: [1] }] })).toThrow(ShapeError);
    expect(() => lineChart({ xLabel: 'x', yLabel: 'y', series: [{ name: 'bad', x: [1, 2], y: [1] }] })).toThrow(/"bad"/);
    expect(() => lineChart({ xLabel: 'x', yLabel: 'y', width: 10, series: [] })).toThrow(InvalidArgumentError);
  });
});

describe('histogramChart and barChart', () => {
  it('numeric bins: one bar per bin, heights proportional to counts', () => {
    const svg = histogramChart({ xLabel: 'log10 cond', bins: { edges: [0, 1, 2, 3], counts: [2, 4, 0] } });
    expectValidSvg(svg);
    const heights = numbersOf(svg, /class="bar"[^>]* height="([\d.]+)"/g);
    expect(heights).toHaveLength(3);
    expect(heights[1] / heights[0]).toBeCloseTo(2, 1);
    expect(heights[2]).toBe(0);
    expect(svg).toContain('6 values in total');
  });

  it('labelled bins (rank histogram)', () => {
    const svg = histogramChart({ xLabel: 'rank', bins: [{ label: '0', count: 0 }, { label: '1', count: 3 }, { label: '2', count: 97 }] });
    expectValidSvg(svg);
    expect(svg.match(/class="bar"/g)).toHaveLength(3);
    expect(svg).toContain('2 = 97');
  });

  it('rejects inconsistent bins', () => {
    expect(() => histogramChart({ xLabel: 'x', bins: { edges: [0, 1], counts: [1, 2] } })).toThrow(ShapeError);
    expect(() => histogramChart({ xLabel: 'x', bins: { edges: [0, 2, 1], counts: [1, 2] } })).toThrow(/edges must increase/);
    expect(() => histogramChart({ xLabel: 'x', bins: { edges: [0, 1], counts: [-1] } })).toThrow(/counts must be finite and ≥ 0/);
    expect(() => histogramChart({ xLabel: 'x', bins: { edges: [0], counts: [] } })).toThrow(/no bins/);
  });

  it('bar chart on a log axis: σ = 100, 1, 0.01 give tops equally spaced; zero is noted, not drawn', () => {
    const svg = barChart({ yLabel: 'singular value', logY: true, bars: [{ label: 'σ1', value: 100 }, { label: 'σ2', value: 1 }, { label: 'σ3', value: 0.01 }, { label: 'σ4', value: 0 }] });
    expectValidSvg(svg);
    const tops = numbersOf(svg, /class="bar" x="[\d.]+" y="([\d.]+)"/g);
    expect(tops).toHaveLength(3);
    expect(tops[1] - tops[0]).toBeCloseTo(tops[2] - tops[1], 0);
    // Even the smallest bar has a visible height (log axes have no zero to start from).
    const heights = numbersOf(svg, /class="bar"[^>]* height="([\d.]+)"/g);
    expect(Math.min(...heights)).toBeGreaterThan(10);
    expect(svg).toContain('1 of 4 bars not drawn');
    expect(svg).toContain('class="missing-bar"');
  });

  it('rejects an empty bar list', () => {
    expect(() => barChart({ yLabel: 'v', bars: [] })).toThrow(/no bars given/);
  });
});

describe('heatmapChart', () => {
  const xs = [0, 1, 2], ys = [10, 20];

  it('one cell per grid value, colored by viridis, with a color bar', () => {
    const svg = heatmapChart({ xLabel: 'x3', yLabel: 'x5', xs, ys, values: [0, 1, 2, 3, 4, 5], colorLabel: 'log10 cond' });
    expectValidSvg(svg);
    const fills = [...svg.matchAll(/class="cell"[^>]* fill="(#[0-9a-f]{6})"/g)].map((match) => match[1]);
    expect(fills).toHaveLength(6);
    expect(fills[0]).toBe(viridis(0));
    expect(fills[5]).toBe(viridis(1));
    expect(svg).toContain('class="color-bar"');
  });

  it('log color: cells ≤ 0 or NaN are gray and counted', () => {
    const svg = heatmapChart({ xLabel: 'a', yLabel: 'b', xs, ys, values: [1, 10, 100, 0, NaN, 1000], logColor: true });
    expectValidSvg(svg);
    const fills = [...svg.matchAll(/class="cell"[^>]* fill="(#[0-9a-f]{6})"/g)].map((match) => match[1]);
    expect(fills[0]).toBe(viridis(0));
    expect(fills[5]).toBe(viridis(1));
    expect(fills[1]).toBe(viridis(1 / 3));
    expect(fills[3]).toBe('#b0b0b0');
    expect(fills[4]).toBe('#b0b0b0');
    expect(svg).toContain('2 cells');
  });

  it('marks a threshold on the color bar: a line when near the data (range widened to hold it), an arrow past the end when far', () => {
    const mark = [{ value: 100, label: 'cond = 100: ill-conditioned above' }];
    const near = heatmapChart({ xLabel: 'a', yLabel: 'b', xs, ys, values: [20, 30, 40, 50, 60, Infinity], logColor: true, colorMarks: mark, missingLabel: 'singular (rank < 2)' });
    expectValidSvg(near);
    expect(near).toMatch(/<g class="color-mark"><title>cond = 100: ill-conditioned above<\/title><line/);
    expect(near).toContain('singular (rank &lt; 2)');
    // The color range now ends at 100: the largest cell (60) is no longer the brightest color.
    const fills = [...near.matchAll(/class="cell"[^>]* fill="(#[0-9a-f]{6})"/g)].map((match) => match[1]);
    expect(fills[4]).not.toBe(viridis(1));
    const far = heatmapChart({ xLabel: 'a', yLabel: 'b', xs, ys, values: [2, 2.5, 3, 3.2, 3.4, 3.5], logColor: true, colorMarks: mark });
    expect(far).toContain('class="color-mark off-scale"');
    expect(far).toContain('(above this color range)');
    const farFills = [...far.matchAll(/class="cell"[^>]* fill="(#[0-9a-f]{6})"/g)].map((match) => match[1]);
    expect(farFills[5]).toBe(viridis(1));
  });

  it('rejects grids that do not match the values', () => {
    expect(() => heatmapChart({ xLabel: 'a', yLabel: 'b', xs, ys, values: [1, 2, 3] })).toThrow(/expected ys.length × xs.length = 2×3 = 6/);
    expect(() => heatmapChart({ xLabel: 'a', yLabel: 'b', xs: [0, 0, 1], ys, values: new Array(6).fill(1) })).toThrow(/strictly increasing/);
    expect(() => heatmapChart({ xLabel: 'a', yLabel: 'b', xs: [], ys, values: [] })).toThrow(/empty grid/);
  });
});
