// Diagnostics panel: a condition-number heatmap over two chosen inputs (the others fixed at a base
// point), and rank / condition-number histograms over a seeded sample of the operating box.
import { DEFAULT_ILL_CONDITIONED } from '../../../src/analyze/index.ts';
import { inputRange, operatingPoint, unitOf, type App } from '../app.ts';
import { formatNumber } from '../parse.ts';
import { conditionHeatmap, conditionHistogram, rankHistogram, responsiveChart } from './charts.ts';
import { clear, el, releaseIds, setStatus, statusLine, svgBlock } from './dom.ts';
import { createNumberField, type NumberField } from './number-field.ts';

const DEFAULT_RESOLUTION = 24;
const DEFAULT_SAMPLES = 300;

export function createDiagnosticsPanel(container: HTMLElement, app: App): void {
  const body = el('div');
  container.append(
    el('h2', {}, ['Diagnostics: where can the model be inverted?']),
    el('p', { class: 'lead' }, [
      'The Jacobian’s rank says how many output directions the inputs can move; its condition number (in standardized units) says how much a small error in y* is amplified in x. ',
      `A point with cond above ${DEFAULT_ILL_CONDITIONED} is called ill-conditioned (the black mark on the heatmap’s color bar); gray cells are singular (rank-deficient). `,
      'Both need an operating box: the Model card’s box, typed in by you or stored in the model.',
    ]),
    body,
  );
  app.onModelsChanged(() => build(body, app));
  build(body, app);
}

function build(body: HTMLElement, app: App): void {
  clear(body);
  releaseIds('diag');
  const model = app.forward;
  if (!model) {
    body.append(el('p', { class: 'muted' }, ['Load a forward model first.']));
    return;
  }
  const names = model.inputNames;
  const means = operatingPoint(app, model);
  const k = Math.min(model.inputNames.length, model.outputNames.length);
  if (!model.bounds) {
    const open = el('button', { type: 'button', id: 'diag-open-card' }, ['Enter the box in the Model card']);
    open.addEventListener('click', () => app.showTab('model'));
    body.append(el('p', { class: 'status', 'data-kind': 'warn', id: 'diag-no-box' }, [
      'Operating box unknown: there is no range to scan or sample. Give lower and upper bounds for every input in the Model card (or store the Inverse panel’s bounds as the box). ',
    ]), open);
    return;
  }
  const choose = (id: string, label: string, selected: number) => {
    const select = el('select', { id }, names.map((name, i) => el('option', { value: i, selected: i === selected }, [name])));
    return { select, root: el('div', { class: 'field' }, [el('label', { for: id, class: 'field-label' }, [label]), select]) };
  };
  const first = choose('diag-input-x', 'Horizontal input', 0);
  const second = choose('diag-input-y', 'Vertical input', Math.min(1, names.length - 1));
  const resolution = createNumberField({ id: 'diag-resolution', label: 'Resolution (cells per side)', value: DEFAULT_RESOLUTION, rules: { integer: true, min: 4, max: 80 } });
  const baseFields: NumberField[] = names.map((name, i) =>
    createNumberField({ id: `diag-base-${i}`, label: name, unit: unitOf(model.inputUnits, i), value: means[i], range: inputRange(model, i) }));
  const heatmapButton = el('button', { type: 'button', id: 'diag-heatmap-run', class: 'primary' }, ['Compute heatmap']);
  const heatmapStatus = statusLine('diag-heatmap-status');
  const heatmapOut = el('div', { id: 'diag-heatmap' });

  const samples = createNumberField({ id: 'diag-samples', label: 'Sample points', value: DEFAULT_SAMPLES, rules: { integer: true, min: 10, max: 5000 } });
  const seed = createNumberField({ id: 'diag-seed', label: 'Seed', value: 42, rules: { integer: true, min: 0 } });
  const analyzeButton = el('button', { type: 'button', id: 'diag-analyze-run', class: 'primary' }, ['Analyze the box']);
  const analyzeStatus = statusLine('diag-analyze-status');
  const analyzeOut = el('div', { id: 'diag-histograms', class: 'two-column' });

  heatmapButton.addEventListener('click', async () => {
    const i = Number(first.select.value), j = Number(second.select.value);
    if (i === j) return setStatus(heatmapStatus, 'Choose two different inputs.', 'error');
    const base = baseFields.map((field) => field.read());
    const cells = resolution.read();
    if (base.some((value) => value === null) || cells === null) return setStatus(heatmapStatus, 'Fix the highlighted fields first.', 'error');
    const rangeI = inputRange(model, i), rangeJ = inputRange(model, j);
    if (!rangeI || !rangeJ) return setStatus(heatmapStatus, `The operating box of ${names[i]} or ${names[j]} is unknown: enter it in the Model card.`, 'error');
    heatmapButton.disabled = true;
    setStatus(heatmapStatus, 'Computing …', 'busy');
    try {
      const response = await app.client.call('slice', { inputs: [i, j], base: base as number[], ranges: [rangeI, rangeJ], resolution: cells });
      clear(heatmapOut);
      const finite = response.log10Cond.filter(Number.isFinite);
      const above = finite.filter((value) => 10 ** value > DEFAULT_ILL_CONDITIONED).length;
      const singular = response.log10Cond.length - finite.length;
      const largest = finite.length ? 10 ** Math.max(...finite) : NaN;
      heatmapOut.append(
        responsiveChart(heatmapOut, (width) => conditionHeatmap(response, withUnitText(names[i], model.inputUnits[i]), withUnitText(names[j], model.inputUnits[j]), width, k), `Heatmap of the condition number over ${names[i]} and ${names[j]}`, 'diag-heatmap-chart'),
        el('p', { id: 'diag-heatmap-legend', class: 'legend' }, [
          `Color: cond (${response.basis} units), log scale. Black mark on the color bar (a line, or an arrow past its end when the values are far away): cond = ${DEFAULT_ILL_CONDITIONED}, above which a point is called ill-conditioned; gray: singular (rank < ${k}). `,
          `Here ${above} of ${response.log10Cond.length} cells are above ${DEFAULT_ILL_CONDITIONED}, ${singular} singular${finite.length ? `, largest finite cond ${formatNumber(largest, 3)}` : ''}.`,
        ]),
      );
      setStatus(heatmapStatus, `${cells}×${cells} cells (${response.basis} units) in ${formatNumber(response.elapsedMs, 3)} ms. ${response.message}`, 'ok');
    } catch (error) {
      setStatus(heatmapStatus, (error as Error).message, 'error');
    } finally {
      heatmapButton.disabled = false;
    }
  });

  analyzeButton.addEventListener('click', async () => {
    const count = samples.read(), seedValue = seed.read();
    if (count === null || seedValue === null) return setStatus(analyzeStatus, 'Fix the highlighted fields first.', 'error');
    analyzeButton.disabled = true;
    setStatus(analyzeStatus, 'Analyzing …', 'busy');
    try {
      const response = await app.client.call('analyze', { samples: count, seed: seedValue });
      clear(analyzeOut);
      analyzeOut.append(
        responsiveChart(analyzeOut, (width) => rankHistogram(response.rankHistogram, width), 'Histogram of Jacobian ranks', 'diag-rank-chart'),
        responsiveChart(analyzeOut, (width) => conditionHistogram(response.log10Cond, width), 'Histogram of log10 condition numbers', 'diag-cond-chart'),
        el('dl', { class: 'facts', id: 'diag-summary' }, [
          el('dt', {}, ['Condition number quantiles (standardized)']),
          el('dd', {}, [response.condQuantiles.map((q) => `q${Math.round(q.q * 100)} = ${formatNumber(q.value, 3)}`).join(' · ')]),
          el('dt', {}, [`Verdicts (ill-conditioned: cond > ${DEFAULT_ILL_CONDITIONED}; singular: rank < ${k})`]),
          el('dd', {}, [response.verdicts.map((v) => `${v.verdict}: ${formatNumber(v.share * 100, 3)} %`).join(' · ')]),
        ]),
      );
      setStatus(analyzeStatus, `${response.summaryText} (${formatNumber(response.elapsedMs, 3)} ms)`, 'ok');
    } catch (error) {
      setStatus(analyzeStatus, (error as Error).message, 'error');
    } finally {
      analyzeButton.disabled = false;
    }
  });

  body.append(
    el('section', { class: 'card', 'aria-labelledby': 'diag-heatmap-title' }, [
      el('h3', { id: 'diag-heatmap-title' }, ['Condition-number heatmap']),
      el('div', { class: 'controls-row' }, [first.root, second.root, resolution.root, heatmapButton]),
      el('details', {}, [el('summary', {}, ['Base point (the other inputs are held here)']), el('div', { class: 'inputs-grid' }, baseFields.map((field) => field.root))]),
      heatmapStatus,
      heatmapOut,
    ]),
    el('section', { class: 'card', 'aria-labelledby': 'diag-box-title' }, [
      el('h3', { id: 'diag-box-title' }, ['Rank and condition over the operating box']),
      el('p', { class: 'muted' }, [`Box: ${names.map((name, i) => `${name} ${formatNumber(model.bounds!.lower[i])}…${formatNumber(model.bounds!.upper[i])}${model.inputUnits[i] ? ` ${model.inputUnits[i]}` : ''}`).join(', ')} (${model.bounds.origin}).`]),
      el('div', { class: 'controls-row' }, [samples.root, seed.root, analyzeButton]),
      analyzeStatus,
      analyzeOut,
    ]),
  );
}

function withUnitText(name: string, unit: string): string {
  return unit ? `${name} [${unit}]` : name;
}
