// Shared page state: the worker client and the currently loaded forward/inverse models. Panels
// subscribe to model changes and rebuild themselves.
import type { WorkerClient } from './client.ts';
import type { ModelInfo, ModelRole } from './protocol.ts';

export type ModelsListener = (app: App) => void;

export class App {
  forward: ModelInfo | null = null;
  inverse: ModelInfo | null = null;
  private readonly listeners: ModelsListener[] = [];

  constructor(readonly client: WorkerClient) {}

  onModelsChanged(listener: ModelsListener): void {
    this.listeners.push(listener);
  }

  /** Load ONNX bytes into the worker as the forward or inverse model and notify the panels. */
  async loadModel(role: ModelRole, name: string, bytes: ArrayBuffer): Promise<ModelInfo> {
    const info = await this.client.call('load', { role, name, bytes }, { transfer: [bytes] });
    if (role === 'forward') {
      this.forward = info;
      // An inverse net belongs to the forward model it was trained with: a new forward model drops it.
      this.inverse = null;
    } else {
      this.inverse = info;
    }
    for (const listener of this.listeners) listener(this);
    return info;
  }
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

/** Operating range of input i for hints and sliders, when known. */
export function inputRange(model: ModelInfo, i: number): [number, number] | undefined {
  if (!model.bounds) return undefined;
  const range: [number, number] = [model.bounds.lower[i], model.bounds.upper[i]];
  return Number.isFinite(range[0]) && Number.isFinite(range[1]) ? range : undefined;
}

export function unitOf(units: string[], i: number): string | undefined {
  return units[i] ? units[i] : undefined;
}
