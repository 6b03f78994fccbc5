// Page entry: starts the numerics worker, builds the tabbed panels, and preloads the model pair listed
// in models/index.json (the demo pair, or the files given to `inversa serve --model`).
import { App } from './app.ts';
import { poolSize, TrainingRunner, WorkerPool } from './pool.ts';
import { el, setStatus } from './ui/dom.ts';
import { createDiagnosticsPanel } from './ui/diagnostics-panel.ts';
import { createForwardPanel } from './ui/forward-panel.ts';
import { createInversePanel } from './ui/inverse-panel.ts';
import { createModelPanel } from './ui/model-panel.ts';
import { createTrainingPanel } from './ui/training-panel.ts';

/** models/index.json: which files to preload (URLs relative to the page). */
interface ModelIndex {
  forward: string;
  inverse?: string;
}

const TABS = [
  { id: 'model', label: 'Model', create: createModelPanel },
  { id: 'forward', label: 'Forward', create: createForwardPanel },
  { id: 'inverse', label: 'Inverse', create: createInversePanel },
  { id: 'diagnostics', label: 'Diagnostics', create: createDiagnosticsPanel },
  { id: 'training', label: 'Training', create: createTrainingPanel },
] as const;

function start(): void {
  // A pool of numerics workers sized by the machine's cores, and training in a worker of its own.
  const size = poolSize(navigator.hardwareConcurrency);
  const pool = new WorkerPool(size, (index) => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: `inversa-numerics-${index + 1}` }));
  const trainer = new TrainingRunner(() => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'inversa-training' }));
  const app = new App(pool, trainer);
  document.body.dataset.numericsWorkers = String(size);
  document.body.dataset.trainingWorker = 'separate';
  const root = document.getElementById('app');
  const banner = document.getElementById('model-banner');
  if (!root || !banner) throw new Error('index.html is missing #app or #model-banner');

  const tablist = el('div', { role: 'tablist', 'aria-label': 'Panels', class: 'tabs', id: 'tabs' });
  const panels = el('div', { class: 'panels' });
  const buttons: HTMLButtonElement[] = [];
  const sections: HTMLElement[] = [];
  const select = (index: number, focus = false) => {
    buttons.forEach((button, k) => {
      const active = k === index;
      button.setAttribute('aria-selected', String(active));
      button.tabIndex = active ? 0 : -1;
      sections[k].hidden = !active;
    });
    if (focus) buttons[index].focus();
    history.replaceState(null, '', `#${TABS[index].id}`);
  };
  TABS.forEach((tab, index) => {
    const button = el('button', { type: 'button', role: 'tab', id: `tab-${tab.id}`, 'aria-controls': `panel-${tab.id}` }, [tab.label]);
    // Arrow keys move between tabs (WAI-ARIA tabs pattern); Tab moves into the panel.
    button.addEventListener('click', () => select(index));
    button.addEventListener('keydown', (event) => {
      const last = TABS.length - 1;
      const next = event.key === 'ArrowRight' ? (index === last ? 0 : index + 1)
        : event.key === 'ArrowLeft' ? (index === 0 ? last : index - 1)
          : event.key === 'Home' ? 0 : event.key === 'End' ? last : -1;
      if (next >= 0) {
        event.preventDefault();
        select(next, true);
      }
    });
    const section = el('section', { role: 'tabpanel', id: `panel-${tab.id}`, 'aria-labelledby': `tab-${tab.id}`, class: 'panel', tabindex: 0 });
    tab.create(section, app);
    buttons.push(button);
    sections.push(section);
    tablist.append(button);
    panels.append(section);
  });
  root.append(tablist, panels);
  const initial = TABS.findIndex((tab) => `#${tab.id}` === location.hash);
  select(initial >= 0 ? initial : 1);
  app.showTab = (id) => {
    const index = TABS.findIndex((tab) => tab.id === id);
    if (index >= 0) select(index, true);
  };

  app.onModelsChanged(() => {
    const text = app.forward
      ? `Forward: ${app.forward.name} (${app.forward.inputNames.length} → ${app.forward.outputNames.length})` + (app.forward.cardApplied ? ' with its Model card' : '') +
        (app.inverses.length ? ` · Inverse: ${app.inverses.map((inverse) => inverse.name).join(', ')}` : ' · no inverse model')
      : 'No model loaded';
    setStatus(banner, text, app.forward ? 'ok' : 'warn');
  });
  void preload(app, banner);
}

/** Fetch and load the preloaded model pair. */
async function preload(app: App, banner: HTMLElement): Promise<void> {
  setStatus(banner, 'Loading the demo models …', 'busy');
  try {
    const index = (await (await fetchOk('models/index.json')).json()) as ModelIndex;
    const [forwardBytes, inverseBytes] = await Promise.all([
      fetchOk(index.forward).then((response) => response.arrayBuffer()),
      index.inverse ? fetchOk(index.inverse).then((response) => response.arrayBuffer()) : Promise.resolve(null),
    ]);
    await app.loadModel('forward', fileName(index.forward), forwardBytes);
    if (inverseBytes && index.inverse) await app.loadModel('inverse', fileName(index.inverse), inverseBytes);
    document.body.dataset.ready = 'true';
  } catch (error) {
    setStatus(banner, `Could not preload the models: ${(error as Error).message}. Load an ONNX file in the Model tab.`, 'error');
    document.body.dataset.ready = 'error';
  }
}

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}

function fileName(url: string): string {
  return decodeURIComponent(url.split('/').pop() ?? url);
}

start();
