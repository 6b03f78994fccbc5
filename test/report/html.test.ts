// HTML reports: one self-contained file (no http(s) URLs, no external or inline scripts, a CSP that
// forbids network requests), with everything user-supplied escaped.
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/core/errors.ts';
import { lineChart } from '../../src/report/charts.ts';
import { escapeHtml, htmlFacts, htmlFigure, htmlPage, htmlStatus, htmlTable } from '../../src/report/html.ts';
import { xmlProblems } from './svg-check.ts';

const chart = lineChart({ xLabel: 'x', yLabel: 'y', series: [{ name: 's', x: [0, 1], y: [1, 2] }] });

describe('htmlPage', () => {
  const page = htmlPage({
    title: 'Report <1> & "more"',
    subtitle: 'made by a test',
    sections: [
      { heading: 'Table', html: htmlTable(['name', 'cond'], [['a<b', 12.3456], ['c', Infinity]]) },
      { heading: 'Chart', html: htmlFigure(chart, 'caption & note') },
      { heading: 'Facts', html: htmlFacts([['rank', 3], ['verdict', 'ok']]) + htmlStatus('warn', 'ill-conditioned') },
    ],
    footer: 'footer',
  });

  it('is self-contained: no http(s) URLs except the SVG namespace, no scripts, a strict CSP', () => {
    const withoutNamespace = page.replaceAll('xmlns="http://www.w3.org/2000/svg"', '');
    expect(withoutNamespace).not.toMatch(/https?:\/\//i);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<link\b/i);
    expect(page).not.toMatch(/\b(src|href)=/i);
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    expect(page.startsWith('<!doctype html>')).toBe(true);
  });

  it('escapes text and keeps the markup well formed', () => {
    expect(page).toContain('<title>Report &lt;1&gt; &amp; &quot;more&quot;</title>');
    expect(page).toContain('<td>a&lt;b</td>');
    expect(page).toContain('caption &amp; note');
    const body = page.slice(page.indexOf('<body>'), page.indexOf('</html>'));
    expect(xmlProblems(body)).toEqual([]);
  });

  it('formats numbers in tables and right-aligns numeric columns', () => {
    expect(page).toContain('<td class="number" title="12.3456">12.35</td>');
    expect(page).toContain('>Inf</td>');
    expect(page).toContain('<th scope="col" class="number">cond</th>');
  });

  it('rejects table rows of the wrong length', () => {
    expect(() => htmlTable(['a', 'b'], [['x']])).toThrow(ShapeError);
  });

  it('escapeHtml covers the five special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
