// Training panel (small data): upload a CSV (or take a sample of the built-in plant data), pick input
// and output columns, train a forward net and an inverse net with the consistency weight alpha, watch
// the loss curves, download both as ONNX, and optionally load them into the page.
import type { App } from '../app.ts';
import { formatNumber } from '../parse.ts';
import type { TrainProgress, TrainResponse } from '../protocol.ts';
import { lossChart } from './charts.ts';
import { clear, el, setStatus, statusLine, svgBlock } from './dom.ts';
import { createNumberField } from './number-field.ts';

const DEFAULT_ALPHA = 0.1;
const DEFAULT_EPOCHS = 150;
const DEFAULT_HIDDEN = 32;
const SAMPLE_ROWS = 600;
/** Redraw the loss chart at most this often while training (ms). */
const CHART_REFRESH_MS = 250;

export function createTrainingPanel(container: HTMLElement, app: App): void {
  let csvText = '';
  let lastResult: TrainResponse | null = null;
  const fileInput = el('input', { id: 'train-file', type: 'file', accept: '.csv,text/csv' });
  const sampleButton = el('button', { type: 'button', id: 'train-sample' }, [`Use ${SAMPLE_ROWS} rows of the built-in plant data`]);
  const dataStatus = statusLine('train-data-status');
  const columns = el('div', { id: 'train-columns', class: 'two-column' });
  const alphaSlider = el('input', { id: 'train-alpha', type: 'range', min: 0, max: 1, step: 0.05, value: DEFAULT_ALPHA, 'aria-describedby': 'train-alpha-value' });
  const alphaValue = el('output', { id: 'train-alpha-value', for: 'train-alpha' }, [String(DEFAULT_ALPHA)]);
  alphaSlider.addEventListener('input', () => (alphaValue.textContent = alphaSlider.value));
  const epochs = createNumberField({ id: 'train-epochs', label: 'Epochs', value: DEFAULT_EPOCHS, rules: { integer: true, min: 1, max: 5000 } });
  const hidden = createNumberField({ id: 'train-hidden', label: 'Hidden width', value: DEFAULT_HIDDEN, rules: { integer: true, min: 2, max: 256 } });
  const seed = createNumberField({ id: 'train-seed', label: 'Seed', value: 42, rules: { integer: true, min: 0 } });
  const trainButton = el('button', { type: 'button', id: 'train-run', class: 'primary', disabled: true }, ['Train forward and inverse']);
  const trainStatus = statusLine('train-status');
  const charts = el('div', { id: 'train-charts', class: 'two-column' });
  const downloads = el('div', { id: 'train-downloads', class: 'controls-row' });

  container.append(
    el('h2', {}, ['Training (small data)']),
    el('p', { class: 'lead' }, [
      'Train a forward net F: x → y and an inverse net I: y → x with loss (1 − α)·MSE(I(y), x) + α·MSE(F(I(y)), y), F frozen. ',
      'α > 0 asks the inverse to give inputs that re-simulate to y, which matters because the inverse is rarely unique.',
    ]),
    el('section', { class: 'card', 'aria-labelledby': 'train-data-title' }, [
      el('h3', { id: 'train-data-title' }, ['Data']),
      el('div', { class: 'controls-row' }, [
        el('div', { class: 'field' }, [el('label', { for: 'train-file', class: 'field-label' }, ['CSV file (header row, numeric columns)']), fileInput]),
        sampleButton,
      ]),
      dataStatus,
      columns,
    ]),
    el('section', { class: 'card', 'aria-labelledby': 'train-settings-title' }, [
      el('h3', { id: 'train-settings-title' }, ['Settings']),
      el('div', { class: 'controls-row' }, [
        el('div', { class: 'field' }, [el('label', { for: 'train-alpha', class: 'field-label' }, ['Consistency weight α']), el('div', { class: 'field-row' }, [alphaSlider, alphaValue])]),
        epochs.root,
        hidden.root,
        seed.root,
        trainButton,
      ]),
      trainStatus,
      charts,
      downloads,
    ]),
  );

  const checkboxes = (role: 'input' | 'output', names: string[], checked: (name: string, k: number) => boolean) =>
    el('fieldset', { id: `train-${role}-columns` }, [
      el('legend', {}, [role === 'input' ? 'Input columns x' : 'Output columns y']),
      ...names.map((name, k) => {
        const id = `train-${role}-col-${k}`;
        return el('div', { class: 'check' }, [el('input', { type: 'checkbox', id, value: name, checked: checked(name, k) }), el('label', { for: id }, [name])]);
      }),
    ]);
  const selected = (role: 'input' | 'output') =>
    [...columns.querySelectorAll<HTMLInputElement>(`#train-${role}-columns input:checked`)].map((box) => box.value);

  const useData = async (text: string, source: string, suggested?: { inputs: string[]; outputs: string[] }) => {
    try {
      const header = await app.client.call('csvHeader', { csvText: text });
      csvText = text;
      clear(columns);
      // Without a suggestion: every column but the last is an input, the last is the output.
      const isInput = (name: string, k: number) => (suggested ? suggested.inputs.includes(name) : k < header.columns.length - 1);
      const isOutput = (name: string, k: number) => (suggested ? suggested.outputs.includes(name) : k === header.columns.length - 1);
      columns.append(checkboxes('input', header.columns, isInput), checkboxes('output', header.columns, isOutput));
      trainButton.disabled = false;
      setStatus(dataStatus, `${source}: ${header.rows} rows, ${header.columns.length} columns.`, 'ok');
    } catch (error) {
      setStatus(dataStatus, `Could not read ${source}: ${(error as Error).message}`, 'error');
    }
  };
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files?.[0];
    if (file) await useData(await file.text(), file.name);
  });
  sampleButton.addEventListener('click', async () => {
    const sample = await app.client.call('sampleCsv', { rows: SAMPLE_ROWS, seed: 42 });
    await useData(sample.csvText, 'built-in plant sample', { inputs: sample.inputColumns, outputs: sample.outputColumns });
  });

  trainButton.addEventListener('click', async () => {
    const inputColumns = selected('input'), outputColumns = selected('output');
    if (!inputColumns.length || !outputColumns.length) return setStatus(trainStatus, 'Pick at least one input and one output column.', 'error');
    const overlap = inputColumns.filter((name) => outputColumns.includes(name));
    if (overlap.length) return setStatus(trainStatus, `A column cannot be both input and output: ${overlap.join(', ')}.`, 'error');
    const epochCount = epochs.read(), width = hidden.read(), seedValue = seed.read();
    if (epochCount === null || width === null || seedValue === null) return setStatus(trainStatus, 'Fix the highlighted fields first.', 'error');
    trainButton.disabled = true;
    clear(downloads);
    const curves: Record<'forward' | 'inverse', { train: number[]; validation: number[] }> = {
      forward: { train: [], validation: [] },
      inverse: { train: [], validation: [] },
    };
    let lastDraw = 0;
    const draw = () => {
      clear(charts);
      for (const stage of ['forward', 'inverse'] as const) {
        if (curves[stage].train.length > 1) charts.append(svgBlock(lossChart(curves[stage], `${stage} net loss`), `${stage} net loss per epoch`, `train-chart-${stage}`));
      }
    };
    const onProgress = (progress: TrainProgress) => {
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
      const result = await app.client.call('train', { csvText, inputColumns, outputColumns, alpha: Number(alphaSlider.value), epochs: epochCount, hidden: width, seed: seedValue }, { onProgress });
      lastResult = result;
      curves.forward = result.forwardLoss;
      curves.inverse = result.inverseLoss;
      draw();
      downloads.append(
        downloadLink(result.forwardOnnx, 'forward.onnx', 'train-download-forward'),
        downloadLink(result.inverseOnnx, 'inverse.onnx', 'train-download-inverse'),
        useButton(),
      );
      setStatus(trainStatus, `Done. ${result.summary}`, 'ok');
    } catch (error) {
      setStatus(trainStatus, (error as Error).message, 'error');
    } finally {
      trainButton.disabled = false;
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
