// Inverse panel: targets per output (point or band) with weights, bounds per input (the Model
// card's box by default), method, starts and the objective that picks one answer out of many —
// by default the solution nearest to the Forward panel's current inputs (today's operating point).
// The result leads with a status line of at most two sentences drawn from the re-simulated numbers,
// then x and f(x) with units, ranked distinct solutions (capped, "show all"), downloads, "use in
// Forward", and details (solver facts, convergence) behind a disclosure. Several inverse nets are
// compared side by side, one row per net, each proposal re-simulated through the forward model.
import { operatingPoint, inputRange, unitOf, type App } from '../app.ts';
import { currentCard } from '../model-card.ts';
import { solutionsCsv, solutionsJson } from '../inverse-export.ts';
import { formatNumber } from '../parse.ts';
import type { CompareInverseResponse, ModelInfo, ObjectiveChoice, SolutionView, SolveMethodChoice, SolveRequest, SolveResponse, Target } from '../protocol.ts';
import { convergenceChart, responsiveChart } from './charts.ts';
import { downloadBytes } from './download.ts';
import { clear, el, releaseIds, setStatus, statusLine, svgBlock } from './dom.ts';
import { createNumberField, type NumberField } from './number-field.ts';
import { proveSummary, proveTable, reachCell, reachSummary } from './certify.ts';

const METHODS: { value: SolveMethodChoice; label: string }[] = [
  { value: 'lm', label: 'lm — Levenberg–Marquardt (default)' },
  { value: 'inverse-net', label: 'inverse-net — evaluate the inverse net, then polish' },
  { value: 'nio', label: 'nio — neural input optimization (gradient)' },
  { value: 'min-norm', label: 'min-norm — minimum-norm Gauss–Newton steps' },
];
type ObjectiveKind = 'forward' | 'reference' | 'cost' | 'none';
const OBJECTIVES: { value: ObjectiveKind; label: string }[] = [
  { value: 'forward', label: 'nearest to the Forward panel’s inputs (default)' },
  { value: 'reference', label: 'nearest to a reference point I enter' },
  { value: 'cost', label: 'lowest cost c·x' },
  { value: 'none', label: 'none (the solver’s first solution)' },
];
const DEFAULT_STARTS = 8;
const DEFAULT_SEED = 42;
/** Distinct solutions listed before "show all". */
const SOLUTIONS_SHOWN = 5;

/** Solver statuses in words; a status this page does not know is shown as the solver wrote it. */
const STATUS_TEXT: Record<string, string> = {
  converged: 'converged',
  'max-iterations': 'stopped at the iteration limit',
  stalled: 'stalled (no further progress from this start)',
  'not-reached': 'target not reached (not proven unreachable)',
  'trade-off': 'stopped at a fit/smoothness trade-off (fit not within tolerance)',
  'infeasible-within-bounds': 'target not reached with x held by a bound (not proven unreachable)',
};
export function statusText(status: string): string {
  return STATUS_TEXT[status] ?? `${status} (solver status)`;
}

interface TargetRow {
  mode: HTMLSelectElement;
  point: NumberField;
  /** The from/to pair, shown instead of point for a band. */
  band: HTMLElement;
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
      'Judge a proposal by its residual f(x) − y*, and by the rank and condition number of the Jacobian there. Enter in any field solves.',
    ]),
    body,
  );
  let refresh: (() => void) | null = null;
  app.onModelsChanged(() => (refresh = build(body, app)));
  // The default objective follows the Forward panel: keep its description current.
  app.onInputsEvaluated(() => refresh?.());
  refresh = build(body, app);
}

const unknownUnit = () => el('span', { class: 'unknown-value' }, ['unknown']);
const withUnit = (text: string, unit: string | undefined) => (unit ? `${text} ${unit}` : text);

/** Build the panel; returns the function that refreshes the objective's description. */
function build(body: HTMLElement, app: App): (() => void) | null {
  clear(body);
  releaseIds('inv');
  const model = app.forward;
  if (!model) {
    body.append(el('p', { class: 'muted' }, ['Load a forward model first.']));
    return null;
  }
  const start = operatingPoint(app, model);

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
    const band = el('div', { class: 'band' }, [el('span', { class: 'band-label' }, ['from']), low.root, el('span', { class: 'band-label' }, ['to']), high.root]);
    const showMode = () => {
      const isBand = mode.value === 'band';
      point.root.hidden = isBand;
      band.hidden = !isBand;
    };
    mode.addEventListener('change', showMode);
    showMode();
    return { mode, point, band, low, high, weight };
  });

  const inputRows: InputRow[] = model.inputNames.map((name, i) => {
    const range = inputRange(model, i);
    const unit = unitOf(model.inputUnits, i);
    return {
      lower: createNumberField({ id: `inv-lower-${i}`, label: `${name} lower bound`, unit, value: range?.[0] ?? -Infinity, emptyValue: -Infinity }),
      upper: createNumberField({ id: `inv-upper-${i}`, label: `${name} upper bound`, unit, value: range?.[1] ?? Infinity, emptyValue: Infinity }),
      cost: createNumberField({ id: `inv-cost-${i}`, label: `${name} cost per unit`, value: 0 }),
      reference: createNumberField({ id: `inv-reference-${i}`, label: `${name} reference`, unit, value: start[i], range }),
    };
  });

  const method = el('select', { id: 'inv-method' }, METHODS.map((choice) => el('option', { value: choice.value, disabled: choice.value === 'inverse-net' && !app.inverse }, [choice.label])));
  const inverseChoice = el('select', { id: 'inv-inverse-model' }, app.inverses.map((inverse) => el('option', { value: inverse.name }, [inverse.name])));
  const inverseField = el('div', { class: 'field', hidden: true }, [el('label', { for: 'inv-inverse-model', class: 'field-label' }, ['Inverse net']), inverseChoice]);
  method.addEventListener('change', () => (inverseField.hidden = method.value !== 'inverse-net' || app.inverses.length < 2));
  const starts = createNumberField({ id: 'inv-starts', label: 'Starts', value: DEFAULT_STARTS, rules: { integer: true, min: 1, max: 200 } });
  const seed = createNumberField({ id: 'inv-seed', label: 'Seed', value: DEFAULT_SEED, rules: { integer: true, min: 0 } });
  const objective = el('select', { id: 'inv-objective' }, OBJECTIVES.map((choice) => el('option', { value: choice.value }, [choice.label])));
  const objectiveNote = el('p', { id: 'inv-objective-note', class: 'muted objective-note' });
  const solveButton = el('button', { type: 'submit', id: 'inv-solve', class: 'primary' }, ['Solve']);
  const storeBox = el('button', { type: 'button', id: 'inv-store-box' }, ['Use these bounds as the model’s operating box']);
  const status = statusLine('inv-status');
  const result = el('div', { id: 'inv-result', class: 'result' });
  const reachCells = model.outputNames.map((_, i) => el('td', { id: `inv-reach-${i}`, class: 'number reach-cell' }, ['—']));
  const reachButton = el('button', { type: 'button', id: 'inv-reach' }, ['Reachable range over the box']);
  const reachStatus = statusLine('inv-reach-status');
  const proveButton = el('button', { type: 'button', id: 'inv-prove', title: 'Global answer with a certificate (piecewise-linear models): optimal, or provably unreachable in the box' }, ['Prove']);
  const proveStatus = statusLine('inv-prove-status');
  const proveResult = el('div', { id: 'inv-prove-result', class: 'result' });

  const targetTable = el('table', { id: 'inv-targets' }, [
    el('caption', {}, ['Targets y* (point or band) and weights']),
    el('thead', {}, [el('tr', {}, ['output', 'unit', 'kind', 'target', 'weight', 'reachable in the box'].map((text) => el('th', { scope: 'col' }, [text])))]),
    el('tbody', {}, targetRows.map((row, i) =>
      el('tr', {}, [
        el('th', { scope: 'row' }, [model.outputNames[i]]),
        el('td', { class: 'unit-cell' }, [model.outputUnits[i] || unknownUnit()]),
        el('td', {}, [row.mode]),
        el('td', {}, [row.point.root, row.band]),
        el('td', {}, [row.weight.root]),
        reachCells[i],
      ]))),
  ]);
  const inputTable = el('table', { id: 'inv-bounds' }, [
    el('caption', {}, ['Bounds per input (empty = unbounded)']),
    el('thead', {}, [el('tr', {}, [
      el('th', { scope: 'col' }, ['input']),
      el('th', { scope: 'col' }, ['unit']),
      el('th', { scope: 'col' }, ['lower']),
      el('th', { scope: 'col' }, ['upper']),
      el('th', { scope: 'col', class: 'objective-cost' }, ['cost per unit']),
      el('th', { scope: 'col', class: 'objective-reference' }, ['reference']),
    ])]),
    el('tbody', {}, inputRows.map((row, i) =>
      el('tr', {}, [
        el('th', { scope: 'row' }, [model.inputNames[i]]),
        el('td', { class: 'unit-cell' }, [model.inputUnits[i] || unknownUnit()]),
        el('td', {}, [row.lower.root]),
        el('td', {}, [row.upper.root]),
        el('td', { class: 'objective-cost' }, [row.cost.root]),
        el('td', { class: 'objective-reference' }, [row.reference.root]),
      ]))),
  ]);
  const showObjective = () => {
    inputTable.dataset.objective = objective.value;
    const x0 = operatingPoint(app, model);
    const texts: Record<ObjectiveKind, string> = {
      forward: `Among all inputs that meet the targets, the one nearest to the Forward panel’s inputs x₀ = (${x0.map((value, j) => withUnit(formatNumber(value), model.inputUnits[j])).join(', ')}).`,
      reference: 'Among all inputs that meet the targets, the one nearest to the reference point in the bounds table.',
      cost: 'Among all inputs that meet the targets, the one with the lowest cost c·x (costs per unit in the bounds table).',
      none: 'No objective: x is wherever the solver stopped first, one arbitrary point when many inputs give the same outputs.',
    };
    objectiveNote.textContent = texts[objective.value as ObjectiveKind];
  };
  objective.addEventListener('change', showObjective);
  showObjective();

  const form = el('form', { id: 'inv-form', 'aria-label': 'Inverse question' }, [
    el('div', { class: 'two-column' }, [
      el('div', {}, [el('div', { class: 'table-scroll' }, [targetTable]), el('div', { class: 'controls-row' }, [reachButton]), reachStatus]),
      el('div', {}, [el('div', { class: 'table-scroll' }, [inputTable]), el('div', { class: 'controls-row' }, [storeBox])]),
    ]),
    el('div', { class: 'controls-row' }, [
      el('div', { class: 'field' }, [el('label', { for: 'inv-method', class: 'field-label' }, ['Method']), method]),
      inverseField,
      starts.root,
      seed.root,
      el('div', { class: 'field' }, [el('label', { for: 'inv-objective', class: 'field-label' }, ['Objective (picks one of many solutions)']), objective]),
      solveButton,
      // Certification: a global answer for piecewise-linear models (HiGHS in the numerics worker).
      el('div', { id: 'inv-certify-slot', class: 'slot' }, [proveButton]),
    ]),
    objectiveNote,
  ]);

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
    const kind = objective.value as ObjectiveKind;
    if (kind === 'cost') objectiveChoice = { kind: 'cost', cost: inputRows.map((row) => read(row.cost)) };
    if (kind === 'reference') objectiveChoice = { kind: 'reference', reference: inputRows.map((row) => read(row.reference)) };
    if (kind === 'forward') objectiveChoice = { kind: 'reference', reference: operatingPoint(app, model) };
    const startCount = read(starts);
    const seedValue = read(seed);
    if (!valid) {
      setStatus(status, 'Fix the highlighted fields first.', 'error');
      return null;
    }
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
    return {
      targets, weights, bounds: { lower, upper }, method: method.value as SolveMethodChoice, starts: startCount, seed: seedValue, objective: objectiveChoice,
      ...(method.value === 'inverse-net' && inverseChoice.value ? { inverseModel: inverseChoice.value } : {}),
    };
  };

  let last: { request: SolveRequest; response: SolveResponse } | null = null;
  const solve = async () => {
    const request = readRequest();
    if (!request) return;
    solveButton.disabled = true;
    setStatus(status, 'Solving …', 'busy');
    try {
      const response = await app.client.call('solve', request);
      last = { request, response };
      renderResult(result, response, request, app, model);
      const summary = summarize(response, model);
      setStatus(status, `${summary.text} (${formatNumber(response.elapsedMs, 3)} ms)`, summary.kind);
      // On a narrow screen the answer is far below the button: bring it into view.
      if (status.getBoundingClientRect().top > window.innerHeight * 0.5) status.scrollIntoView({ block: 'start' });
    } catch (error) {
      setStatus(status, (error as Error).message, 'error');
    } finally {
      solveButton.disabled = false;
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void solve();
  });
  // An error about the question goes stale as soon as the question is edited.
  form.addEventListener('input', () => {
    if (status.dataset.kind === 'error') setStatus(status, 'Edited: press Solve (or Enter) to check and solve again.', 'info');
  });
  form.addEventListener('change', () => {
    if (status.dataset.kind === 'error') setStatus(status, 'Edited: press Solve (or Enter) to check and solve again.', 'info');
  });
  // Enter in a select does not submit a form by itself.
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.target as HTMLElement).tagName === 'SELECT') {
      event.preventDefault();
      void solve();
    }
  });

  storeBox.addEventListener('click', async () => {
    const lower = inputRows.map((row) => row.lower.read());
    const upper = inputRows.map((row) => row.upper.read());
    if ([...lower, ...upper].some((value) => value === null || !Number.isFinite(value))) {
      return setStatus(status, 'Give a finite lower and upper bound for every input to store them as the operating box.', 'error');
    }
    const card = currentCard(app, model);
    card.lower = lower as number[];
    card.upper = upper as number[];
    try {
      await app.applyCard(card);
    } catch (error) {
      setStatus(status, (error as Error).message, 'error');
    }
  });

  const compare = compareSection(app, model, () => {
    const request = readRequest();
    if (!request) return null;
    return {
      request,
      targets: request.targets.map((target) => (target.mode === 'point' ? target.value : (target.low + target.high) / 2)),
      solver: last && sameTargets(last.request, request) ? last.response.best : null,
    };
  });

  const prove = async () => {
    const request = readRequest();
    if (!request) return;
    proveButton.disabled = true;
    clear(proveResult);
    setStatus(proveStatus, 'Proving … (a MILP can take seconds; the page stays usable)', 'busy');
    try {
      const response = await app.client.call('prove', request);
      const summary = proveSummary(response);
      proveStatus.dataset.certificate = response.certificate;
      proveStatus.dataset.status = response.status;
      setStatus(proveStatus, `${summary.text} (${formatNumber(response.elapsedMs / 1000, 3)} s)`, summary.kind);
      proveResult.append(proveTable(response, model));
    } catch (error) {
      setStatus(proveStatus, (error as Error).message, 'error');
    } finally {
      proveButton.disabled = false;
    }
  };
  proveButton.addEventListener('click', () => void prove());

  // The ranges belong to the box they were computed over: editing a bound makes them stale.
  inputTable.addEventListener('input', (event) => {
    if (!reachCells[0].dataset.kind || !/^inv-(lower|upper)-/.test((event.target as HTMLElement).id)) return;
    for (const cell of reachCells) { clear(cell); cell.append('—'); delete cell.dataset.kind; }
    setStatus(reachStatus, 'Bounds edited: press "Reachable range over the box" again for this box.', 'info');
  });

  reachButton.addEventListener('click', async () => {
    const lower = inputRows.map((row) => row.lower.read());
    const upper = inputRows.map((row) => row.upper.read());
    if ([...lower, ...upper].some((value) => value === null || !Number.isFinite(value))) {
      return setStatus(reachStatus, 'Give a finite lower and upper bound for every input: the range is over that box.', 'error');
    }
    reachButton.disabled = true;
    for (const cell of reachCells) cell.textContent = '…';
    setStatus(reachStatus, 'Computing the reachable range (two MILPs per output; can take seconds) …', 'busy');
    try {
      const response = await app.client.call('reach', { bounds: { lower: lower as number[], upper: upper as number[] } });
      response.outputs.forEach((output, i) => {
        clear(reachCells[i]);
        reachCells[i].append(...reachCell(output));
        reachCells[i].dataset.kind = output.kind;
        reachCells[i].dataset.min = String(output.min);
        reachCells[i].dataset.max = String(output.max);
      });
      setStatus(reachStatus, reachSummary(response), response.reason === null ? 'ok' : 'warn');
    } catch (error) {
      for (const cell of reachCells) cell.textContent = '—';
      setStatus(reachStatus, (error as Error).message, 'error');
    } finally {
      reachButton.disabled = false;
    }
  });

  body.append(form, status, proveStatus, proveResult, result, compare);

  // Reachable, in-range default targets: y* = f(x₀) at the operating point.
  void app.client.call('forward', { x: start }).then((response) => {
    response.y.forEach((value, i) => {
      targetRows[i].point.set(roundForDisplay(value));
      const spread = Math.abs(model.outputStd?.[i] ?? value * 0.05) * 0.1;
      targetRows[i].low.set(roundForDisplay(value - spread));
      targetRows[i].high.set(roundForDisplay(value + spread));
    });
    setStatus(status, 'Targets default to f(x₀) at the Forward panel’s inputs: a reachable question. Change them and press Solve (or Enter).', 'info');
  }).catch((error) => setStatus(status, (error as Error).message, 'error'));
  return showObjective;
}

function sameTargets(a: SolveRequest, b: SolveRequest): boolean {
  return JSON.stringify(a.targets) === JSON.stringify(b.targets);
}

function roundForDisplay(value: number): number {
  return Number(value.toPrecision(5));
}

/** The status line: at most two sentences, both read off the re-simulated numbers shown below it. */
export function summarize(response: SolveResponse, model: ModelInfo): { text: string; kind: 'ok' | 'warn' } {
  const best = response.best;
  const m = model.outputNames.length;
  const misses = best.withinTolerance.filter((ok) => !ok).length;
  const starts = `${response.startsRun} start${response.startsRun === 1 ? '' : 's'}`;
  const first = misses === 0
    ? `Found inputs whose re-simulated outputs meet all ${m} targets within tolerance.`
    : `Not reached: ${misses} of ${m} outputs miss their target after ${starts} (best residual norm ${formatNumber(best.residualNorm, 3)}); this does not prove the target unreachable.`;
  const matching = response.solutions.filter((solution) => solution.withinTolerance.every(Boolean)).length;
  const parts: string[] = [];
  if (misses === 0) {
    if (response.solutions.length > 1) parts.push(`${response.solutions.length} distinct points found (${matching} meet the targets); shown first: the matching one with the lowest ${response.criterion}`);
    else if (response.startsRun === 1) parts.push('one start only, so no other solutions were looked for');
    else parts.push(`all ${starts} ended at this point`);
  }
  if (best.inTrainingRange === false) parts.push('x lies outside the training range, where the model extrapolates');
  const joined = parts.join('; ');
  const second = joined ? ` ${joined[0].toUpperCase()}${joined.slice(1)}.` : '';
  return { text: `${first}${second}`, kind: misses === 0 && best.inTrainingRange !== false ? 'ok' : 'warn' };
}

function renderResult(container: HTMLElement, response: SolveResponse, request: SolveRequest, app: App, model: ModelInfo): void {
  clear(container);
  container.dataset.elapsedMs = String(response.elapsedMs);
  // Counts rendered results, so scripts and tests can wait for the next one.
  container.dataset.solveCount = String(Number(container.dataset.solveCount ?? 0) + 1);
  const best = response.best;
  const targetText = (target: Target) => (target.mode === 'point' ? formatNumber(target.value, 6) : `${formatNumber(target.low, 6)} … ${formatNumber(target.high, 6)}`);
  const reference = request.objective.kind === 'reference' ? request.objective.reference : null;
  const basis = best.rangeBasis ? ` (judged by ${best.rangeBasis})` : '';
  const rangeText = best.inTrainingRange === null ? 'unknown — give the training mean/std in the Model card' : best.inTrainingRange ? `yes${basis}` : `no — extrapolating${basis}`;

  const inputTable = el('table', { id: 'inv-result-x' }, [
    el('caption', {}, ['Proposed inputs x']),
    el('thead', {}, [el('tr', {}, ['input', 'x', 'unit', ...(reference ? ['reference'] : []), 'bounds', 'note'].map((text) => el('th', { scope: 'col' }, [text])))]),
    el('tbody', {}, model.inputNames.map((name, i) => {
      const active = best.activeBounds.includes(i);
      return el('tr', { class: active ? 'active-bound' : undefined }, [
        el('th', { scope: 'row' }, [name]),
        el('td', { id: `inv-x-${i}`, class: 'number', 'data-value': best.x[i] }, [formatNumber(best.x[i], 6)]),
        el('td', { class: 'unit-cell' }, [model.inputUnits[i] || unknownUnit()]),
        reference ? el('td', { class: 'number' }, [formatNumber(reference[i], 6)]) : null,
        el('td', { class: 'number' }, [`${formatNumber(request.bounds.lower[i])} … ${formatNumber(request.bounds.upper[i])}`]),
        el('td', {}, [active ? 'on a bound' : '']),
      ]);
    })),
  ]);
  const outputTable = el('table', { id: 'inv-result-y' }, [
    el('caption', {}, ['Re-simulated f(x) against the target']),
    el('thead', {}, [el('tr', {}, ['output', 'target y*', 'f(x)', 'unit', 'residual', 'tolerance', 'match'].map((text) => el('th', { scope: 'col' }, [text])))]),
    el('tbody', {}, model.outputNames.map((name, i) =>
      el('tr', { class: best.withinTolerance[i] ? 'match' : 'miss' }, [
        el('th', { scope: 'row' }, [name]),
        el('td', { id: `inv-target-value-${i}`, class: 'number' }, [targetText(request.targets[i])]),
        el('td', { id: `inv-fx-${i}`, class: 'number', 'data-value': best.y[i] }, [formatNumber(best.y[i], 6)]),
        el('td', { class: 'unit-cell' }, [model.outputUnits[i] || unknownUnit()]),
        el('td', { id: `inv-residual-${i}`, class: 'number', 'data-value': best.residual[i] }, [formatNumber(best.residual[i], 3)]),
        el('td', { id: `inv-tolerance-${i}`, class: 'number', 'data-value': best.tolerance[i] }, [formatNumber(best.tolerance[i], 3)]),
        el('td', {}, [best.withinTolerance[i] ? '✓ within' : '✗ outside']),
      ]))),
  ]);

  const useButton = el('button', { type: 'button', id: 'inv-use-forward' }, ['Use this x in Forward']);
  useButton.addEventListener('click', () => app.useInputs(best.x));
  const stem = `${model.name.replace(/\.onnx$/i, '')}-inverse`;
  const csvButton = el('button', { type: 'button', id: 'inv-download-csv' }, ['Download CSV']);
  csvButton.addEventListener('click', () => downloadBytes(solutionsCsv(model, request, response), `${stem}.csv`, 'text/csv'));
  const jsonButton = el('button', { type: 'button', id: 'inv-download-json' }, ['Download JSON']);
  jsonButton.addEventListener('click', () => downloadBytes(solutionsJson(model, request, response), `${stem}.json`, 'application/json'));

  const k = Math.min(model.inputNames.length, model.outputNames.length);
  const facts = el('dl', { id: 'inv-diagnostics', class: 'facts' }, [
    ...fact('Solver status', statusText(best.status), 'inv-fact-status'),
    ...fact('Starts run', String(response.startsRun), 'inv-fact-starts'),
    ...fact('Iterations (this solution’s start)', String(best.iterations), 'inv-fact-iterations'),
    ...fact('Residual norm ‖f(x) − y*‖', formatNumber(best.residualNorm, 4), 'inv-fact-residual'),
    ...fact('Jacobian rank at x', `${best.rank} of ${k}`, 'inv-fact-rank'),
    ...fact('Condition number at x (standardized / raw units)', `${formatNumber(best.condStandardized)} / ${formatNumber(best.condRaw)}`, 'inv-fact-cond'),
    ...fact('Singular values at x', best.singularValues.map((value) => formatNumber(value, 3)).join(', '), 'inv-fact-singular'),
    ...fact('Inputs on a bound', best.activeBounds.length ? best.activeBounds.map((i) => model.inputNames[i]).join(', ') : 'none', 'inv-fact-active'),
    ...fact('Inside the training range', rangeText, 'inv-fact-range'),
    ...(best.objective !== null ? fact(`Objective: ${response.criterion}`, formatNumber(best.objective, 5), 'inv-fact-objective') : []),
  ]);
  const chartHost = el('div', { id: 'inv-convergence-host' });
  const details = el('details', { id: 'inv-details', class: 'details' }, [
    el('summary', {}, ['Details: solver facts, convergence and messages']),
    el('div', { class: 'two-column' }, [facts, chartHost]),
    el('p', { id: 'inv-solver-message', class: 'muted' }, [`Solver’s own account of its run: ${best.message}`]),
    response.warnings.length ? el('ul', { class: 'warnings', id: 'inv-warnings' }, response.warnings.map((warning) => el('li', {}, [warning]))) : null,
  ]);
  const drawChart = () => {
    clear(chartHost);
    chartHost.append(best.history.iteration.length > 1
      ? responsiveChart(container, (width) => convergenceChart(best.history, width), 'Convergence: residual norm per iteration', 'inv-convergence')
      : el('p', { class: 'muted', id: 'inv-convergence' }, ['No iterations to plot (the method evaluates in one step).']));
  };
  drawChart();
  container.append(
    el('div', { class: 'two-column' }, [
      el('div', { class: 'table-scroll' }, [outputTable]),
      el('div', { class: 'table-scroll' }, [inputTable]),
    ]),
    el('div', { class: 'controls-row' }, [useButton, csvButton, jsonButton]),
    solutionsTable(response, model, app),
    details,
  );
}

function fact(term: string, value: string, id: string): HTMLElement[] {
  return [el('dt', {}, [term]), el('dd', { id }, [value])];
}

function solutionsTable(response: SolveResponse, model: ModelInfo, app: App): HTMLElement {
  const { solutions } = response;
  if (solutions.length <= 1) {
    const text = response.startsRun === 1 ? 'One start: other solutions were not looked for (raise Starts to search).' : `All ${response.startsRun} starts ended at this solution (no distinct alternatives found).`;
    return el('p', { id: 'inv-solutions', class: 'muted' }, [text]);
  }
  const body = el('tbody');
  const rows = solutions.map((solution, k) => {
    const use = el('button', { type: 'button', class: 'small', 'aria-label': `use solution ${k + 1} in Forward` }, ['use']);
    use.addEventListener('click', () => app.useInputs(solution.x));
    return el('tr', { class: solution.withinTolerance.every(Boolean) ? 'match' : 'miss', hidden: k >= SOLUTIONS_SHOWN }, [
      el('th', { scope: 'row' }, [String(k + 1)]),
      ...solution.x.map((value) => el('td', { class: 'number' }, [formatNumber(value, 4)])),
      el('td', { class: 'number' }, [formatNumber(solution.criterionValue, 4)]),
      el('td', { class: 'number' }, [formatNumber(solution.residualNorm, 3)]),
      el('td', {}, [solution.withinTolerance.every(Boolean) ? '✓' : '✗']),
      el('td', {}, [use]),
    ]);
  });
  body.append(...rows);
  const showAll = el('button', { type: 'button', id: 'inv-solutions-all', class: 'small' }, [`Show all ${solutions.length}`]);
  showAll.addEventListener('click', () => {
    for (const row of rows) row.hidden = false;
    showAll.remove();
  });
  const header = (name: string, unit: string) => el('th', { scope: 'col' }, [name, unit ? el('span', { class: 'unit' }, [` [${unit}]`]) : null]);
  return el('div', { class: 'solutions' }, [
    el('div', { class: 'table-scroll' }, [
      el('table', { id: 'inv-solutions' }, [
        el('caption', {}, [`${solutions.length} distinct solutions, ranked: matching ones first, then by ${response.criterion} (lower is better)`]),
        el('thead', {}, [el('tr', {}, [
          el('th', { scope: 'col' }, ['#']),
          ...model.inputNames.map((name, j) => header(name, model.inputUnits[j])),
          el('th', { scope: 'col' }, [response.criterion]),
          el('th', { scope: 'col' }, ['‖residual‖']),
          el('th', { scope: 'col' }, ['match']),
          el('th', { scope: 'col' }, ['Forward']),
        ])]),
        body,
      ]),
    ]),
    solutions.length > SOLUTIONS_SHOWN ? showAll : null,
  ]);
}

/** Several inverse nets side by side at the same targets: one row per net (and their mean), each re-simulated. */
function compareSection(app: App, model: ModelInfo, question: () => { request: SolveRequest; targets: number[]; solver: SolutionView | null } | null): HTMLElement {
  const section = el('section', { class: 'card', id: 'inv-compare-section', 'aria-labelledby': 'inv-compare-title' });
  section.append(el('h3', { id: 'inv-compare-title' }, ['Inverse models side by side']));
  if (!app.inverses.length) {
    section.append(el('p', { class: 'muted' }, ['Load one or more inverse nets (y → x) in the Model tab to compare their proposals here, each re-simulated through the forward model.']));
    return section;
  }
  const run = el('button', { type: 'button', id: 'inv-compare-run' }, [`Compare ${app.inverses.length} inverse model${app.inverses.length === 1 ? '' : 's'} at these targets`]);
  const status = statusLine('inv-compare-status');
  const out = el('div', { id: 'inv-compare-out' });
  run.addEventListener('click', async () => {
    const asked = question();
    if (!asked) return setStatus(status, 'Fix the question above first.', 'error');
    run.disabled = true;
    try {
      const response = await app.client.call('compareInverse', { targets: asked.targets, bounds: asked.request.bounds });
      clear(out);
      out.append(compareTable(response, asked.solver, model, app));
      const bands = asked.request.targets.some((target) => target.mode === 'band');
      const matching = response.rows.filter((row) => row.withinTolerance.every(Boolean)).length;
      setStatus(status, `${matching} of ${response.rows.length} rows re-simulate to every target within tolerance.${bands ? ' Band targets are asked at their midpoint.' : ''}`, matching ? 'ok' : 'warn');
    } catch (error) {
      setStatus(status, (error as Error).message, 'error');
    } finally {
      run.disabled = false;
    }
  });
  section.append(el('p', { class: 'muted' }, ['Each net proposes x = I(y*) in one evaluation (no polishing); every proposal goes through the forward model, so the residual column is the real check.']), run, status, out);
  return section;
}

function compareTable(response: CompareInverseResponse, solver: SolutionView | null, model: ModelInfo, app: App): HTMLElement {
  const header = (name: string, unit: string) => el('th', { scope: 'col' }, [name, unit ? el('span', { class: 'unit' }, [` [${unit}]`]) : null]);
  const rows = response.rows.map((row) => ({ name: row.name, x: row.x, y: row.y, norm: row.scaledResidualNorm, ok: row.withinTolerance.filter(Boolean).length, outside: row.outsideBounds.length }));
  if (solver) rows.push({ name: 'solver (last Solve)', x: solver.x, y: solver.y, norm: NaN, ok: solver.withinTolerance.filter(Boolean).length, outside: 0 });
  const m = model.outputNames.length;
  return el('div', { class: 'table-scroll' }, [
    el('table', { id: 'inv-compare' }, [
      el('caption', {}, ['One row per inverse model: proposed x, and f(x) re-simulated by the forward model']),
      el('thead', {}, [el('tr', {}, [
        el('th', { scope: 'col' }, ['model']),
        ...model.inputNames.map((name, j) => header(name, model.inputUnits[j])),
        ...model.outputNames.map((name, i) => header(`f: ${name}`, model.outputUnits[i])),
        el('th', { scope: 'col' }, ['‖residual‖ (output std units)']),
        el('th', { scope: 'col' }, ['match']),
        el('th', { scope: 'col' }, ['Forward']),
      ])]),
      el('tbody', {}, rows.map((row) => {
        const use = el('button', { type: 'button', class: 'small', 'aria-label': `use ${row.name} in Forward` }, ['use']);
        use.addEventListener('click', () => app.useInputs(row.x));
        return el('tr', { class: row.ok === m ? 'match' : 'miss' }, [
          el('th', { scope: 'row' }, [row.name]),
          ...row.x.map((value) => el('td', { class: 'number' }, [formatNumber(value, 4)])),
          ...row.y.map((value) => el('td', { class: 'number' }, [formatNumber(value, 5)])),
          el('td', { class: 'number' }, [Number.isFinite(row.norm) ? formatNumber(row.norm, 3) : '—']),
          el('td', {}, [`${row.ok} of ${m}${row.outside ? ` · ${row.outside} input${row.outside === 1 ? '' : 's'} outside the bounds` : ''}`]),
          el('td', {}, [use]),
        ]);
      })),
    ]),
  ]);
}
