// Human-readable forms of a CSV analysis: a terminal summary (text tables) and one self-contained
// HTML page with the rank histogram, the condition-number histograms and the log10-cond heatmap
// as inline SVG (no scripts, no CDN). Pure string building over the report object.
import { barChart, heatmapChart, histogramChart } from './charts.ts';
import { formatCount, formatNumber, formatPercent } from '../core/index.ts';
import { escapeHtml, htmlFacts, htmlFigure, htmlPage, htmlParagraph, htmlStatus, htmlTable, type HtmlSection } from './html.ts';
import { textTable } from './table.ts';
import { type InvertibilitySummary, type LogHistogramBins, VERDICTS } from '../analyze/index.ts';
import type { CsvAnalysisReport } from '../io/index.ts';

function levelLabel(level: number): string {
  return level === 0 ? 'min' : level === 1 ? 'max' : `${formatNumber(level * 100, 3)}%`;
}

function verdictRows(summary: InvertibilitySummary): (string | number)[][] {
  return VERDICTS.map((verdict) => [verdict, summary.verdictShares[verdict].count, formatPercent(summary.verdictShares[verdict].share), summary.thresholds.rules[verdict]]);
}

function quantileRows(summary: InvertibilitySummary): (string | number)[][] {
  const { condQuantiles } = summary;
  return condQuantiles.levels.map((level, index) => [levelLabel(level), condQuantiles.standardized[index], condQuantiles.raw[index]]);
}

/** Terminal summary of a CSV analysis. */
export function analysisText(report: CsvAnalysisReport): string {
  const { summary } = report;
  const lines: string[] = [];
  lines.push(`Invertibility of ${report.model.source ?? 'the model'} at ${formatCount(summary.count)} points from ${report.file}`);
  lines.push(`Jacobian ${summary.jacobianShape[0]}×${summary.jacobianShape[1]}; ${summary.fullRankMeaning}.`);
  lines.push(`Standardized units: ${summary.scaling.description}. Columns matched by ${report.columns.matchedBy}.`);
  lines.push('');
  lines.push(textTable(['verdict', 'points', 'share', 'rule'], verdictRows(summary)));
  lines.push('');
  lines.push(textTable(['rank', 'points', 'share'], summary.rankHistogram.map((bin) => [String(bin.rank), bin.count, formatPercent(bin.share)])));
  lines.push('');
  const method = summary.condQuantiles.method === 'exact' ? 'exact' : `estimated within ${formatPercent(summary.condQuantiles.relativeResolution ?? 0, 2)}`;
  lines.push(`Condition number quantiles (${method}):`);
  lines.push(textTable(['quantile', 'cond (standardized)', 'cond (raw)'], quantileRows(summary)));
  if (summary.oneStep) {
    lines.push('');
    lines.push(`One-step check ‖f(x + J⁺Δy) − (y + Δy)‖ for Δy = [${summary.oneStep.deltaY.map((value) => formatNumber(value)).join(', ')}] (‖Δy‖ = ${formatNumber(summary.oneStep.deltaYNorm)}):`);
    lines.push(textTable(['quantile', 'error', 'error / ‖Δy‖'], summary.oneStep.levels.map((level, index) => [levelLabel(level), summary.oneStep!.error[index], summary.oneStep!.relativeError[index]])));
  }
  if (summary.worstPoints.length > 0) {
    lines.push('');
    lines.push('Worst-conditioned points (data row, 1-based):');
    lines.push(textTable(['row', 'rank', 'cond (std)', 'cond (raw)', ...summary.inputNames], summary.worstPoints.map((point) => [String(point.row + 1), String(point.rank), point.condStandardized, point.condRaw, ...point.x])));
  }
  if (report.slice) lines.push('', `Slice: ${report.slice.message}`);
  lines.push('', report.domain.message);
  for (const warning of report.warnings) if (warning !== report.domain.warning) lines.push(`warning: ${warning}`);
  lines.push('', summary.message);
  return lines.join('\n') + '\n';
}

/** A log10 histogram as chart bins; Infinity (singular points) noted in the title. */
function condHistogramFigure(bins: LogHistogramBins, label: string): string {
  const note = bins.infinite > 0 ? ` (+ ${formatCount(bins.infinite)} singular points, cond = ∞, not drawn)` : '';
  const svg = histogramChart({ title: `log10 condition number, ${label}${note}`, xLabel: `log10 cond (${label})`, bins: { edges: bins.log10Edges, counts: bins.counts } });
  return htmlFigure(svg);
}

/** The self-contained HTML report of a CSV analysis. */
export function analysisHtml(report: CsvAnalysisReport): string {
  const { summary } = report;
  const sections: HtmlSection[] = [];
  const status = summary.verdictShares.singular.count > 0 ? 'fail' : summary.status === 'warning' || report.status === 'warning' ? 'warn' : 'ok';
  sections.push({
    heading: 'Summary',
    html: [
      `<p>${htmlStatus(status, status === 'ok' ? 'locally invertible everywhere' : status === 'warn' ? 'check the warnings' : 'singular points found')}</p>`,
      htmlParagraph(summary.message),
      htmlFacts([
        ['points', formatCount(summary.count)],
        ['file', report.file],
        ['model', report.model.source ?? 'unknown'],
        ['Jacobian', `${summary.jacobianShape[0]}×${summary.jacobianShape[1]} (${summary.outputNames.join(', ')} by ${summary.inputNames.join(', ')})`],
        ['full rank means', summary.fullRankMeaning],
        ['standardized units', summary.scaling.description],
        ['columns matched by', report.columns.matchedBy],
        ['rank cutoff', `σ ≤ rtol·σ_max with rtol = ${summary.thresholds.rtol.toPrecision(3)}`],
        ['ill-conditioned above', `standardized cond ${summary.thresholds.illConditioned}`],
      ]),
      ...report.warnings.map((warning) => `<p class="note">${escapeHtml(warning)}</p>`),
    ].join('\n'),
  });
  sections.push({ heading: 'Verdicts', html: htmlTable(['verdict', 'points', 'share', 'rule'], verdictRows(summary)) });
  sections.push({
    heading: 'Rank of the Jacobian',
    html: htmlFigure(histogramChart({
      title: 'Numerical rank (standardized Jacobian)', xLabel: 'rank',
      bins: summary.rankHistogram.map((bin) => ({ label: String(bin.rank), count: bin.count })),
    }), `Full rank is ${summary.k}.`),
  });
  sections.push({
    heading: 'Condition number',
    html: [
      `<div class="charts">${condHistogramFigure(summary.condHistogram.standardized, 'standardized')}${condHistogramFigure(summary.condHistogram.raw, 'raw units')}</div>`,
      htmlTable(['quantile', 'cond (standardized)', 'cond (raw)'], quantileRows(summary)),
      htmlParagraph(summary.condQuantiles.method === 'exact' ? 'Quantiles are exact.' : `Quantiles are estimated from a fixed-memory histogram, within ${formatPercent(summary.condQuantiles.relativeResolution ?? 0, 2)} relative.`),
    ].join('\n'),
  });
  if (report.slice) {
    const slice = report.slice;
    sections.push({
      heading: `Fragile zones: ${slice.inputNames[0]} × ${slice.inputNames[1]}`,
      html: [
        htmlFigure(heatmapChart({
          title: `log10 ${slice.basis} cond over ${slice.inputNames[0]} × ${slice.inputNames[1]}`,
          xLabel: slice.inputNames[0], yLabel: slice.inputNames[1], xs: slice.xs, ys: slice.ys, values: slice.log10Cond,
          colorLabel: `log10 cond (${slice.basis})`,
        }), `Other inputs held at the ${slice.baseFrom}; ranges from the ${slice.boundsFrom}. Gray cells are singular.`),
        htmlParagraph(slice.message),
      ].join('\n'),
    });
  }
  if (summary.oneStep) {
    const oneStep = summary.oneStep;
    sections.push({
      heading: 'One-step check',
      html: [
        htmlParagraph(`Error ‖f(x + J⁺Δy) − (y + Δy)‖ of the linearised minimum-norm step for Δy = [${oneStep.deltaY.map((value) => formatNumber(value)).join(', ')}] (‖Δy‖ = ${formatNumber(oneStep.deltaYNorm)}). Near 0: the linearisation holds at this step size.`),
        htmlFigure(barChart({ title: 'One-step error / ‖Δy‖ by quantile', yLabel: 'error / ‖Δy‖', bars: oneStep.levels.map((level, index) => ({ label: levelLabel(level), value: oneStep.relativeError[index] })), logY: true })),
      ].join('\n'),
    });
  }
  if (summary.worstPoints.length > 0) {
    sections.push({
      heading: 'Worst-conditioned points',
      html: htmlTable(['row', 'rank', 'cond (std)', 'cond (raw)', ...summary.inputNames], summary.worstPoints.map((point) => [String(point.row + 1), String(point.rank), point.condStandardized, point.condRaw, ...point.x])),
    });
  }
  sections.push({ heading: 'Training range', html: htmlParagraph(report.domain.message) });
  return htmlPage({
    title: 'Invertibility analysis',
    subtitle: `${report.model.source ?? 'model'} · ${formatCount(summary.count)} points · ${report.file}`,
    sections,
    footer: 'inversa analyze',
  });
}
