// Training panel (small data): upload a CSV (comma, semicolon or tab separated) or take a sample of
// the built-in plant data, check the guessed column roles and units, train a forward net and an
// inverse net with the consistency weight alpha in a worker of its own (Stop ends it at once; the
// other panels keep answering meanwhile), watch the loss curves, download both as ONNX with names
// and units, and optionally load them into the page.
import type { App } from '../app.ts';
import { guessRoles, roleProblems, type ColumnRole } from '../column-roles.ts';
import { delimiterName } from '../csv-text.ts';
import { formatNumber } from '../parse.ts';
import { TrainingStopped } from '../pool.ts';
import type { CsvHeaderResponse, TrainProgress, TrainResponse } from '../protocol.ts';
import { lossChart, responsiveChart } from './charts.ts';
import { clear, el, setStatus, statusLine } from './dom.ts';
import { createNumberField } from './number-field.ts';

const DEFAULT_ALPHA = 0.1;
const DEFAULT_EPOCHS = 150;
const DEFAULT_HIDDEN = 32;
const SAMPLE_ROWS = 600;
/** Redraw the loss chart at most this often while training (ms). */
const CHART_REFRESH_MS = 250;

interface Columns {
  header: CsvHeaderResponse;
  roles: HTMLSelectElement[];
  units: HTMLInputElement[];
}

export function createTrainingPanel(container: HTMLElement, app: App): void {
  let csvText = '';
  let columns: Columns | null = null;
  let lastResult: TrainResponse | null = null;
  const fileInput = el('input', { id: 'train-file', type: 'file', accept: '.csv,.tsv,.txt,text/csv' });
  const sampleButton = el('button', { type: 'button', id: 'train-sample' }, [`Use ${SAMPLE_ROWS} rows of the built-in plant data`]);
  const dataStatus = statusLine('train-data-status');
  const columnsHost = el('div', { id: 'train-columns' });
  const validation = el('p', { id: 'train-validation', class: 'status', role: 'status', 'aria-live': 'polite' });
  const alphaSlider = el('input', { id: 'train-alpha', type: 'range', min: 0, max: 1, step: 0.05, value: DEFAULT_ALPHA, 'aria-describedby': 'train-alpha-value' });
  const alphaValue = el('output', { id: 'train-alpha-value', for: 'train-alpha' }, [String(DEFAULT_ALPHA)]);
  alphaSlider.addEventListener('input', () => (alphaValue.textContent = alphaSlider.value));
  const epochs = createNumberField({ id: 'train-epochs', label: 'Epochs', value: DEFAULT_EPOCHS, rules: { integer: true, min: 1, max: 5000 } });
  const hidden = createNumberField({ id: 'train-hidden', label: 'Hidden width', value: DEFAULT_HIDDEN, rules: { integer: true, min: 2, max: 256 } });
  const seed = createNumberField({ id: 'train-seed', label: 'Seed', value: 42, rules: { integer: true, min: 0 } });
  const trainButton = el('button', { type: 'button', id: 'train-run', class: 'primary', disabled: true }, ['Train forward and inverse']);
  const stopButton = el('button', { type: 'button', id: 'train-stop', disabled: true }, ['Stop']);
  const trainStatus = statusLine('train-status');
  const charts = el('div', { id: 'train-charts', class: 'two-column' });
  const downloads = el('div', { id: 'train-downloads', class: 'controls-row' });
  document.body.dataset.training = 'idle';

  container.append(
    el('h2', {}, ['Training (small data)']),
    el('p', { class: 'lead' }, [
      'Train a forward net F: x → y and an inverse net I: y → x with loss (1 − α)·MSE(I(y), x) + α·MSE(F(I(y)), y), F frozen. ',
      'α > 0 asks the inverse to give inputs that re-simulate to y, which matters because the inverse is rarely unique. Training runs in its own worker: the other panels keep answering.',
    ]),
    el('section', { class: 'card', 'aria-labelledby': 'train-data-title' }, [
      el('h3', { id: 'train-data-title' }, ['Data']),
      el('div', { class: 'controls-row' }, [
        el('div', { class: 'field' }, [el('label', { for: 'train-file', class: 'field-label' }, ['CSV file (header row; comma, semicolon or tab separated)']), fileInput]),
        sampleButton,
      ]),
      dataStatus,
      columnsHost,
      validation,
    ]),
    el('section', { class: 'card', 'aria-labelledby': 'train-settings-title' }, [
      el('h3', { id: 'train-settings-title' }, ['Settings']),
      el('div', { class: 'controls-row' }, [
        el('div', { class: 'field' }, [el('label', { for: 'train-alpha', class: 'field-label' }, ['Consistency weight α']), el('div', { class: 'field-row' }, [alphaSlider, alphaValue])]),
        epochs.root,
        hidden.root,
        seed.root,
        trainButton,
        stopButton,
      ]),
      trainStatus,
      charts,
      downloads,
    ]),
  );

  const chosen = (role: ColumnRole) => {
    if (!columns) return { names: [] as string[], units: [] as string[], headers: [] as string[] };
    const picked = columns.roles.flatMap((select, k) => (select.value === role ? [k] : []));
    return {
      names: picked.map((k) => columns!.header.info[k].name),
      headers: picked.map((k) => columns!.header.info[k].header),
      units: picked.map((k) => columns!.units[k].value.trim()),
    };
  };
  const validate = (): boolean => {
    if (!columns) return false;
    const problems = roleProblems(columns.header.info, columns.roles.map((select) => select.value as ColumnRole), columns.header.rows);
    const inputs = chosen('input').names.length, outputs = chosen('output').names.length;
    if (problems.length) setStatus(validation, `Cannot train yet: ${problems.join('; ')}.`, 'error');
    else setStatus(validation, `Ready: ${inputs} input${inputs === 1 ? '' : 's'} → ${outputs} output${outputs === 1 ? '' : 's'}, ${columns.header.rows} rows.`, 'ok');
    trainButton.disabled = problems.length > 0 || app.trainer.running;
    return problems.length === 0;
  };

  const useData = async (text: string, source: string) => {
    try {
      const header = await app.client.call('csvHeader', { csvText: text });
      csvText = text;
      const guess = guessRoles(header.info, { inputs: header.statedInputs, outputs: header.statedOutputs }, app.forward);
      const roles = header.info.map((column, k) => {
        const select = el('select', { id: `train-role-${k}`, 'aria-label': `role of column ${column.header}` }, (['input', 'output', 'ignore'] as const).map((role) =>
          el('option', { value: role, selected: guess.roles[k] === role }, [role])));
        select.addEventListener('change', validate);
        return select;
      });
      const units = header.info.map((column, k) => {
        const input = el('input', { id: `train-unit-${k}`, type: 'text', class: 'text-input unit-input', 'aria-label': `unit of column ${column.name}`, placeholder: 'unknown', autocomplete: 'off' });
        input.value = column.unit;
        return input;
      });
      columns = { header, roles, units };
      clear(columnsHost);
      columnsHost.append(el('div', { class: 'table-scroll' }, [
        el('table', { id: 'train-roles' }, [
          el('caption', {}, [`Column roles (guessed from ${guess.basis})`]),
          el('thead', {}, [el('tr', {}, ['column', 'role', 'unit', 'values'].map((text) => el('th', { scope: 'col' }, [text])))]),
          el('tbody', {}, header.info.map((column, k) => el('tr', {}, [
            el('th', { scope: 'row' }, [column.name]),
            el('td', {}, [roles[k]]),
            el('td', {}, [units[k]]),
            el('td', {}, [!column.numeric ? 'text (not usable)' : column.constant ? 'constant (not usable)' : 'numeric']),
          ]))),
        ]),
      ]));
      setStatus(dataStatus, `${source}: ${header.rows} rows, ${header.columns.length} columns, ${delimiterName(header.delimiter)}-separated.`, 'ok');
      validate();
    } catch (error) {
      columns = null;
      clear(columnsHost);
      setStatus(validation, '', 'info');
      trainButton.disabled = true;
      setStatus(dataStatus, `Could not read ${source}: ${(error as Error).message}`, 'error');
    }
  };
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files?.[0];
    if (file) await useData(await file.text(), file.name);
  });
  sampleButton.addEventListener('click', async () => {
    try {
      const sample = await app.client.call('sampleCsv', { rows: SAMPLE_ROWS, seed: 42 });
      // The same comment lines `inversa datasets export` writes, so the roles come from the file itself.
      await useData(`# inputs: ${sample.inputColumns.join(', ')}\n# outputs: ${sample.outputColumns.join(', ')}\n${sample.csvText}`, 'built-in plant sample');
    } catch (error) {
      setStatus(dataStatus, (error as Error).message, 'error');
    }
  });

  let progressNow: TrainProgress | null = null;
  stopButton.addEventListener('click', () => {
    if (app.trainer.stop()) {
      const where = progressNow ? ` at epoch ${progressNow.epoch} of ${progressNow.epochs} of the ${progressNow.stage} net` : '';
      setStatus(trainStatus, `Stopped${where}. No model was produced; the curves show the epochs that ran.`, 'warn');
    }
  });

  trainButton.addEventListener('click', async () => {
    if (!validate()) return;
    const inputs = chosen('input'), outputs = chosen('output');
    const epochCount = epochs.read(), width = hidden.read(), seedValue = seed.read();
    if (epochCount === null || width === null || seedValue === null) return setStatus(trainStatus, 'Fix the highlighted fields first.', 'error');
    trainButton.disabled = true;
    stopButton.disabled = false;
    document.body.dataset.training = 'running';
    clear(downloads);
    progressNow = null;
    const curves: Record<'forward' | 'inverse', { train: number[]; validation: number[] }> = {
      forward: { train: [], validation: [] },
      inverse: { train: [], validation: [] },
    };
    let lastDraw = 0;
    const draw = () => {
      // Measure before replacing, and replace in one step: an emptied container would make the page jump.
      const drawn = (['forward', 'inverse'] as const).filter((stage) => curves[stage].train.length > 1)
        .map((stage) => responsiveChart(charts, (width) => lossChart(curves[stage], `${stage} net loss`, width), `${stage} net loss per epoch`, `train-chart-${stage}`));
      charts.replaceChildren(...drawn);
    };
    const onProgress = (progress: TrainProgress) => {
      progressNow = progress;
      curves[progress.stage].train.push(progress.trainLoss);
      if (progress.validationLoss !== null) curves[progress.stage].validation.push(progress.validationLoss);
      setStatus(trainStatus, `Training the ${progress.stage} net: epoch ${progress.epoch} of ${progress.epochs}, loss ${formatNumber(progress.trainLoss, 3)}`, 'busy');
      const now = performance.now();
      if (now - lastDraw > CHART_REFRESH_MS) {
        lastDraw = now;
        draw();
      }
    };
    try {
      const result = await app.trainer.run({
        csvText, inputColumns: inputs.names, outputColumns: outputs.names, inputUnits: inputs.units, outputUnits: outputs.units,
        alpha: Number(alphaSlider.value), epochs: epochCount, hidden: width, seed: seedValue,
      }, onProgress);
      lastResult = result;
      curves.forward = result.forwardLoss;
      curves.inverse = result.inverseLoss;
      draw();
      downloads.append(
        downloadLink(result.forwardOnnx, 'forward.onnx', 'train-download-forward'),
        downloadLink(result.inverseOnnx, 'inverse.onnx', 'train-download-inverse'),
        useButton(),
      );
      const unitsNote = [...inputs.units, ...outputs.units].some(Boolean) ? ' Names and units are stored in both files.' : ' Names are stored in both files; no units were given.';
      setStatus(trainStatus, `Done. ${result.summary}${unitsNote}`, 'ok');
    } catch (error) {
      draw();
      if (!(error instanceof TrainingStopped)) setStatus(trainStatus, (error as Error).message, 'error');
    } finally {
      stopButton.disabled = true;
      document.body.dataset.training = 'idle';
      validate();
    }
  });

  const useButton = () => {
    const button = el('button', { type: 'button', id: 'train-use' }, ['Use these models in the page']);
    button.addEventListener('click', async () => {
      if (!lastResult) return;
      try {
        await app.loadModel('forward', 'trained-forward.onnx', lastResult.forwardOnnx.slice().buffer);
        await app.loadModel('inverse', 'trained-inverse.onnx', lastResult.inverseOnnx.slice().buffer);
        setStatus(trainStatus, 'The trained pair is now the loaded model (see the Model tab).', 'ok');
      } catch (error) {
        setStatus(trainStatus, (error as Error).message, 'error');
      }
    });
    return button;
  };
}

function downloadLink(bytes: Uint8Array, fileName: string, id: string): HTMLAnchorElement {
  const url = URL.createObjectURL(new Blob([bytes.slice().buffer], { type: 'application/octet-stream' }));
  return el('a', { href: url, download: fileName, id, class: 'button' }, [`Download ${fileName} (${formatNumber(bytes.length / 1024, 3)} KiB)`]);
}
