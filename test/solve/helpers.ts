// Shared closed-form answers for the solver tests.
import { Matrix as ReferenceMatrix, pseudoInverse } from 'ml-matrix';

/** x = A⁺y by ml-matrix (the reference implementation, not ours). */
export function referencePseudoInverseSolution(a: number[][], y: number[]): number[] {
  return pseudoInverse(new ReferenceMatrix(a)).mmul(ReferenceMatrix.columnVector(y)).to1DArray();
}

/** Both closed-form inverse-kinematics branches of a 2-link planar arm reaching (px, py). */
export function twoLinkBranches(l1: number, l2: number, px: number, py: number): [number, number][] {
  const c2 = (px * px + py * py - l1 * l1 - l2 * l2) / (2 * l1 * l2);
  const out: [number, number][] = [];
  for (const sign of [1, -1]) {
    const t2 = sign * Math.acos(c2);
    const t1 = Math.atan2(py, px) - Math.atan2(l2 * Math.sin(t2), l1 + l2 * Math.cos(t2));
    out.push([t1, t2]);
  }
  return out;
}

/** Angle difference wrapped into (−π, π]. */
export function angleDifference(a: number, b: number): number {
  let d = (a - b) % (2 * Math.PI);
  if (d > Math.PI) d -= 2 * Math.PI;
  if (d <= -Math.PI) d += 2 * Math.PI;
  return d;
}

/** Distance (in wrapped angles) from x to the nearest closed-form branch. */
export function distanceToBranch(x: ArrayLike<number>, branches: [number, number][]): number {
  return Math.min(...branches.map(([a, b]) => Math.hypot(angleDifference(x[0], a), angleDifference(x[1], b))));
}
