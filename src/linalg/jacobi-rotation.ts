// The Jacobi rotation and constants shared by the one-sided Jacobi SVD (svd.ts) and its unrolled
// 4-column path (svd-unrolled.generated.ts): one stopping rule, one rotation formula for both.
import { EPSILON } from './tolerance.ts';

/**
 * The one set of one-sided Jacobi constants, used by every SVD in inversa (linalg's general and
 * unrolled 4-column path): at most JACOBI_MAX_SWEEPS sweeps (convergence is quadratic and
 * takes 5–10 in practice), and a pair of vectors of length L counts as orthogonal when
 * |⟨x, y⟩| ≤ √L·ε·‖x‖·‖y‖ (relative: the rounding error of an inner product of length L).
 */
export const JACOBI_MAX_SWEEPS = 60;

/** (√L·ε)² of the orthogonality test for vectors of length L (see JACOBI_MAX_SWEEPS). */
export function jacobiToleranceSquared(length: number): number {
  return length * EPSILON * EPSILON;
}

/** |ζ| beyond this: the rotation is tiny, t = 1/(2ζ) and cos θ = 1 are exact to rounding (1/(4ζ²) < ε/4). */
const SMALL_ANGLE_ZETA = 1 / Math.sqrt(EPSILON);

/** An updated ‖w‖² below this share of the pair's larger one is recomputed (α − t·γ lost too many digits). */
export const NORM_RECOMPUTE_SHARE = 1e-3;

/** The Jacobi rotation of one pair, written to `rotation` (no allocation in the sweep). */
export const rotation = { cosine: 1, sine: 0, tangent: 0 };

/**
 * Rotation annihilating ⟨x, y⟩ for ζ = (‖y‖² − ‖x‖²)/(2⟨x, y⟩): t = sign(ζ)/(|ζ| + r), r = √(1 + ζ²),
 * with cos θ and sin θ taken from 1 + t² = 2r/u (u = |ζ| + r) as cos θ = u/√(2ru), sin θ =
 * sign(ζ)/√(2ru): same values as the textbook form, one division less on the dependency chain.
 */
export function setRotation(zeta: number): void {
  const absZeta = zeta < 0 ? -zeta : zeta;
  if (absZeta > SMALL_ANGLE_ZETA) {
    rotation.tangent = 0.5 / zeta;
    rotation.cosine = 1;
    rotation.sine = rotation.tangent;
    return;
  }
  const root = Math.sqrt(1 + zeta * zeta), sum = absZeta + root;
  const magnitude = 1 / Math.sqrt(2 * root * sum);
  rotation.cosine = sum * magnitude;
  rotation.sine = zeta >= 0 ? magnitude : -magnitude;
  rotation.tangent = (zeta >= 0 ? 1 : -1) / sum;
}
