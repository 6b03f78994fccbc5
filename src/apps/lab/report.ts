// Presentation of lab results: for each lab a short text table (terminal) and one self-contained
// HTML page with its plots (inline SVG, no scripts, no CDN). Pure functions of the result objects;
// the numbers themselves come from the lab modules.
import { Matrix } from '../../linalg/index.ts';
import { barChart, heatmapChart, lineChart, escapeHtml, htmlFacts, htmlFigure, htmlPage, htmlParagraph, type HtmlSection, htmlStatus, htmlTable, type TableCell, textTable } from '../../report/index.ts';
import type { DoubleDescentResult } from './double-descent.ts';
import type { GdInverseResult } from './gd-inverse.ts';
import type { IntegrateResult } from './integrate.ts';
import type { LowRankResult } from './lowrank.ts';
import type { RegressionResult } from './regression.ts';
import type { SindyResult } from './sindy.ts';
import type { StabilityResult } from './stability.ts';

export type LabResult = RegressionResult | LowRankResult | DoubleDescentResult | SindyResult | IntegrateResult | StabilityResult | GdInverseResult;

export interface LabTable {
  headers: string[];
  rows: TableCell[][];
}

/** Width of a chart drawn two to a row. */
const HALF_WIDTH = 460;

/** Figures side by side (wrapping on narrow screens): each in a fixed-width box. */
function sideBySide(figures: string[]): string {
  return `<div class="charts">${figures.map((figure) => `<div style="width:${HALF_WIDTH}px;max-width:100%">${figure}</div>`).join('')}</div>`;
}

/** Largest image side drawn as a heatmap (bigger matrices are subsampled for the page only). */
const HEATMAP_MAX_SIDE = 48;

/** The lab's summary table (also used in the HTML page). */
export function labTable(result: LabResult): LabTable {
  switch (result.lab) {
    case 'regression': {
      const { tall, wide } = result;
      return {
        headers: ['case', 'n', 'p', 'kind', 'rank', '‖r‖', '‖θ‖', 'other exact ‖θ‖', '|θ−pinv·y|/|θ|'],
        rows: [
          ['tall', tall.samples, tall.features, tall.kind, tall.rank, tall.residualNorm, tall.thetaNorm, '—', tall.pinvAgreement],
          ['wide', wide.samples, wide.features, wide.kind, wide.rank, wide.residualNorm, wide.thetaNorm, `${formatShort(wide.squareSolveNorm)} / ${formatShort(wide.nullShiftedNorm)}`, wide.pinvAgreement],
        ],
      };
    }
    case 'lowrank': {
      const shown = lowRankRowsToShow(result);
      return {
        headers: ['rank r', '‖A−A_r‖_F', 'sqrt(Σ_{k>r} σ_k²)', 'relative error', '|difference|/‖A‖_F'],
        rows: shown.map((row) => [row.rank, row.measuredError, row.tailError, row.relativeError, row.discrepancy]),
      };
    }
    case 'double-descent': {
      const n = result.samples;
      const wanted = new Set([1, Math.round(n / 4), Math.round(n / 2), Math.round(0.8 * n), n - 1, n, n + 1, Math.round(1.25 * n), 2 * n, result.rows[result.rows.length - 1].features]);
      return {
        headers: ['p', 'p/n', 'median test MSE', 'mean test MSE', 'mean train MSE', 'mean ‖θ‖'],
        rows: result.rows.filter((row) => wanted.has(row.features)).map((row) => [row.features, row.ratio, row.medianTestError, row.meanTestError, row.meanTrainError, row.meanThetaNorm]),
      };
    }
    case 'sindy':
      return {
        headers: ['equation', 'term', 'identified', 'true', 'relative error', 'kind'],
        rows: result.checks.map((check) => [`d${check.variable}/dt`, check.term, check.identified, check.truth, Number.isNaN(check.relativeError) ? '—' : check.relativeError, check.kind]),
      };
    case 'integrate':
      return {
        headers: ['Δt', 'steps', 'Euler error', 'RK4 error'],
        rows: [...result.rows.map((row): TableCell[] => [row.dt, row.steps, row.eulerError, row.rk4Error]), ['slope', '', result.eulerSlope, result.rk4Slope]],
      };
    case 'stability':
      return {
        headers: ['step', 'eigenvalues of emulator J', 'eigenvalues of exact DΦ', 'σ_max emulator', 'σ_max exact'],
        rows: result.points.map((point) => [
          point.step, eigenText(point.emulatorEigenvalues), eigenText(point.exactEigenvalues), point.emulatorSingularValues[0], point.exactSingularValues[0],
        ]),
      };
    case 'gd-inverse': {
      const n = result.matrix.rows;
      const rows: TableCell[][] = [];
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        const exact = result.exactInverse.get(i, j), found = result.gradientInverse.get(i, j);
        if (i === j || Math.abs(exact) > 0) rows.push([`X[${i + 1},${j + 1}]`, found, exact, found - exact]);
      }
      for (const run of [...result.arm.reachable.runs.map((r) => ['reachable', r] as const), ...result.arm.unreachable.runs.map((r) => ['unreachable', r] as const)]) {
        rows.push([`IK ${run[0]} λ=${run[1].damping}`, run[1].finalError, run[0] === 'reachable' ? 0 : result.arm.unreachable.distance - result.arm.reach, run[1].largestStep]);
      }
      return { headers: ['quantity', 'found', 'exact / best', 'difference or largest step'], rows };
    }
  }
}

/** The table as aligned text plus the lab's one-paragraph message. */
export function labText(result: LabResult): string {
  const table = labTable(result);
  return `${textTable(table.headers, table.rows)}\n\n${result.message}\n`;
}

const TITLES: Record<LabResult['lab'], string> = {
  regression: 'Regression lab: least squares and minimum norm through the pseudo-inverse',
  lowrank: 'Low-rank lab: truncated SVD and the Eckart–Young error',
  'double-descent': 'Double-descent lab: random cos features, minimum-norm fit',
  sindy: 'SINDy lab: sparse identification of Lorenz-63',
  integrate: 'Integration lab: Euler vs RK4 convergence',
  stability: 'Stability lab: Jacobian of an autoregressive Lorenz emulator',
  'gd-inverse': 'Gradient-descent inverse and damped pseudo-inverse IK',
};

/** The complete HTML page of a lab result. */
export function labHtml(result: LabResult): string {
  const table = labTable(result);
  const ok = result.status === 'ok' || result.status === 'identified' || result.status === 'peak-at-threshold';
  const summary: HtmlSection = {
    heading: 'Result',
    html: `<p>${htmlStatus(ok ? 'ok' : 'warn', result.status)}</p>${htmlParagraph(result.message)}${htmlTable(table.headers, table.rows)}`,
  };
  return htmlPage({ title: TITLES[result.lab], subtitle: 'inversa lab — the course notes\' methods on inversa\'s own linear-algebra core', sections: [summary, ...labSections(result)], footer: 'Generated by inversa lab. Self-contained: no scripts, no external resources.' });
}

function labSections(result: LabResult): HtmlSection[] {
  switch (result.lab) {
    case 'regression': {
      const { curves, tall, wide } = result;
      return [
        { heading: `Tall case (n = ${tall.samples} ≫ p = ${tall.features}): least squares`, html: htmlFigure(lineChart({ title: 'Least-squares fit', xLabel: 'x', yLabel: 'y', series: [
          { name: 'truth', x: curves.x, y: curves.truth, dashed: true }, { name: 'A⁺y fit', x: curves.x, y: curves.tallFit }, { name: 'data', x: tall.x, y: tall.y },
        ] }), `${result.truth}; residual is orthogonal to the columns of A (‖Aᵀr‖ relative ${tall.orthogonality.toExponential(1)}).`) },
        { heading: `Wide case (p = ${wide.features} ≫ n = ${wide.samples}): minimum norm`, html: htmlFigure(lineChart({ title: 'Two exact interpolants', xLabel: 'x', yLabel: 'y', series: [
          { name: 'truth', x: curves.x, y: curves.truth, dashed: true }, { name: `min-norm A⁺y (‖θ‖ ${formatShort(wide.thetaNorm)})`, x: curves.x, y: curves.wideMinimumNorm },
          { name: `square solve (‖θ‖ ${formatShort(wide.squareSolveNorm)})`, x: curves.x, y: curves.wideSquareSolve },
        ] }), 'Both pass through every data point; the pseudo-inverse picks the θ of smallest norm.') +
          htmlFigure(barChart({ title: 'Norm of exact solutions', yLabel: '‖θ‖₂', bars: [
            { label: 'A⁺y', value: wide.thetaNorm }, { label: 'square solve', value: wide.squareSolveNorm }, { label: 'A⁺y + null vector', value: wide.nullShiftedNorm },
          ] })) },
      ];
    }
    case 'lowrank': {
      const ranks = result.table.map((row) => row.rank);
      const positiveTail = result.table.map((row) => row.tailError);
      return [
        { heading: 'Singular values and error vs rank', html: sideBySide([htmlFigure(lineChart({ title: 'Singular values', xLabel: 'k', yLabel: 'σ_k', logY: true, width: HALF_WIDTH, height: 340, series: [
          { name: 'σ_k', x: result.singularValues.map((_, k) => k + 1), y: result.singularValues },
        ] })), htmlFigure(lineChart({ title: 'Frobenius error of A_r', xLabel: 'rank r', yLabel: '‖A − A_r‖_F', logY: true, width: HALF_WIDTH, height: 340, series: [
          { name: 'measured', x: ranks, y: result.table.map((row) => row.measuredError) }, { name: 'sqrt(Σ_{k>r} σ_k²)', x: ranks, y: positiveTail, dashed: true },
        ] }))]) + htmlFacts([['requested relative error', result.requestedRelativeError], ['chosen rank', result.chosenRank], ['its relative error', result.chosenRelativeError], ['storage of the factors', `${(100 * result.compressionRatio).toFixed(1)}% of m·n`]]) },
        { heading: `Original and rank-${result.shownRank} approximation`, html: sideBySide([htmlFigure(imageHeatmap(result.original, 'original')), htmlFigure(imageHeatmap(result.approximation, `rank ${result.shownRank}`))]) },
      ];
    }
    case 'double-descent': {
      const ratio = result.rows.map((row) => row.ratio);
      const example = result.example;
      return [
        { heading: 'Test error vs p/n', html: htmlFigure(lineChart({ title: `Test MSE over ${result.trials} trials (n = ${result.samples})`, xLabel: 'p / n', yLabel: 'test MSE', logY: true, series: [
          { name: 'median test', x: ratio, y: result.rows.map((row) => row.medianTestError) }, { name: 'mean test', x: ratio, y: result.rows.map((row) => row.meanTestError), dashed: true },
        ] }), 'The interpolation threshold is p/n = 1: the square feature matrix is nearly singular and noise is amplified without bound.') +
          htmlFigure(lineChart({ title: 'Norm of the minimum-norm θ', xLabel: 'p / n', yLabel: 'mean ‖θ‖₂', logY: true, series: [{ name: '‖θ‖', x: ratio, y: result.rows.map((row) => row.meanThetaNorm) }] })) },
        { heading: 'Example fits (first trial)', html: htmlFigure(lineChart({ title: 'Fits on the test grid', xLabel: 'x', yLabel: 'y', series: [
          { name: 'truth', x: example.x, y: example.truth, dashed: true },
          ...example.fits.map((fit) => ({ name: `p = ${fit.features}`, x: example.x, y: fit.y.map((value) => clamp(value, 5)) })),
        ] }), 'Fits clipped to ±5 for display.') },
      ];
    }
    case 'sindy': {
      const { trajectory } = result;
      return [
        { heading: 'Identified equations', html: `<pre>${result.equations.map((equation) => escapeHtml(equation.text)).join('\n')}</pre>` + htmlFacts([
          ['threshold', result.options.threshold], ['ridge α', result.options.ridge], ['samples', result.samples], ['relative residual', result.relativeResidual], ['max coefficient error', result.maxRelativeError],
        ]) },
        { heading: 'Truth vs identified model', html: ['x', 'y', 'z'].map((name, v) => htmlFigure(lineChart({ title: `${name}(t)`, xLabel: 't', yLabel: name, height: 260, series: [
          { name: 'truth', x: trajectory.time, y: trajectory.truth[v] }, { name: 'identified', x: trajectory.time, y: trajectory.identified[v], dashed: true },
        ] }))).join('') },
      ];
    }
    case 'integrate': {
      const dts = result.rows.map((row) => row.dt);
      const { sample } = result;
      return [
        { heading: 'Error vs Δt (log-log)', html: htmlFigure(lineChart({ title: `Global error at T = ${result.finalTime}`, xLabel: 'Δt', yLabel: 'max error', logX: true, logY: true, series: [
          { name: `Euler (slope ${result.eulerSlope.toFixed(2)})`, x: dts, y: result.rows.map((row) => row.eulerError) },
          { name: `RK4 (slope ${result.rk4Slope.toFixed(2)})`, x: dts, y: result.rows.map((row) => row.rk4Error) },
        ] }), result.equation) },
        { heading: `Trajectories at Δt = ${sample.dt}`, html: htmlFigure(lineChart({ title: 'First component', xLabel: 't', yLabel: 'u₁', series: [
          { name: 'exact', x: sample.time, y: sample.exact, dashed: true }, { name: 'Euler', x: sample.time, y: sample.euler }, { name: 'RK4', x: sample.time, y: sample.rk4 },
        ] })) },
      ];
    }
    case 'stability': {
      const { rollout, series } = result;
      return [
        { heading: 'Rollout: emulator vs truth', html: htmlFigure(lineChart({ title: 'x(t)', xLabel: 't', yLabel: 'x', height: 280, series: [
          { name: 'truth', x: rollout.time, y: rollout.truth[0] }, { name: 'emulator', x: rollout.time, y: rollout.emulator[0], dashed: true },
        ] })) + htmlFigure(lineChart({ title: 'Distance between emulator and truth', xLabel: 't', yLabel: '‖e_t‖', logY: true, height: 280, series: [{ name: '‖u_emulator − u_true‖', x: rollout.time, y: rollout.error }] }),
          'Errors grow roughly like e^{λ₁ t} (λ₁ ≈ 0.9 for Lorenz-63): chaos, not a bug.') },
        { heading: 'Jacobian along the rollout', html: htmlFigure(lineChart({ title: 'Spectral radius of J_t', xLabel: 't', yLabel: 'max |λ|', height: 280, series: [
          { name: 'emulator', x: series.time, y: series.emulatorRadius }, { name: 'exact DΦ', x: series.time, y: series.exactRadius, dashed: true },
        ] }), 'max |λ| > 1: a perturbation e_t = J_t e_{t−1} grows locally.') + htmlFigure(lineChart({ title: 'Largest singular value of J_t', xLabel: 't', yLabel: 'σ_max', height: 280, series: [
          { name: 'emulator', x: series.time, y: series.emulatorSigmaMax }, { name: 'exact DΦ', x: series.time, y: series.exactSigmaMax, dashed: true },
        ] })) + htmlFacts([
          ['volume contraction (emulator)', result.emulatorContraction], ['volume contraction (exact map)', result.exactContraction], ['theory −(σ+1+β)', result.theoryContraction],
          ['largest Lyapunov exponent (emulator)', result.emulatorLyapunov], ['largest Lyapunov exponent (exact map)', result.exactLyapunov],
          ['growth-rate error of eigenvalues by modulus (median, 1/time)', result.eigenvalueRateErrorByIndex.map((value) => value.toPrecision(3)).join(', ')], ['one-step error / attractor scale', result.oneStepRelativeError],
          ['training', `${result.training.epochs} epochs (best ${result.training.bestEpoch}), ${result.training.seconds.toFixed(1)} s`],
        ]) },
      ];
    }
    case 'gd-inverse': {
      const steps = result.losses.map((_, k) => k);
      const ikChart = (title: string, runs: GdInverseResult['arm']['reachable']['runs']) => lineChart({ title, xLabel: 'iteration', yLabel: '‖target − f(q)‖', logY: true, width: HALF_WIDTH, height: 320, series: runs.map((run) => ({
        name: `λ = ${run.damping}`, x: run.errors.map((_, k) => k), y: run.errors.map((value) => Math.max(value, 1e-16)),
      })) });
      return [
        { heading: 'Inverse by gradient descent (seed 004)', html: htmlFigure(lineChart({ title: 'Loss mean((XM − I)²)', xLabel: 'step', yLabel: 'loss', logY: true, series: [{ name: 'loss', x: steps, y: result.losses }] }),
          `Late decay ×${result.observedLossRate.toPrecision(4)} per step; theory (1 − 2·lr·σ_min²/n²)² = ${result.predictedLossRate.toPrecision(4)}. Stable for lr < n²/σ_max² = ${result.stableLearningRateLimit.toPrecision(4)}.`) +
          htmlParagraph(result.descentMessage) },
        { heading: `Damped pseudo-inverse IK, 3-link arm (links ${result.arm.lengths.join(', ')})`, html: sideBySide([htmlFigure(ikChart('Reachable target', result.arm.reachable.runs)), htmlFigure(ikChart('Unreachable target', result.arm.unreachable.runs))]) +
          htmlParagraph(`Step q ← q + (JᵀJ + λI)⁻¹Jᵀe. Unreachable target at distance ${result.arm.unreachable.distance.toPrecision(4)} > reach ${result.arm.reach}: the best possible error is ${(result.arm.unreachable.distance - result.arm.reach).toPrecision(4)}.`) },
      ];
    }
  }
}

function lowRankRowsToShow(result: LowRankResult): LowRankResult['table'] {
  const last = result.table.length - 1;
  const wanted = new Set([0, 1, 2, 5, 10, 20, result.chosenRank, last]);
  return result.table.filter((row) => wanted.has(row.rank));
}

/** A matrix as an image-like heatmap (row 0 on top), subsampled to HEATMAP_MAX_SIDE. */
function imageHeatmap(matrix: Matrix, title: string): string {
  const rowStep = Math.max(1, Math.ceil(matrix.rows / HEATMAP_MAX_SIDE));
  const colStep = Math.max(1, Math.ceil(matrix.cols / HEATMAP_MAX_SIDE));
  const rowIndices: number[] = [], colIndices: number[] = [];
  for (let i = 0; i < matrix.rows; i += rowStep) rowIndices.push(i);
  for (let j = 0; j < matrix.cols; j += colStep) colIndices.push(j);
  const values: number[] = [];
  // Heatmap y increases upwards, so feed the rows bottom-up to show row 0 at the top.
  for (let k = rowIndices.length - 1; k >= 0; k--) for (const j of colIndices) values.push(matrix.get(rowIndices[k], j));
  return heatmapChart({
    title, xLabel: 'column', yLabel: 'row (from the bottom)', colorLabel: 'value', width: HALF_WIDTH, height: 360,
    xs: colIndices, ys: rowIndices.map((_, k) => k * rowStep), values,
  });
}

function eigenText(values: { real: number; imaginary: number }[]): string {
  return values.map(({ real, imaginary }) => (imaginary === 0 ? formatShort(real, 5) : `${formatShort(real, 5)}${imaginary < 0 ? '−' : '+'}${formatShort(Math.abs(imaginary), 4)}i`)).join(', ');
}

function formatShort(value: number, digits = 4): string {
  return Number.isFinite(value) ? Number(value.toPrecision(digits)).toString() : String(value);
}

function clamp(value: number, limit: number): number {
  return Number.isFinite(value) ? Math.max(-limit, Math.min(limit, value)) : NaN;
}
