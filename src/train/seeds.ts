// One user seed (--seed, default 42 like the reference project) fans out into independent streams
// for each random choice, so that, e.g., turning dropout on does not change the data split.
export const DEFAULT_SEED = 42;

export type SeedPurpose = 'split' | 'forward-init' | 'forward-shuffle' | 'forward-dropout' | 'inverse-init' | 'inverse-shuffle' | 'inverse-dropout';

const OFFSETS: Record<SeedPurpose, number> = {
  split: 0,
  'forward-init': 1_000_003,
  'forward-shuffle': 2_000_029,
  'forward-dropout': 3_000_017,
  'inverse-init': 4_000_037,
  'inverse-shuffle': 5_000_011,
  'inverse-dropout': 6_000_023,
};

/** The seed of one random stream derived from the user's seed. */
export function derivedSeed(seed: number, purpose: SeedPurpose): number {
  return (Math.trunc(seed) + OFFSETS[purpose]) >>> 0;
}
