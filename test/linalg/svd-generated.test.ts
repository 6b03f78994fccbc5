// The unrolled 4-column Jacobi sweep (src/linalg/svd-unrolled.generated.ts) is generated from one
// template (scripts/generate-jacobi-pairs.ts): the file must hold exactly what the template gives, so
// a hand edit of one pair block (or of the template without regenerating) fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_FILE, generatedPairBlocks, generatedSource, PAIR_ORDER } from '../../scripts/generate-jacobi-pairs.ts';

describe('generated 4-column Jacobi sweep', () => {
  it('src/linalg/svd-unrolled.generated.ts is the template output (regenerate with npx tsx scripts/generate-jacobi-pairs.ts)', () => {
    const source = readFileSync(GENERATED_FILE, 'utf8');
    expect(source).toContain(generatedPairBlocks());
    expect(source).toBe(generatedSource());
  });

  it('the template visits all six pairs of four columns once, disjoint pairs back to back', () => {
    const keys = PAIR_ORDER.map(([x, y]) => `${x}${y}`);
    expect(new Set(keys)).toEqual(new Set(['ab', 'ac', 'ad', 'bc', 'bd', 'cd']));
    for (let index = 0; index < PAIR_ORDER.length; index += 2) {
      const [first, second] = [PAIR_ORDER[index], PAIR_ORDER[index + 1]];
      expect(first.filter((column) => second.includes(column))).toEqual([]);
    }
  });
});
