// Adam (Kingma & Ba 2015) over one flat parameter vector, with PyTorch's defaults and update rule
// (torch.optim.Adam, no weight decay unless asked; bias corrections applied to the step size):
//   m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
//   p ← p − lr · (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε)
import { InvalidArgumentError } from '../core/index.ts';

export interface AdamOptions {
  /** Learning rate (PyTorch default 1e-3). */
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** L2 penalty added to the gradient, as PyTorch's Adam weight_decay (default 0). */
  weightDecay?: number;
}

export const ADAM_DEFAULTS = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 } as const;

export class Adam {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  private readonly firstMoment: Float64Array;
  private readonly secondMoment: Float64Array;
  private steps = 0;

  constructor(size: number, options: AdamOptions = {}) {
    const resolved = { ...ADAM_DEFAULTS, ...definedOnly(options) };
    if (!(resolved.learningRate > 0) || !Number.isFinite(resolved.learningRate)) {
      throw new InvalidArgumentError(`learning rate (--lr) must be a positive finite number, got ${resolved.learningRate}`);
    }
    for (const name of ['beta1', 'beta2'] as const) {
      if (!(resolved[name] >= 0 && resolved[name] < 1)) throw new InvalidArgumentError(`Adam ${name} must be in [0, 1), got ${resolved[name]}`);
    }
    if (!(resolved.epsilon > 0)) throw new InvalidArgumentError(`Adam epsilon must be positive, got ${resolved.epsilon}`);
    if (!(resolved.weightDecay >= 0)) throw new InvalidArgumentError(`weight decay must be ≥ 0, got ${resolved.weightDecay}`);
    this.learningRate = resolved.learningRate;
    this.beta1 = resolved.beta1;
    this.beta2 = resolved.beta2;
    this.epsilon = resolved.epsilon;
    this.weightDecay = resolved.weightDecay;
    this.firstMoment = new Float64Array(size);
    this.secondMoment = new Float64Array(size);
  }

  /** Number of steps taken so far. */
  get stepCount(): number {
    return this.steps;
  }

  /** One update of `parameters` in place from `gradients` (same length as the optimizer). */
  step(parameters: Float64Array, gradients: Float64Array): void {
    this.steps++;
    const { beta1, beta2, epsilon, weightDecay } = this;
    const correction1 = 1 - beta1 ** this.steps;
    const correction2Root = Math.sqrt(1 - beta2 ** this.steps);
    const stepSize = this.learningRate / correction1;
    const m = this.firstMoment, v = this.secondMoment;
    const size = m.length;
    const keep1 = 1 - beta1, keep2 = 1 - beta2;
    // Two copies of the loop so the hot one has no branch (weight decay is usually 0).
    if (weightDecay === 0) {
      for (let k = 0; k < size; k++) {
        const gradient = gradients[k];
        const mk = beta1 * m[k] + keep1 * gradient;
        const vk = beta2 * v[k] + keep2 * gradient * gradient;
        m[k] = mk;
        v[k] = vk;
        parameters[k] -= (stepSize * mk) / (Math.sqrt(vk) / correction2Root + epsilon);
      }
    } else {
      for (let k = 0; k < size; k++) {
        const gradient = gradients[k] + weightDecay * parameters[k];
        const mk = beta1 * m[k] + keep1 * gradient;
        const vk = beta2 * v[k] + keep2 * gradient * gradient;
        m[k] = mk;
        v[k] = vk;
        parameters[k] -= (stepSize * mk) / (Math.sqrt(vk) / correction2Root + epsilon);
      }
    }
  }
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
