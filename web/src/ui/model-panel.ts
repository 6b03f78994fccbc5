// Model panel: which forward (and inverse) model is loaded, its inputs/outputs with units, operating
// box and detected standardization, and a drop zone / file picker for the user's own ONNX files.
import { inverseFits, type App } from '../app.ts';
import type { ModelInfo, ModelRole } from '../protocol.ts';
import { formatNumber } from '../parse.ts';
import { clear, el, setStatus, statusLine } from './dom.ts';

export function createModelPanel(container: HTMLElement, app: App): void {
  const status = statusLine('model-status');
  const details = el('div', { id: 'model-details', class: 'model-details' });
  container.append(
    el('h2', {}, ['Model']),
    el('p', { class: 'lead' }, [
      'The built-in demo pair (a forward net x → y and an inverse net y → x for the synthetic blast-furnace plant) is loaded at start. ',
      'Drop your own ONNX files to replace them (a new forward model unloads the inverse model, which belongs to the old one); everything runs in this browser, nothing is uploaded.',
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
    if (app.forward) details.append(modelTable(app.forward, 'model-forward'));
    if (app.inverse) {
      details.append(modelTable(app.inverse, 'model-inverse'));
      if (app.forward && !inverseFits(app.inverse, app.forward)) {
        details.append(el('p', { class: 'warning' }, ['The inverse model does not map this forward model’s outputs back to its inputs.']));
      }
    } else {
      details.append(el('p', { class: 'muted', id: 'model-no-inverse' }, ['No inverse model loaded: the method "inverse-net" is unavailable.']));
    }
  };
  app.onModelsChanged(render);
  render();
}

/** A labelled file picker that also accepts drag-and-drop. */
function dropZone(app: App, role: ModelRole, status: HTMLElement): HTMLElement {
  const inputId = `model-file-${role}`;
  const input = el('input', { id: inputId, type: 'file', accept: '.onnx,application/octet-stream', class: 'file-input' });
  const zone = el('div', { class: 'drop-zone', id: `model-drop-${role}` }, [
    el('label', { for: inputId }, [
      el('strong', {}, [role === 'forward' ? 'Forward model (x → y)' : 'Inverse model (y → x, optional)']),
      el('span', { class: 'muted' }, [' — drop an .onnx file here or choose one']),
    ]),
    input,
  ]);
  const load = async (file: File) => {
    setStatus(status, `Loading ${file.name} …`, 'busy');
    try {
      const bytes = await file.arrayBuffer();
      const info = await app.loadModel(role, file.name, bytes);
      setStatus(status, `Loaded ${info.name} as the ${role} model: ${info.inputNames.length} inputs → ${info.outputNames.length} outputs.`, 'ok');
    } catch (error) {
      setStatus(status, `Could not load ${file.name}: ${(error as Error).message}`, 'error');
    }
  };
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) void load(file);
  });
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    const file = event.dataTransfer?.files?.[0];
    if (file) void load(file);
  });
  return zone;
}

function modelTable(info: ModelInfo, idPrefix: string): HTMLElement {
  const cell = (values: number[] | null, i: number) => (values ? formatNumber(values[i]) : '—');
  const box = (i: number) => (info.bounds ? `${formatNumber(info.bounds.lower[i])} … ${formatNumber(info.bounds.upper[i])}` : '—');
  const inputRows = info.inputNames.map((name, i) =>
    el('tr', {}, [el('th', { scope: 'row' }, [name]), el('td', {}, [info.inputUnits[i] || '—']), el('td', {}, [box(i)]), el('td', {}, [cell(info.inputMean, i)]), el('td', {}, [cell(info.inputStd, i)])]),
  );
  const outputRows = info.outputNames.map((name, i) =>
    el('tr', {}, [el('th', { scope: 'row' }, [name]), el('td', {}, [info.outputUnits[i] || '—']), el('td', {}, ['']), el('td', {}, [cell(info.outputMean, i)]), el('td', {}, [cell(info.outputStd, i)])]),
  );
  const head = (first: string) => el('tr', {}, [el('th', { scope: 'col' }, [first]), el('th', { scope: 'col' }, ['unit']), el('th', { scope: 'col' }, ['operating box']), el('th', { scope: 'col' }, ['mean']), el('th', { scope: 'col' }, ['std'])]);
  return el('section', { class: 'card', id: idPrefix, 'aria-label': `${info.role} model` }, [
    el('h3', {}, [`${info.role === 'forward' ? 'Forward' : 'Inverse'}: ${info.name}`]),
    el('p', { class: 'muted' }, [
      `${info.inputNames.length} inputs → ${info.outputNames.length} outputs · source ${info.source}`,
      info.approximateJacobian ? ' · Jacobian by finite differences (approximate)' : ' · exact Jacobian',
    ]),
    el('p', {}, [el('strong', {}, ['Standardization: ']), info.standardization]),
    info.bounds ? el('p', { class: 'muted' }, [`Operating box: ${info.bounds.origin}`]) : el('p', { class: 'warning' }, ['No operating box known: inputs cannot be range-checked.']),
    el('div', { class: 'table-scroll' }, [
      el('table', { id: `${idPrefix}-table` }, [
        el('caption', {}, ['Inputs and outputs']),
        el('thead', {}, [head('input')]),
        el('tbody', {}, inputRows),
        el('thead', {}, [head('output')]),
        el('tbody', {}, outputRows),
      ]),
    ]),
    info.notes.length ? el('ul', { class: 'notes' }, info.notes.map((note) => el('li', {}, [note]))) : null,
  ]);
}
