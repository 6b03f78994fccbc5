// `npx tsx scripts/generate-jacobi-pairs.ts`: writes the six pair blocks of the unrolled 4-column
// one-sided Jacobi sweep (src/linalg/svd.ts, fourColumnJacobiValues) from ONE template, between the
// markers `// BEGIN GENERATED PAIRS` and `// END GENERATED PAIRS`. The columns live in 16 local
// variables (a0..d3), which is what makes that path fast, so the blocks cannot be a loop over a pair
// table; they are generated instead, and test/linalg/svd-generated.test.ts fails when the file and
// this template disagree. Edit the template here, never the generated lines.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The round-robin pair order: consecutive rotations touch disjoint columns and overlap in the CPU. */
export const PAIR_ORDER: readonly (readonly [string, string])[] = [['a', 'b'], ['c', 'd'], ['a', 'c'], ['b', 'd'], ['a', 'd'], ['b', 'c']];
export const BEGIN_MARKER = '    // BEGIN GENERATED PAIRS (scripts/generate-jacobi-pairs.ts; do not edit by hand)';
export const END_MARKER = '    // END GENERATED PAIRS';

const ROWS = [0, 1, 2, 3];

/** One pair block: test ⟨x, y⟩ against the relative tolerance, rotate, update the two squared norms. */
function pairBlock(x: string, y: string): string {
  const dot = (u: string, v: string): string => ROWS.map((i) => `${u}${i} * ${v}${i}`).join(' + ');
  const rotate = ROWS.map((i) => [
    `        ${i === 0 ? 'let ' : ''}x = ${x}${i};`,
    `        ${x}${i} = cosine * x - sine * ${y}${i};`,
    `        ${y}${i} = sine * x + cosine * ${y}${i};`,
  ].join('\n')).join('\n');
  return [
    `    // pair (${x}, ${y})`,
    `    if (${x}Norm !== 0 && ${y}Norm !== 0) {`,
    `      const gamma = ${dot(x, y)};`,
    `      if (gamma * gamma > toleranceSquared * ${x}Norm * ${y}Norm) {`,
    `        rotated = true;`,
    `        setRotation((${y}Norm - ${x}Norm) / (2 * gamma));`,
    `        const cosine = rotation.cosine, sine = rotation.sine, tangent = rotation.tangent;`,
    rotate,
    `        const cancellationLimit = NORM_RECOMPUTE_SHARE * (${x}Norm > ${y}Norm ? ${x}Norm : ${y}Norm);`,
    `        ${x}Norm -= tangent * gamma;`,
    `        ${y}Norm += tangent * gamma;`,
    `        if (${x}Norm < cancellationLimit) ${x}Norm = ${dot(x, x)};`,
    `        if (${y}Norm < cancellationLimit) ${y}Norm = ${dot(y, y)};`,
    `      }`,
    `    }`,
  ].join('\n');
}

/** The generated lines, markers included. */
export function generatedPairBlocks(): string {
  return [BEGIN_MARKER, ...PAIR_ORDER.map(([x, y]) => pairBlock(x, y)), END_MARKER].join('\n');
}

/** `source` with the region between the markers replaced by the generated lines. */
export function withGeneratedPairs(source: string): string {
  const begin = source.indexOf(BEGIN_MARKER), end = source.indexOf(END_MARKER);
  if (begin < 0 || end < begin) throw new Error('svd.ts: generated-pairs markers not found');
  return source.slice(0, begin) + generatedPairBlocks() + source.slice(end + END_MARKER.length);
}

export const SVD_SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'linalg', 'svd.ts');

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(SVD_SOURCE, withGeneratedPairs(readFileSync(SVD_SOURCE, 'utf8')));
  process.stdout.write(`wrote the generated pair blocks into ${SVD_SOURCE}\n`);
}
