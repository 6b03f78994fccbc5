// Inverse results as files to take away: CSV (one row per distinct solution, ranked, full float64
// precision, "name [unit]" headers) and JSON (the question, the criterion and every solution).
import type { ModelInfo, SolutionView, SolveRequest, SolveResponse } from './protocol.ts';

/** A CSV cell: quoted when it holds a delimiter, quote or line break. */
export function csvCell(text: string): string {
  return /[",;\t\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const withUnit = (name: string, unit: string) => (unit ? `${name} [${unit}]` : name);
const rangeText = (value: boolean | null) => (value === null ? 'unknown' : String(value));

/** Target band per output: a point target is the band [value, value]. */
export function targetBands(request: SolveRequest): { low: number[]; high: number[] } {
  return {
    low: request.targets.map((target) => (target.mode === 'point' ? target.value : target.low)),
    high: request.targets.map((target) => (target.mode === 'point' ? target.value : target.high)),
  };
}

export function solutionsCsv(model: ModelInfo, request: SolveRequest, response: SolveResponse): string {
  const { low, high } = targetBands(request);
  const header = [
    'rank',
    ...model.inputNames.map((name, j) => `x:${withUnit(name, model.inputUnits[j])}`),
    ...model.outputNames.map((name, i) => `f(x):${withUnit(name, model.outputUnits[i])}`),
    ...model.outputNames.map((name) => `target_low:${name}`),
    ...model.outputNames.map((name) => `target_high:${name}`),
    ...model.outputNames.map((name) => `residual:${name}`),
    ...model.outputNames.map((name) => `tolerance:${name}`),
    'all_within_tolerance', 'residual_norm', `criterion: ${response.criterion}`, 'status', 'in_training_range',
  ];
  const row = (solution: SolutionView, rank: number) => [
    String(rank),
    ...solution.x.map(String), ...solution.y.map(String), ...low.map(String), ...high.map(String),
    ...solution.residual.map(String), ...solution.tolerance.map(String),
    String(solution.withinTolerance.every(Boolean)), String(solution.residualNorm), String(solution.criterionValue), solution.status, rangeText(solution.inTrainingRange),
  ];
  const lines = [header, ...response.solutions.map((solution, k) => row(solution, k + 1))];
  return `${lines.map((cells) => cells.map(csvCell).join(',')).join('\n')}\n`;
}

export function solutionsJson(model: ModelInfo, request: SolveRequest, response: SolveResponse): string {
  const named = (names: string[], values: number[]) => Object.fromEntries(names.map((name, k) => [name, values[k]]));
  return `${JSON.stringify({
    model: model.name,
    inputs: model.inputNames.map((name, j) => ({ name, unit: model.inputUnits[j] || null })),
    outputs: model.outputNames.map((name, i) => ({ name, unit: model.outputUnits[i] || null })),
    question: { targets: request.targets, weights: request.weights, bounds: request.bounds, method: request.method, starts: request.starts, seed: request.seed, objective: request.objective },
    criterion: response.criterion,
    startsRun: response.startsRun,
    warnings: response.warnings,
    solutions: response.solutions.map((solution, k) => ({
      rank: k + 1,
      x: named(model.inputNames, solution.x),
      fx: named(model.outputNames, solution.y),
      residual: named(model.outputNames, solution.residual),
      tolerance: named(model.outputNames, solution.tolerance),
      allWithinTolerance: solution.withinTolerance.every(Boolean),
      residualNorm: solution.residualNorm,
      criterionValue: solution.criterionValue,
      status: solution.status,
      inTrainingRange: solution.inTrainingRange,
      rank_of_jacobian: solution.rank,
      condStandardized: solution.condStandardized,
      condRaw: solution.condRaw,
      activeBounds: solution.activeBounds.map((j) => model.inputNames[j]),
    })),
  }, null, 2)}\n`;
}
