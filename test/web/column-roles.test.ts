// Column roles for browser training: guessed from comment lines, the loaded model's names or name
// patterns; text/constant columns never used; problems listed before Train is enabled.
import { describe, expect, it } from 'vitest';
import { guessRoles, roleProblems } from '../../web/src/column-roles.ts';
import type { CsvColumnInfo } from '../../web/src/protocol.ts';

const column = (name: string, extra: Partial<CsvColumnInfo> = {}): CsvColumnInfo => ({ header: name, name, unit: '', numeric: true, constant: false, ...extra });
const none = { inputs: [], outputs: [] };

describe('guessRoles', () => {
  const plant = ['h2i_rate', 'pci_rate', 'ngi_rate', 'o2_volfract', 'h2_temp', 'hbtemp', 'wind_rt', 'tgt', 'hmt', 'prod_rt', 'fta'].map((name) => column(name));
  it('uses the "# inputs/# outputs" comment lines first (the plant CSV: 7 inputs, 4 outputs)', () => {
    const guess = guessRoles(plant, { inputs: plant.slice(0, 7).map((c) => c.name), outputs: plant.slice(7).map((c) => c.name) });
    expect(guess.roles.filter((role) => role === 'input')).toHaveLength(7);
    expect(guess.roles.slice(7)).toEqual(['output', 'output', 'output', 'output']);
    expect(guess.basis).toMatch(/comment lines/);
  });
  it('uses the loaded forward model’s names when the file has none', () => {
    const guess = guessRoles(plant, none, { inputNames: plant.slice(0, 7).map((c) => c.name), outputNames: plant.slice(7).map((c) => c.name) });
    expect(guess.roles.slice(7)).toEqual(['output', 'output', 'output', 'output']);
    expect(guess.basis).toMatch(/forward model/);
  });
  it('falls back to name patterns, ignoring index, text and constant columns', () => {
    const info = [column('id'), column('x1'), column('x2'), column('label', { numeric: false }), column('k', { constant: true }), column('y1'), column('y2')];
    expect(guessRoles(info, none).roles).toEqual(['ignore', 'input', 'input', 'ignore', 'ignore', 'output', 'output']);
  });
  it('says when it only went by position', () => {
    expect(guessRoles([column('p'), column('q'), column('r')], none).basis).toMatch(/position only/);
  });
});

describe('roleProblems', () => {
  it('lists what blocks training', () => {
    const info = [column('a'), column('b', { numeric: false }), column('c', { constant: true })];
    expect(roleProblems(info, ['input', 'output', 'ignore'], 50)).toEqual(['"b" holds text: it cannot be an input or output']);
    expect(roleProblems(info, ['input', 'ignore', 'ignore'], 5)).toEqual(['choose at least one output column', '5 data rows: at least 10 are needed to train and validate']);
    expect(roleProblems([column('a'), column('b')], ['input', 'output'], 50)).toEqual([]);
  });
});
