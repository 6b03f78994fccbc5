// Inverse panel: targets per output (point or band) with weights, bounds per input (defaulting to the
// model's box), method, starts, objective; the result shows x, the re-simulated f(x) beside the
// target with residuals and the tolerance used, status, rank, condition numbers, active bounds,
// distinct solutions and a convergence plot.
import { defaultInputs, inputRange, unitOf, type App } from '../app.ts';
import { formatNumber } from '../parse.ts';
import type { ObjectiveChoice, SolutionView, SolveMethodChoice, SolveRequest, SolveResponse, Target } from '../protocol.ts';
import { convergenceChart } from './charts.ts';
import { clear, el, releaseIds, setStatus, statusLine, svgBlock } from './dom.ts';
import { createNumberField, type NumberField } from './number-field.ts';

const METHODS: { value: SolveMethodChoice; label: string }[] = [
  { value: 'lm', label: 'lm — Levenberg–Marquardt (default)' },
  { value: 'inverse-net', label: 'inverse-net — evaluate the inverse net, then polish' },
  { value: 'nio', label: 'nio — neural input optimization (gradient)' },
  { value: 'min-norm', label: 'min-norm — minimum-norm Gauss–Newton steps' },
];
const DEFAULT_STARTS = 8;
const DEFAULT_SEED = 42;

interface TargetRow {
  mode: HTMLSelectElement;
  point: NumberField;
  low: NumberField;
  high: NumberField;
  weight: NumberField;
}
interface InputRow {
  lower: NumberField;
  upper: NumberField;
  cost: NumberField;
  reference: NumberField;
}

export function createInversePanel(container: HTMLElement, app: App): void {
  const body = el('div');
  container.append(
    el('h2', {}, ['Inverse: y* → x']),
    el('p', { class: 'lead' }, [
      'Ask for outputs; the solver proposes inputs inside the bounds, then every proposal is re-simulated through the forward model. ',
      'Judge a proposal by its residual f(x) − y*, and by the rank and condition number of the Jacobian there.',
    ]),
    body,
  );
  app.onModelsChanged(() => build(body, app));
  build(body, app);
}

function build(body: HTMLElement, app: App): void {
  clear(body);
  releaseIds('inv');
  const model = app.forward;
  if (!model) {
    body.append(el('p', { class: 'muted' }, ['Load a forward model first.']));
    return;
  }
  const n = model.inputNames.length;
  const means = defaultInputs(model);

  // Targets: one row per output. Defaults are f(x̄) (filled in once the worker answers), so the
  // first question asked is reachable and inside the training range.
  const targetRows: TargetRow[] = model.outputNames.map((name, i) => {
    const mode = el('select', { id: `inv-target-mode-${i}`, 'aria-label': `${name} target kind` }, [
      el('option', { value: 'point' }, ['point']),
      el('option', { value: 'band' }, ['band']),
    ]);
    const unit = unitOf(model.outputUnits, i);
    const point = createNumberField({ id: `inv-target-${i}`, label: `${name} target`, unit, value: model.outputMean?.[i] ?? 0 });
    const low = createNumberField({ id: `inv-band-low-${i}`, label: `${name} from`, unit, value: model.outputMean?.[i] ?? 0 });
    const high = createNumberField({ id: `inv-band-high-${i}`, label: `${name} to`, unit, value: model.outputMean?.[i] ?? 0 });
    const weight = createNumberField({ id: `inv-weight-${i}`, label: `${name} weight`, value: 1, rules: { min: 0 } });
    const showMode = () => {
      const band = mode.value === 'band';
      point.root.hidden = band;
      low.root.hidden = !band;
      high.root.hidden = !band;
    };
    mode.addEventListener('change', showMode);
    showMode();
    return { mode, point, low, high, weight };
  });

  const inputRows: InputRow[] = model.inputNames.map((name, i) => {
    const range = inputRange(model, i);
    const unit = unitOf(model.inputUnits, i);
    return {
      lower: createNumberField({ id: `inv-lower-${i}`, label: `${name} lower bound`, unit, value: range?.[0] ?? -Infinity, emptyValue: -Infinity }),
      upper: createNumberField({ id: `inv-upper-${i}`, label: `${name} upper bound`, unit, value: range?.[1] ?? Infinity, emptyValue: Infinity }),
      cost: createNumberField({ id: `inv-cost-${i}`, label: `${name} cost`, value: 0 }),
      reference: createNumberField({ id: `inv-reference-${i}`, label: `${name} reference`, unit, value: means[i], range }),
    };
  });

  const method = el('select', { id: 'inv-method' }, METHODS.map((choice) => el('option', { value: choice.value, disabled: choice.value === 'inverse-net' && !app.inverse }, [choice.label])));
  const starts = createNumberField({ id: 'inv-starts', label: 'Starts', value: DEFAULT_STARTS, rules: { integer: true, min: 1, max: 200 } });
  const seed = createNumberField({ id: 'inv-seed', label: 'Seed', value: DEFAULT_SEED, rules: { integer: true, min: 0 } });
  const objective = el('select', { id: 'inv-objective' }, [
    el('option', { value: 'none' }, ['none']),
    el('option', { value: 'cost' }, ['minimize cost · x']),
    el('option', { value: 'reference' }, ['stay near a reference point']),
  ]);
  const solveButton = el('button', { type: 'button', id: 'inv-solve', class: 'primary' }, ['Solve']);
  const status = statusLine('inv-status');
  const result = el('div', { id: 'inv-result', class: 'result' });

  const targetTable = el('table', { id: 'inv-targets' }, [
    el('caption', {}, ['Targets y* (point or band) and weights']),
    el('thead', {}, [el('tr', {}, ['output', 'kind', 'target', 'weight'].map((text) => el('th', { scope: 'col' }, [text])))]),
    el('tbody', {}, targetRows.map((row, i) =>
      el('tr', {}, [
        el('th', { scope: 'row' }, [model.outputNames[i]]),
        el('td', {}, [row.mode]),
        el('td', {}, [row.point.root, row.low.root, row.high.root]),
        el('td', {}, [row.weight.root]),
      ]))),
  ]);
  const inputTable = el('table', { id: 'inv-bounds' }, [
    el('caption', {}, ['Bounds per input (empty = unbounded); cost or reference for the objective']),
    el('thead', {}, [el('tr', {}, [
      el('th', { scope: 'col' }, ['input']),
      el('th', { scope: 'col' }, ['lower']),
      el('th', { scope: 'col' }, ['upper']),
      el('th', { scope: 'col', class: 'objective-cost' }, ['cost per unit']),
      el('th', { scope: 'col', class: 'objective-reference' }, ['reference']),
    ])]),
    el('tbody', {}, inputRows.map((row, i) =>
      el('tr', {}, [
        el('th', { scope: 'row' }, [model.inputNames[i]]),
        el('td', {}, [row.lower.root]),
        el('td', {}, [row.upper.root]),
        el('td', { class: 'objective-cost' }, [row.cost.root]),
        el('td', { class: 'objective-reference' }, [row.reference.root]),
      ]))),
  ]);
  const showObjective = () => {
    inputTable.dataset.objective = objective.value;
  };
  objective.addEventListener('change', showObjective);
  showObjective();

  body.append(
    el('div', { class: 'two-column' }, [
      el('div', {}, [el('div', { class: 'table-scroll' }, [targetTable])]),
      el('div', {}, [el('div', { class: 'table-scroll' }, [inputTable])]),
    ]),
    el('div', { class: 'controls-row' }, [
      el('div', { class: 'field' }, [el('label', { for: 'inv-method', class: 'field-label' }, ['Method']), method]),
      starts.root,
      seed.root,
      el('div', { class: 'field' }, [el('label', { for: 'inv-objective', class: 'field-label' }, ['Objective']), objective]),
      solveButton,
    ]),
    status,
    result,
  );

  /** Read every field; null (with the inline errors shown) when anything is invalid. */
  const readRequest = (): SolveRequest | null => {
    let valid = true;
    const read = (field: NumberField) => {
      const value = field.read();
      if (value === null) valid = false;
      return value ?? NaN;
    };
    const targets: Target[] = targetRows.map((row) =>
      row.mode.value === 'band' ? { mode: 'band', low: read(row.low), high: read(row.high) } : { mode: 'point', value: read(row.point) });
    const weights = targetRows.map((row) => read(row.weight));
    const lower = inputRows.map((row) => read(row.lower));
    const upper = inputRows.map((row) => read(row.upper));
    let objectiveChoice: ObjectiveChoice = { kind: 'none' };
    if (objective.value === 'cost') objectiveChoice = { kind: 'cost', cost: inputRows.map((row) => read(row.cost)) };
    if (objective.value === 'reference') objectiveChoice = { kind: 'reference', reference: inputRows.map((row) => read(row.reference)) };
    const startCount = read(starts);
    const seedValue = read(seed);
    if (!valid) return null;
    const badBand = targets.findIndex((target) => target.mode === 'band' && target.low > target.high);
    if (badBand >= 0) {
      setStatus(status, `The band of ${model.outputNames[badBand]} is empty: "from" is larger than "to".`, 'error');
      return null;
    }
    const badBox = lower.findIndex((value, i) => value > upper[i]);
    if (badBox >= 0) {
      setStatus(status, `The bounds of ${model.inputNames[badBox]} are empty: lower is larger than upper.`, 'error');
      return null;
    }
    return { targets, weights, bounds: { lower, upper }, method: method.value as SolveMethodChoice, starts: startCount, seed: seedValue, objective: objectiveChoice };
  };

  const solve = async () => {
    const request = readRequest();
    if (!request) {
      if (status.dataset.kind !== 'error') setStatus(status, 'Fix the highlighted fields first.', 'error');
      return;
    }
    solveButton.disabled = true;
    setStatus(status, 'Solving …', 'busy');
    try {
      const response = await app.client.call('solve', request);
      renderResult(result, response, request, app);
      const best = response.best;
      const allWithin = best.withinTolerance.every(Boolean);
      setStatus(status, `${best.message} (solved in ${formatNumber(response.elapsedMs, 3)} ms)`, allWithin ? 'ok' : 'warn');
    } catch (error) {
      setStatus(status, (error as Error).message, 'error');
    } finally {
      solveButton.disabled = false;
    }
  };
  solveButton.addEventListener('click', () => void solve());

  // Reachable, in-range default targets: y* = f(x̄).
  void app.client.call('forward', { x: means }).then((response) => {
    response.y.forEach((value, i) => {
      targetRows[i].point.set(roundForDisplay(value));
      const spread = Math.abs(model.outputStd?.[i] ?? value * 0.05) * 0.1;
      targetRows[i].low.set(roundForDisplay(value - spread));
      targetRows[i].high.set(roundForDisplay(value + spread));
    });
    setStatus(status, 'Targets default to f(x) at the default inputs (training means, else the box centre): a reachable, in-range question. Press Solve.', 'info');
  }).catch((error) => setStatus(status, (error as Error).message, 'error'));
}

function roundForDisplay(value: number): number {
  return Number(value.toPrecision(5));
}

function renderResult(container: HTMLElement, response: SolveResponse, request: SolveRequest, app: App): void {
  clear(container);
  const model = app.forward;
  if (!model) return;
  container.dataset.elapsedMs = String(response.elapsedMs);
  // Counts rendered results, so scripts and tests can wait for the next one.
  container.dataset.solveCount = String(Number(container.dataset.solveCount ?? 0) + 1);
  const best = response.best;
  const targetText = (target: Target) => (target.mode === 'point' ? formatNumber(target.value, 6) : `${formatNumber(target.low, 6)} … ${formatNumber(target.high, 6)}`);

  const inputTable = el('table', { id: 'inv-result-x' }, [
    el('caption', {}, ['Proposed inputs x']),
    el('thead', {}, [el('tr', {}, ['input', 'x', 'bounds', 'note'].map((text) => el('th', { scope: 'col' }, [text])))]),
    el('tbody', {}, model.inputNames.map((name, i) => {
      const active = best.activeBounds.includes(i);
      return el('tr', { class: active ? 'active-bound' : undefined }, [
        el('th', { scope: 'row' }, [name]),
        el('td', { id: `inv-x-${i}`, class: 'number', 'data-value': best.x[i] }, [formatNumber(best.x[i], 6)]),
        el('td', {}, [`${formatNumber(request.bounds.lower[i])} … ${formatNumber(request.bounds.upper[i])}`]),
        el('td', {}, [active ? 'on a bound' : '']),
      ]);
    })),
  ]);
  const outputTable = el('table', { id: 'inv-result-y' }, [
    el('caption', {}, ['Re-simulated f(x) against the target']),
    el('thead', {}, [el('tr', {}, ['output', 'target y*', 'f(x)', 'residual', 'tolerance', 'match'].map((text) => el('th', { scope: 'col' }, [text])))]),
    el('tbody', {}, model.outputNames.map((name, i) =>
      el('tr', { class: best.withinTolerance[i] ? 'match' : 'miss' }, [
        el('th', { scope: 'row' }, [name]),
        el('td', { id: `inv-target-value-${i}`, class: 'number' }, [targetText(request.targets[i])]),
        el('td', { id: `inv-fx-${i}`, class: 'number', 'data-value': best.y[i] }, [formatNumber(best.y[i], 6)]),
        el('td', { id: `inv-residual-${i}`, class: 'number', 'data-value': best.residual[i] }, [formatNumber(best.residual[i], 3)]),
        el('td', { id: `inv-tolerance-${i}`, class: 'number', 'data-value': best.tolerance[i] }, [formatNumber(best.tolerance[i], 3)]),
        el('td', {}, [best.withinTolerance[i] ? '✓ within' : '✗ outside']),
      ]))),
  ]);
  const diagnostics = el('dl', { id: 'inv-diagnostics', class: 'facts' }, [
    ...fact('Status', best.status, 'inv-fact-status'),
    ...fact('Residual norm ‖f(x) − y*‖', formatNumber(best.residualNorm, 4), 'inv-fact-residual'),
    ...fact('Iterations', String(best.iterations), 'inv-fact-iterations'),
    ...fact('Jacobian rank', `${best.rank} of ${Math.min(model.inputNames.length, model.outputNames.length)}`, 'inv-fact-rank'),
    ...fact('Condition number (standardized / raw units)', `${formatNumber(best.condStandardized)} / ${formatNumber(best.condRaw)}`, 'inv-fact-cond'),
    ...fact('Singular values', best.singularValues.map((value) => formatNumber(value, 3)).join(', '), 'inv-fact-singular'),
    ...fact('Active bounds', best.activeBounds.length ? best.activeBounds.map((i) => model.inputNames[i]).join(', ') : 'none', 'inv-fact-active'),
    ...fact('Inside the training range', best.inTrainingRange === null ? 'unknown — the model carries no operating box or training statistics' : best.inTrainingRange ? 'yes' : 'no — extrapolating', 'inv-fact-range'),
    ...(best.objective !== null ? fact('Objective value', formatNumber(best.objective, 5), 'inv-fact-objective') : []),
  ]);
  container.append(
    el('div', { class: 'two-column' }, [
      el('div', { class: 'table-scroll' }, [outputTable]),
      el('div', { class: 'table-scroll' }, [inputTable]),
    ]),
    el('div', { class: 'two-column' }, [
      diagnostics,
      best.history.iteration.length > 1
        ? svgBlock(convergenceChart(best.history), 'Convergence: residual norm per iteration', 'inv-convergence')
        : el('p', { class: 'muted', id: 'inv-convergence' }, ['No iterations to plot (the method evaluates in one step).']),
    ]),
  );
  if (response.warnings.length) {
    container.append(el('ul', { class: 'warnings', id: 'inv-warnings' }, response.warnings.map((warning) => el('li', {}, [warning]))));
  }
  container.append(solutionsTable(response.solutions, model.inputNames));
}

function fact(term: string, value: string, id: string): HTMLElement[] {
  return [el('dt', {}, [term]), el('dd', { id }, [value])];
}

function solutionsTable(solutions: SolutionView[], inputNames: readonly string[]): HTMLElement {
  if (solutions.length <= 1) {
    return el('p', { id: 'inv-solutions', class: 'muted' }, ['All starts reached the same solution (no distinct alternatives found).']);
  }
  const withObjective = solutions.some((solution) => solution.objective !== null);
  return el('div', { class: 'table-scroll' }, [
    el('table', { id: 'inv-solutions' }, [
      el('caption', {}, [`${solutions.length} distinct solutions (best first): the inverse is not unique here`]),
      el('thead', {}, [el('tr', {}, [el('th', { scope: 'col' }, ['#']), ...inputNames.map((name) => el('th', { scope: 'col' }, [name])), el('th', { scope: 'col' }, ['‖residual‖']), el('th', { scope: 'col' }, ['cond']), withObjective ? el('th', { scope: 'col' }, ['objective']) : null])]),
      el('tbody', {}, solutions.map((solution, k) =>
        el('tr', {}, [
          el('th', { scope: 'row' }, [String(k + 1)]),
          ...solution.x.map((value) => el('td', { class: 'number' }, [formatNumber(value, 4)])),
          el('td', { class: 'number' }, [formatNumber(solution.residualNorm, 3)]),
          el('td', { class: 'number' }, [formatNumber(solution.condStandardized, 3)]),
          withObjective ? el('td', { class: 'number' }, [solution.objective === null ? '—' : formatNumber(solution.objective, 4)]) : null,
        ]))),
    ]),
  ]);
}
