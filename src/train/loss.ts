// Mean-squared-error loss and its gradient, as PyTorch's nn.MSELoss (mean over every element).

/** MSE of `predicted` against `target` over the first `count` entries. */
export function meanSquaredError(predicted: Float64Array, target: Float64Array, count: number): number {
  let sum = 0;
  for (let k = 0; k < count; k++) {
    const d = predicted[k] - target[k];
    sum += d * d;
  }
  return sum / count;
}

/**
 * Writes ∂MSE/∂predicted = 2(predicted − target)/count, times `weight`, into `out`; returns the MSE.
 */
export function meanSquaredErrorGradient(predicted: Float64Array, target: Float64Array, count: number, out: Float64Array, weight = 1): number {
  let sum = 0;
  const scale = (2 * weight) / count;
  for (let k = 0; k < count; k++) {
    const d = predicted[k] - target[k];
    sum += d * d;
    out[k] = scale * d;
  }
  return sum / count;
}
