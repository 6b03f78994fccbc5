// Shared page state: the workers, the loaded forward model (with its Model card) and inverse nets,
// and the Forward panel's current inputs (today's operating point, the Inverse panel's default
// reference). Panels subscribe to model changes and rebuild themselves.
import type { Caller } from './client.ts';
import { loadCard, removeCard, saveCard, type SavedCard } from './card-store.ts';
import type { WorkerPool, TrainingRunner } from './pool.ts';
import type { ModelCard, ModelInfo, ModelRole } from './protocol.ts';

export type ModelsListener = (app: App) => void;

export class App {
  forward: ModelInfo | null = null;
  /** Inverse nets in load order; the first is the one method "inverse-net" uses by default. */
  inverses: ModelInfo[] = [];
  /** The forward model's ONNX bytes as loaded (the card is applied on top, never baked in). */
  forwardBytes: ArrayBuffer | null = null;
  /** Content hash of forwardBytes: the key of its saved Model card. */
  fingerprint = '';
  /** The Model card in force (null: the file's own metadata only). */
  card: SavedCard | null = null;
  /** The Forward panel's current inputs (null until it evaluated once for this model). */
  currentInputs: number[] | null = null;
  /** Switch to a panel by id (set by main). */
  showTab: (id: string) => void = () => undefined;
  private readonly inverseBytes = new Map<string, ArrayBuffer>();
  private readonly listeners: ModelsListener[] = [];
  private readonly inputListeners: ((x: number[]) => void)[] = [];
  private readonly evaluatedListeners: ((x: number[]) => void)[] = [];

  constructor(readonly pool: WorkerPool, readonly trainer: TrainingRunner) {}

  /** The numerics workers (requests go to the least busy one). */
  get client(): Caller {
    return this.pool;
  }

  get inverse(): ModelInfo | null {
    return this.inverses[0] ?? null;
  }

  onModelsChanged(listener: ModelsListener): void {
    this.listeners.push(listener);
  }

  /** Called when another panel sends inputs to the Forward panel ("use in Forward"). */
  onUseInputs(listener: (x: number[]) => void): void {
    this.inputListeners.push(listener);
  }

  /** Called after each Forward panel evaluation with its inputs. */
  onInputsEvaluated(listener: (x: number[]) => void): void {
    this.evaluatedListeners.push(listener);
  }

  /** The Forward panel evaluated at x (today's operating point). */
  inputsEvaluated(x: number[]): void {
    this.currentInputs = x.slice();
    for (const listener of this.evaluatedListeners) listener(x);
  }

  /** Put x into the Forward panel and show it. */
  useInputs(x: number[]): void {
    this.currentInputs = x.slice();
    for (const listener of this.inputListeners) listener(x.slice());
    this.showTab('forward');
  }

  private notify(): void {
    for (const listener of this.listeners) listener(this);
  }

  /**
   * Load ONNX bytes into every worker as the forward model (its saved Model card applied, if this
   * browser has one) or as one more inverse net, and notify the panels.
   */
  async loadModel(role: ModelRole, name: string, bytes: ArrayBuffer): Promise<ModelInfo> {
    if (role === 'inverse') {
      const info = await this.pool.broadcast('load', () => { const copy = bytes.slice(0); return { request: { role, name, bytes: copy }, transfer: [copy] }; });
      this.inverseBytes.set(name, bytes);
      this.inverses = [...this.inverses.filter((other) => other.name !== name), info];
      this.notify();
      return info;
    }
    const fingerprint = fingerprintOf(bytes);
    const saved = loadCard(fingerprint);
    let info: ModelInfo;
    let card: SavedCard | null = saved;
    try {
      info = await this.loadForward(name, bytes, saved?.card ?? null);
    } catch (error) {
      if (!saved) throw error;
      // A saved card that no longer applies (e.g. edited storage) must not lock the model out.
      card = null;
      info = await this.loadForward(name, bytes, null);
    }
    this.forwardBytes = bytes;
    this.fingerprint = fingerprint;
    this.card = card;
    this.forward = info;
    // An inverse net belongs to the forward model it was trained with: a new forward model drops them.
    this.inverses = [];
    this.inverseBytes.clear();
    this.currentInputs = null;
    this.notify();
    return info;
  }

  /** Apply a Model card to the loaded forward model in every worker and save it in this browser. */
  async applyCard(card: ModelCard | null): Promise<ModelInfo> {
    if (!this.forward || !this.forwardBytes) throw new Error('no forward model is loaded');
    const info = await this.loadForward(this.forward.name, this.forwardBytes, card);
    // Reloading the forward model unloads the inverse nets in the workers: load them again.
    for (const [name, bytes] of this.inverseBytes) {
      await this.pool.broadcast('load', () => { const copy = bytes.slice(0); return { request: { role: 'inverse', name, bytes: copy }, transfer: [copy] }; });
    }
    if (card) this.card = saveCard(this.fingerprint, this.forward.name, card);
    else {
      removeCard(this.fingerprint);
      this.card = null;
    }
    const sameInputs = info.inputNames.length === this.forward.inputNames.length;
    this.forward = info;
    if (!sameInputs) this.currentInputs = null;
    this.notify();
    return info;
  }

  private loadForward(name: string, bytes: ArrayBuffer, card: ModelCard | null): Promise<ModelInfo> {
    return this.pool.broadcast('load', () => { const copy = bytes.slice(0); return { request: { role: 'forward', name, bytes: copy, card }, transfer: [copy] }; });
  }
}

/** FNV-1a (32 bit) of the bytes and their length, as hex: identifies a model file for its saved card. */
export function fingerprintOf(bytes: ArrayBuffer): string {
  const view = new Uint8Array(bytes);
  let hash = 0x811c9dc5;
  for (let k = 0; k < view.length; k++) {
    hash ^= view[k];
    hash = Math.imul(hash, 0x01000193);
  }
  return `${(hash >>> 0).toString(16).padStart(8, '0')}-${view.length}`;
}

/** True when `inverse` takes the forward model's outputs and returns its inputs (by count). */
export function inverseFits(inverse: ModelInfo, forward: ModelInfo): boolean {
  return inverse.inputNames.length === forward.outputNames.length && inverse.outputNames.length === forward.inputNames.length;
}

/** Default input point: training mean when it lies in the box, else the box centre, else 0. */
export function defaultInputs(model: ModelInfo): number[] {
  return model.inputNames.map((_, i) => {
    const lower = model.bounds?.lower[i] ?? -Infinity;
    const upper = model.bounds?.upper[i] ?? Infinity;
    const mean = model.inputMean?.[i];
    if (mean !== undefined && Number.isFinite(mean) && mean >= lower && mean <= upper) return mean;
    if (Number.isFinite(lower) && Number.isFinite(upper)) return (lower + upper) / 2;
    if (Number.isFinite(lower)) return lower;
    if (Number.isFinite(upper)) return upper;
    return 0;
  });
}

/** The Forward panel's inputs when known for this model, else the defaults. */
export function operatingPoint(app: App, model: ModelInfo): number[] {
  const current = app.currentInputs;
  return current && current.length === model.inputNames.length ? current.slice() : defaultInputs(model);
}

/** Operating range of input i for hints and sliders, when known. */
export function inputRange(model: ModelInfo, i: number): [number, number] | undefined {
  if (!model.bounds) return undefined;
  const range: [number, number] = [model.bounds.lower[i], model.bounds.upper[i]];
  return Number.isFinite(range[0]) && Number.isFinite(range[1]) ? range : undefined;
}

export function unitOf(units: string[], i: number): string | undefined {
  return units[i] ? units[i] : undefined;
}
