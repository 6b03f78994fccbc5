// Forward panel: edit the inputs (number fields with units, range hints and sliders) and see the
// outputs immediately. Invalid text blocks evaluation with an inline error; out-of-range inputs are
// flagged next to the field and in a summary line.
import { defaultInputs, inputRange, operatingPoint, unitOf, type App } from '../app.ts';
import { formatNumber } from '../parse.ts';
import { clear, el, releaseIds, setStatus, statusLine } from './dom.ts';
import { createNumberField, type NumberField } from './number-field.ts';

export function createForwardPanel(container: HTMLElement, app: App): void {
  const body = el('div');
  container.append(
    el('h2', {}, ['Forward: x → y']),
    el('p', { class: 'lead' }, ['Edit an input (type or drag the slider); the outputs update at once. These inputs are the operating point the Inverse panel stays near by default.']),
    body,
  );
  let setInputs: ((x: number[]) => void) | null = null;
  app.onModelsChanged(() => (setInputs = build(body, app)));
  app.onUseInputs((x) => setInputs?.(x));
  setInputs = build(body, app);
}

/** Build the panel for the loaded model; returns the function that sets all inputs and re-evaluates. */
function build(body: HTMLElement, app: App): ((x: number[]) => void) | null {
  clear(body);
  releaseIds('fwd');
  const model = app.forward;
  if (!model) {
    body.append(el('p', { class: 'muted' }, ['Load a forward model first.']));
    return null;
  }
  const status = statusLine('fwd-status');
  const outputCells: HTMLElement[] = [];
  let requestNumber = 0;
  const fields: NumberField[] = [];

  const evaluate = async () => {
    const values = fields.map((field) => field.read());
    if (values.some((value) => value === null)) {
      setStatus(status, 'Fix the highlighted inputs: the outputs are not updated until every field holds a number.', 'error');
      outputTable.classList.add('stale');
      return;
    }
    const ticket = ++requestNumber;
    try {
      const response = await app.client.call('forward', { x: values as number[] });
      if (ticket !== requestNumber) return; // a newer edit is on its way
      response.y.forEach((value, i) => {
        outputCells[i].textContent = formatNumber(value, 6);
        outputCells[i].dataset.value = String(value);
      });
      outputTable.classList.remove('stale');
      // The inputs these outputs belong to (lets tests and scripts wait for a specific evaluation).
      outputTable.dataset.x = (values as number[]).join(',');
      app.inputsEvaluated((values as number[]).slice());
      const outside = response.outOfRange.flatMap((flag, i) => (flag ? [model.inputNames[i]] : []));
      if (outside.length) setStatus(status, `Outside the operating box: ${outside.join(', ')} — the model is extrapolating, treat the outputs with care.`, 'warn');
      else if (!model.bounds) setStatus(status, `Evaluated in ${formatNumber(response.elapsedMs, 2)} ms. Operating box unknown, so the inputs are not range-checked: enter the box in the Model card.`, 'info');
      else setStatus(status, `Evaluated in ${formatNumber(response.elapsedMs, 2)} ms; all inputs inside the operating box${model.boxStored ? '' : ` (${model.bounds.origin})`}.`, 'ok');
    } catch (error) {
      if (ticket === requestNumber) setStatus(status, (error as Error).message, 'error');
    }
  };

  const start = operatingPoint(app, model);
  model.inputNames.forEach((name, i) => {
    fields.push(createNumberField({
      id: `fwd-input-${i}`,
      label: name,
      unit: unitOf(model.inputUnits, i),
      value: start[i],
      range: inputRange(model, i),
      slider: true,
      onInput: () => void evaluate(),
    }));
  });

  const rows = model.outputNames.map((name, i) => {
    const cell = el('td', { id: `fwd-output-${i}`, class: 'number' }, ['…']);
    outputCells.push(cell);
    return el('tr', {}, [el('th', { scope: 'row' }, [name]), cell, el('td', {}, [model.outputUnits[i] || el('span', { class: 'unknown-value' }, ['unknown'])])]);
  });
  const outputTable = el('table', { id: 'fwd-outputs', class: 'outputs' }, [
    el('caption', {}, ['Outputs f(x)']),
    el('thead', {}, [el('tr', {}, [el('th', { scope: 'col' }, ['output']), el('th', { scope: 'col' }, ['value']), el('th', { scope: 'col' }, ['unit'])])]),
    el('tbody', {}, rows),
  ]);
  const reset = el('button', { type: 'button', id: 'fwd-reset' }, [model.inputMean ? 'Reset to training means' : model.bounds ? 'Reset to the box centre' : 'Reset to 0']);
  reset.addEventListener('click', () => {
    defaultInputs(model).forEach((value, i) => fields[i].set(value));
    void evaluate();
  });

  body.append(
    el('div', { class: 'two-column' }, [
      el('fieldset', { class: 'inputs-grid', id: 'fwd-inputs' }, [el('legend', {}, ['Inputs x']), ...fields.map((field) => field.root), reset]),
      el('div', {}, [el('div', { class: 'table-scroll' }, [outputTable]), status]),
    ]),
  );
  void evaluate();
  return (x) => {
    if (x.length !== fields.length) return;
    x.forEach((value, i) => fields[i].set(value));
    void evaluate();
  };
}
