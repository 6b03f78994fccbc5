// Model panel: which forward model and inverse nets are loaded, what the page knows about the
// forward model ("unknown" wherever nothing is known, with the action that fixes it), and the Model
// card: names, units, operating box and training statistics, editable for any model, applied to
// every panel, saved in this browser and downloadable as an annotated ONNX file.
import { inverseFits, type App } from '../app.ts';
import { currentCard } from '../model-card.ts';
import { downloadBytes } from './download.ts';
import type { ModelCard, ModelInfo, ModelRole } from '../protocol.ts';
import { formatNumber } from '../parse.ts';
import { clear, el, releaseIds, setStatus, statusLine } from './dom.ts';
import { createNumberField, type NumberField } from './number-field.ts';

export function createModelPanel(container: HTMLElement, app: App): void {
  const status = statusLine('model-status');
  const details = el('div', { id: 'model-details', class: 'model-details' });
  container.append(
    el('h2', {}, ['Model']),
    el('p', { class: 'lead' }, [
      'The built-in demo pair (a forward net x → y and an inverse net y → x for the synthetic blast-furnace plant) is loaded at start. ',
      'Load your own ONNX files to replace them; describe a model in its Model card below. Everything runs in this browser, nothing is uploaded.',
    ]),
    el('div', { class: 'drop-row' }, [
      dropZone(app, 'forward', status),
      dropZone(app, 'inverse', status),
    ]),
    status,
    details,
  );
  const render = () => {
    clear(details);
    releaseIds('card');
    if (app.forward) details.append(forwardCard(app, app.forward));
    for (const [k, inverse] of app.inverses.entries()) {
      details.append(modelTable(inverse, k === 0 ? 'model-inverse' : `model-inverse-${k + 1}`));
      if (app.forward && !inverseFits(inverse, app.forward)) {
        details.append(el('p', { class: 'warning' }, [`${inverse.name} does not map this forward model’s outputs back to its inputs.`]));
      }
    }
    if (!app.inverses.length) {
      details.append(el('p', { class: 'muted', id: 'model-no-inverse' }, ['No inverse model loaded: the method "inverse-net" and the comparison of inverse models are unavailable (load one or more above).']));
    }
  };
  app.onModelsChanged(render);
  render();
}

/** A labelled file picker that also accepts drag-and-drop (several files for inverse nets). */
function dropZone(app: App, role: ModelRole, status: HTMLElement): HTMLElement {
  const inputId = `model-file-${role}`;
  const input = el('input', { id: inputId, type: 'file', accept: '.onnx,application/octet-stream', class: 'file-input', multiple: role === 'inverse' });
  const zone = el('div', { class: 'drop-zone', id: `model-drop-${role}` }, [
    el('label', { for: inputId }, [
      el('strong', {}, [role === 'forward' ? 'Forward model (x → y)' : 'Inverse models (y → x, optional, one or more)']),
      el('span', { class: 'muted' }, [' — drop .onnx files here or choose']),
    ]),
    input,
  ]);
  const load = async (files: File[]) => {
    for (const file of role === 'forward' ? files.slice(0, 1) : files) {
      setStatus(status, `Loading ${file.name} …`, 'busy');
      try {
        const bytes = await file.arrayBuffer();
        const info = await app.loadModel(role, file.name, bytes);
        const card = role === 'forward' && app.card ? ` Applied the Model card saved in this browser on ${app.card.savedAt.slice(0, 10)}.` : '';
        setStatus(status, `Loaded ${info.name} as ${role === 'forward' ? 'the forward model' : 'an inverse model'}: ${info.inputNames.length} inputs → ${info.outputNames.length} outputs.${card}`, 'ok');
      } catch (error) {
        setStatus(status, `Could not load ${file.name}: ${(error as Error).message}`, 'error');
        return;
      }
    }
  };
  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])];
    if (files.length) void load(files);
  });
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length) void load(files);
  });
  return zone;
}

const GENERIC_NAME = /^[xy]\d+$/;

/** What the page knows about the model, one line per item; unknown items name the action that fixes them. */
function knowledge(info: ModelInfo): HTMLElement {
  const n = info.inputNames.length, m = info.outputNames.length;
  const generic = [...info.inputNames, ...info.outputNames].filter((name) => GENERIC_NAME.test(name)).length;
  const units = [...info.inputUnits, ...info.outputUnits].filter(Boolean).length;
  const item = (id: string, term: string, known: boolean, text: string) =>
    [el('dt', {}, [term]), el('dd', { id, class: known ? 'known' : 'unknown' }, [known ? text : el('span', {}, [el('strong', {}, ['unknown']), ` — ${text}`])])];
  const box = info.bounds
    ? item('model-know-box', 'Operating box', true, info.boxStored ? `${info.bounds.origin}.` : `not stored; the page uses ${info.bounds.origin}. Enter the real box in the card below.`)
    : item('model-know-box', 'Operating box', false, 'enter lower and upper for every input in the card below. Until then inputs are not range-checked and diagnostics have no range to scan.');
  const training = info.inputMean && info.inputStd
    ? item('model-know-training', 'Training range', true, `training mean and std of the inputs are known${info.outputStd ? ' (outputs too)' : ' (outputs: unknown)'}.`)
    : item('model-know-training', 'Training range', false, 'enter the training mean and std of every input in the card below. Until then "inside the training range" is unknown.');
  return el('dl', { class: 'facts knowledge', id: 'model-knowledge' }, [
    ...item('model-know-names', 'Names', generic === 0, generic === 0 ? 'named.' : `${generic} of ${n + m} variables carry generic names (x0…, y0…): type the real names in the card below.`),
    ...item('model-know-units', 'Units', units > 0, units === n + m ? 'known for every variable.' : units > 0 ? `known for ${units} of ${n + m} variables; type the others below.` : 'type them in the card below (e.g. °C, kg/t).'),
    ...box,
    ...training,
    ...item('model-know-standardization', 'Standardization', true, info.standardization),
  ]);
}

function forwardCard(app: App, info: ModelInfo): HTMLElement {
  const card = currentCard(app, info);
  const n = info.inputNames.length, m = info.outputNames.length;
  const text = (id: string, label: string, value: string, placeholder: string) => {
    const input = el('input', { id, type: 'text', 'aria-label': label, autocomplete: 'off', spellcheck: 'false', class: 'text-input', placeholder });
    input.value = value;
    return input;
  };
  const number = (id: string, label: string, value: number | null, rules = {}) =>
    createNumberField({ id, label, value: value ?? NaN, emptyValue: NaN, rules });
  const read = (field: NumberField): number | null | undefined => {
    const value = field.read();
    if (value === null) return undefined; // invalid text: the field shows its error
    return Number.isNaN(value) ? null : value;
  };
  const rows = {
    inputName: card.inputNames.map((name, i) => text(`card-input-name-${i}`, `input ${i + 1} name`, name, `x${i}`)),
    inputUnit: card.inputUnits.map((unit, i) => text(`card-input-unit-${i}`, `input ${i + 1} unit`, unit, 'unknown')),
    lower: card.lower.map((value, i) => number(`card-lower-${i}`, `input ${i + 1} lower bound`, value)),
    upper: card.upper.map((value, i) => number(`card-upper-${i}`, `input ${i + 1} upper bound`, value)),
    inputMean: card.inputMean.map((value, i) => number(`card-input-mean-${i}`, `input ${i + 1} training mean`, value)),
    inputStd: card.inputStd.map((value, i) => number(`card-input-std-${i}`, `input ${i + 1} training std`, value, { positive: true })),
    outputName: card.outputNames.map((name, i) => text(`card-output-name-${i}`, `output ${i + 1} name`, name, `y${i}`)),
    outputUnit: card.outputUnits.map((unit, i) => text(`card-output-unit-${i}`, `output ${i + 1} unit`, unit, 'unknown')),
    outputMean: card.outputMean.map((value, i) => number(`card-output-mean-${i}`, `output ${i + 1} training mean`, value)),
    outputStd: card.outputStd.map((value, i) => number(`card-output-std-${i}`, `output ${i + 1} training std`, value, { positive: true })),
  };
  for (const field of [...rows.lower, ...rows.upper, ...rows.inputMean, ...rows.inputStd, ...rows.outputMean, ...rows.outputStd]) field.input.placeholder = 'unknown';
  const cardStatus = statusLine('model-card-status');

  /** The card as typed, or null (with the errors shown) when a number field is invalid. */
  const readCard = (): ModelCard | null => {
    const numbers = (fields: NumberField[]) => fields.map(read);
    const result = {
      inputNames: rows.inputName.map((input) => input.value.trim()),
      outputNames: rows.outputName.map((input) => input.value.trim()),
      inputUnits: rows.inputUnit.map((input) => input.value.trim()),
      outputUnits: rows.outputUnit.map((input) => input.value.trim()),
      lower: numbers(rows.lower), upper: numbers(rows.upper),
      inputMean: numbers(rows.inputMean), inputStd: numbers(rows.inputStd),
      outputMean: numbers(rows.outputMean), outputStd: numbers(rows.outputStd),
    };
    const invalid = [result.lower, result.upper, result.inputMean, result.inputStd, result.outputMean, result.outputStd].some((values) => values.includes(undefined));
    return invalid ? null : (result as ModelCard);
  };

  const apply = el('button', { type: 'button', id: 'model-card-apply', class: 'primary' }, ['Apply to every panel and save in this browser']);
  const download = el('button', { type: 'button', id: 'model-card-download' }, ['Download annotated ONNX']);
  const reset = el('button', { type: 'button', id: 'model-card-reset', disabled: !app.card }, ['Forget the saved card']);
  apply.addEventListener('click', async () => {
    const typed = readCard();
    if (!typed) return setStatus(cardStatus, 'Fix the highlighted fields first.', 'error');
    apply.disabled = true;
    setStatus(cardStatus, 'Applying …', 'busy');
    try {
      await app.applyCard(typed);
      // The panel was rebuilt by the model change; report on the new status line.
      const next = document.getElementById('model-card-status');
      if (next) setStatus(next, app.card?.persisted === false ? 'Applied to every panel. This browser refused to store it: it lasts until the page is closed.' : 'Applied to every panel and saved in this browser for this model file.', 'ok');
    } catch (error) {
      setStatus(cardStatus, (error as Error).message, 'error');
      apply.disabled = false;
    }
  });
  download.addEventListener('click', async () => {
    const typed = readCard();
    if (!typed) return setStatus(cardStatus, 'Fix the highlighted fields first.', 'error');
    try {
      const { bytes } = await app.client.call('annotate', { card: typed });
      const fileName = `${info.name.replace(/\.onnx$/i, '')}.annotated.onnx`;
      downloadBytes(bytes, fileName, 'application/octet-stream');
      setStatus(cardStatus, `Wrote ${fileName} (${formatNumber(bytes.length / 1024, 3)} KiB) with the card as inversa metadata; \`inversa inspect\` lists it.`, 'ok');
    } catch (error) {
      setStatus(cardStatus, (error as Error).message, 'error');
    }
  });
  reset.addEventListener('click', async () => {
    try {
      await app.applyCard(null);
      const next = document.getElementById('model-card-status');
      if (next) setStatus(next, 'Forgot the saved card: the page uses what the file itself says.', 'ok');
    } catch (error) {
      setStatus(cardStatus, (error as Error).message, 'error');
    }
  });

  const head = (cells: string[]) => el('tr', {}, cells.map((text) => el('th', { scope: 'col' }, [text])));
  const table = el('table', { id: 'model-card-table', class: 'card-table' }, [
    el('caption', {}, ['Model card: empty = unknown']),
    el('thead', {}, [head(['input', 'name', 'unit', 'box lower', 'box upper', 'training mean', 'training std'])]),
    el('tbody', {}, Array.from({ length: n }, (_, i) => el('tr', {}, [
      el('th', { scope: 'row' }, [String(i + 1)]),
      el('td', {}, [rows.inputName[i]]), el('td', {}, [rows.inputUnit[i]]),
      el('td', {}, [rows.lower[i].root]), el('td', {}, [rows.upper[i].root]),
      el('td', {}, [rows.inputMean[i].root]), el('td', {}, [rows.inputStd[i].root]),
    ]))),
    el('thead', {}, [head(['output', 'name', 'unit', '', '', 'training mean', 'training std'])]),
    el('tbody', {}, Array.from({ length: m }, (_, i) => el('tr', {}, [
      el('th', { scope: 'row' }, [String(i + 1)]),
      el('td', {}, [rows.outputName[i]]), el('td', {}, [rows.outputUnit[i]]),
      el('td', {}), el('td', {}),
      el('td', {}, [rows.outputMean[i].root]), el('td', {}, [rows.outputStd[i].root]),
    ]))),
  ]);
  const form = el('form', { id: 'model-card', class: 'card-form', 'aria-label': 'Model card' }, [
    el('div', { class: 'table-scroll' }, [table]),
    el('div', { class: 'controls-row' }, [apply, download, reset]),
    cardStatus,
  ]);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply.click();
  });
  const savedText = app.card
    ? `Model card in force${app.card.persisted ? `, saved in this browser on ${app.card.savedAt.slice(0, 10)}` : ' (not stored: this browser refused)'}.`
    : 'No Model card saved for this file: the page shows what the file itself says.';
  return el('section', { class: 'card', id: 'model-forward', 'aria-label': 'forward model' }, [
    el('h3', {}, [`Forward: ${info.name}`]),
    el('p', { class: 'muted' }, [
      `${info.inputNames.length} inputs → ${info.outputNames.length} outputs · source ${info.source}`,
      info.approximateJacobian ? ' · Jacobian by finite differences (approximate)' : ' · exact Jacobian',
    ]),
    el('p', { class: 'muted', id: 'model-card-saved' }, [savedText]),
    knowledge(info),
    modelTable(info, 'model-forward-summary'),
    el('h3', {}, ['Model card']),
    form,
    info.notes.length ? el('ul', { class: 'notes' }, info.notes.map((note) => el('li', {}, [note]))) : null,
  ]);
}

/** Read-only table of a model's variables; "unknown" where nothing is known. */
function modelTable(info: ModelInfo, idPrefix: string): HTMLElement {
  const unknown = () => el('span', { class: 'unknown-value' }, ['unknown']);
  const cell = (values: number[] | null, i: number) => (values && Number.isFinite(values[i]) ? formatNumber(values[i]) : unknown());
  const box = (i: number) => (info.bounds ? `${formatNumber(info.bounds.lower[i])} … ${formatNumber(info.bounds.upper[i])}${info.boxStored ? '' : ' (derived)'}` : unknown());
  const inputRows = info.inputNames.map((name, i) =>
    el('tr', {}, [el('th', { scope: 'row' }, [name]), el('td', {}, [info.inputUnits[i] || unknown()]), el('td', {}, [box(i)]), el('td', {}, [cell(info.inputMean, i)]), el('td', {}, [cell(info.inputStd, i)])]),
  );
  const outputRows = info.outputNames.map((name, i) =>
    el('tr', {}, [el('th', { scope: 'row' }, [name]), el('td', {}, [info.outputUnits[i] || unknown()]), el('td', {}, ['']), el('td', {}, [cell(info.outputMean, i)]), el('td', {}, [cell(info.outputStd, i)])]),
  );
  const head = (first: string) => el('tr', {}, [el('th', { scope: 'col' }, [first]), el('th', { scope: 'col' }, ['unit']), el('th', { scope: 'col' }, ['operating box']), el('th', { scope: 'col' }, ['training mean']), el('th', { scope: 'col' }, ['training std'])]);
  const table = el('div', { class: 'table-scroll' }, [
    el('table', { id: `${idPrefix}-table` }, [
      el('caption', {}, [info.role === 'forward' ? 'What the page uses now' : 'Inputs and outputs']),
      el('thead', {}, [head('input')]),
      el('tbody', {}, inputRows),
      el('thead', {}, [head('output')]),
      el('tbody', {}, outputRows),
    ]),
  ]);
  if (info.role === 'forward') return table;
  return el('section', { class: 'card', id: idPrefix, 'aria-label': `inverse model ${info.name}` }, [
    el('h3', {}, [`Inverse: ${info.name}`]),
    el('p', { class: 'muted' }, [`${info.inputNames.length} inputs → ${info.outputNames.length} outputs · source ${info.source}`]),
    el('p', {}, [el('strong', {}, ['Standardization: ']), info.standardization]),
    table,
  ]);
}
