// Which CSV columns are inputs and which are outputs, guessed before training and checked before
// the Train button is enabled. Evidence in order: "# inputs:/# outputs:" comment lines (as
// `inversa datasets export` writes them), the loaded forward model's names, then name patterns
// (x1/in_/input… vs y1/out_/target…); text and constant columns are never used. Pure functions.
import type { CsvColumnInfo } from './protocol.ts';

export type ColumnRole = 'input' | 'output' | 'ignore';

export interface RoleGuess {
  roles: ColumnRole[];
  /** Where the guess came from, for the page to say. */
  basis: string;
}

const INPUT_PATTERN = /^(x|u|in|input|inputs|feature|param)[\s_.-]*\d*$|^(x|u)\d+$|^(in|input)[\s_.-]|[\s_.-](in|input)$/i;
const OUTPUT_PATTERN = /^(y|out|output|outputs|target|response)[\s_.-]*\d*$|^y\d+$|^(out|output|target)[\s_.-]|[\s_.-](out|output|target)$/i;
const INDEX_PATTERN = /^(id|index|idx|row|time|timestamp|date|datetime|t|step|sample)$/i;

export function guessRoles(info: CsvColumnInfo[], stated: { inputs: string[]; outputs: string[] }, model?: { inputNames: readonly string[]; outputNames: readonly string[] } | null): RoleGuess {
  const usable = (column: CsvColumnInfo) => column.numeric && !column.constant;
  const byNames = (inputs: readonly string[], outputs: readonly string[]) =>
    info.map((column): ColumnRole => (!usable(column) ? 'ignore' : inputs.includes(column.name) ? 'input' : outputs.includes(column.name) ? 'output' : 'ignore'));
  const complete = (roles: ColumnRole[]) => roles.includes('input') && roles.includes('output');

  if (stated.inputs.length && stated.outputs.length) {
    const roles = byNames(stated.inputs, stated.outputs);
    if (complete(roles)) return { roles, basis: 'the file’s “# inputs:” and “# outputs:” comment lines' };
  }
  if (model) {
    const names = new Set(info.map((column) => column.name));
    if ([...model.inputNames, ...model.outputNames].every((name) => names.has(name))) {
      return { roles: byNames(model.inputNames, model.outputNames), basis: 'the names of the loaded forward model' };
    }
  }
  const patterned = info.map((column): ColumnRole => (!usable(column) || INDEX_PATTERN.test(column.name) ? 'ignore'
    : OUTPUT_PATTERN.test(column.name) ? 'output' : INPUT_PATTERN.test(column.name) ? 'input' : 'ignore'));
  if (complete(patterned)) {
    // Columns the patterns did not place default to inputs.
    const roles = patterned.map((role, k) => (role === 'ignore' && usable(info[k]) && !INDEX_PATTERN.test(info[k].name) && !OUTPUT_PATTERN.test(info[k].name) ? 'input' : role));
    return { roles, basis: 'column names (x…/in… as inputs, y…/out…/target… as outputs)' };
  }
  // Nothing to go on: every usable column but the last is an input, the last is the output.
  const candidates = info.flatMap((column, k) => (usable(column) && !INDEX_PATTERN.test(column.name) ? [k] : []));
  const last = candidates[candidates.length - 1];
  const roles = info.map((_, k): ColumnRole => (!candidates.includes(k) ? 'ignore' : k === last ? 'output' : 'input'));
  return { roles, basis: 'position only (no names matched: every column but the last is an input) — check the roles' };
}

/** What stops training with these roles (empty when it can start); one line each. */
export function roleProblems(info: CsvColumnInfo[], roles: ColumnRole[], rows: number): string[] {
  const problems: string[] = [];
  const inputs = info.filter((_, k) => roles[k] === 'input');
  const outputs = info.filter((_, k) => roles[k] === 'output');
  if (!inputs.length) problems.push('choose at least one input column');
  if (!outputs.length) problems.push('choose at least one output column');
  for (const column of [...inputs, ...outputs]) {
    if (!column.numeric) problems.push(`"${column.header}" holds text: it cannot be an input or output`);
    else if (column.constant) problems.push(`"${column.header}" has the same value in every row: it carries no information`);
  }
  const names = [...inputs, ...outputs].map((column) => column.name);
  const duplicate = names.find((name, k) => names.indexOf(name) !== k);
  if (duplicate) problems.push(`two chosen columns are both named "${duplicate}"`);
  const needed = 10;
  if (rows < needed) problems.push(`${rows} data rows: at least ${needed} are needed to train and validate`);
  return problems;
}
