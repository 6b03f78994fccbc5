// Consumer test (b): a strict TypeScript project (module/moduleResolution nodenext) type-checks
// against the shipped .d.ts. The @ts-expect-error lines fail the check if the types were `any`.
import { readFileSync } from 'node:fs';
import {
  svd, lstsq, Matrix, planarArm, solve, analyzeInvertibility, loadOnnxModel, loadModelFile, MlpModel,
  InversaError, type Model, type SolveReport, type SolveResult, type SolveStatus, type InvertibilityAnalysis, type MlpSpec,
} from 'inversa';

const { S } = svd([[1, 2], [3, 4]]);
const first: number = S[0];
const solution = lstsq([[1, 2, 3], [4, 5, 6]], [7, 8]);
const kind: string = solution.kind;
const arm: Model = planarArm([1, 1]);
const report: SolveReport = solve(arm, [[1, 1]], { starts: 2, seed: 1 });
const best: SolveResult = report.results[0];
const status: SolveStatus = best.status;
const analysis: InvertibilityAnalysis = analyzeInvertibility(arm, Matrix.fromArray([[0.1, 0.2]]));
const onnx = await loadOnnxModel(new Uint8Array(readFileSync('forward.onnx')));
const fromFile: Model = await loadModelFile('forward.onnx');
const spec: MlpSpec | undefined = undefined;
const error = new InversaError('x');

// @ts-expect-error: svd takes a matrix, not a string
svd('not a matrix');
// @ts-expect-error: the singular values are numbers
const wrong: string = S[0];

export { first, kind, status, analysis, onnx, fromFile, spec, error, wrong, MlpModel };
