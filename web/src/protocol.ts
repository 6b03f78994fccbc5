// The message protocol between the page (main thread) and the numerics worker. Everything that
// crosses the boundary is plain data (numbers, arrays, strings), so it survives structured clone.
// Each request carries an id; the worker answers with exactly one `result` or `error` for that id,
// possibly preceded by `progress` messages (training).

export type ModelRole = 'forward' | 'inverse';

/** What the page shows about a loaded model: names, units, operating box, standardization. */
export interface ModelInfo {
  role: ModelRole;
  /** File name or "demo-forward.onnx". */
  name: string;
  inputNames: string[];
  outputNames: string[];
  /** One entry per input/output; "" when unknown. */
  inputUnits: string[];
  outputUnits: string[];
  /** Operating box of the inputs (from the model's metadata, else mean ± 2 std); null when unknown. */
  bounds: { lower: number[]; upper: number[]; origin: string } | null;
  inputMean: number[] | null;
  inputStd: number[] | null;
  outputMean: number[] | null;
  outputStd: number[] | null;
  /** Human-readable description of the standardization found inside the model. */
  standardization: string;
  notes: string[];
  source: string;
  /** True when Jacobians are finite differences (the page says so next to every rank/cond). */
  approximateJacobian: boolean;
  /** True when a model card from the page (names, units, box, training statistics) was applied. */
  cardApplied?: boolean;
  /** True when the box is stored (metadata or card), false when it is derived (e.g. from training mean ± k std) or absent. */
  boxStored?: boolean;
}

/**
 * What the user tells the page about a forward model (the Model card): names, units, operating box
 * and training statistics. null / "" = unknown. Applied by annotating the ONNX file with the same
 * 'inversa.*' metadata the exporter writes, then loading that file: one path for the page and the
 * downloaded file.
 */
export interface ModelCard {
  inputNames: string[];
  outputNames: string[];
  inputUnits: string[];
  outputUnits: string[];
  /** Operating box; stored only when every input has both ends. */
  lower: (number | null)[];
  upper: (number | null)[];
  /** Training mean/std per side; stored only when every entry of that side is known. */
  inputMean: (number | null)[];
  inputStd: (number | null)[];
  outputMean: (number | null)[];
  outputStd: (number | null)[];
}

export interface LoadRequest {
  role: ModelRole;
  name: string;
  bytes: ArrayBuffer;
  /** Forward model only: the Model card to apply (annotate, then load). */
  card?: ModelCard | null;
}

export interface AnnotateRequest {
  card: ModelCard;
}
export interface AnnotateResponse {
  /** The loaded forward model's ONNX bytes with the card written as 'inversa.*' metadata. */
  bytes: Uint8Array;
}

/** Evaluate every loaded inverse net at the targets and re-simulate each proposal through the forward model. */
export interface CompareInverseRequest {
  /** One value per output (band targets: the band's midpoint). */
  targets: number[];
  /** Bounds for the range check of the proposals (not enforced: an inverse net is evaluated as is). */
  bounds: { lower: number[]; upper: number[] };
}
export interface InverseRow {
  /** Inverse model file name, or "mean of the N inverse models". */
  name: string;
  x: number[];
  y: number[];
  residual: number[];
  /** ‖residual‖ with each output divided by its scale (training std, else |target|). */
  scaledResidualNorm: number;
  withinTolerance: boolean[];
  tolerance: number[];
  /** Inputs outside the given bounds. */
  outsideBounds: number[];
}
export interface CompareInverseResponse {
  rows: InverseRow[];
}

export interface ForwardRequest {
  x: number[];
}
export interface ForwardResponse {
  y: number[];
  /** Per input: true when outside the model's operating box. */
  outOfRange: boolean[];
  elapsedMs: number;
}

/** One output's target: a point, or a band [low, high] (any value inside is fine). */
export type Target = { mode: 'point'; value: number } | { mode: 'band'; low: number; high: number };

export type SolveMethodChoice = 'lm' | 'inverse-net' | 'nio' | 'min-norm';

export type ObjectiveChoice =
  | { kind: 'none' }
  | { kind: 'cost'; cost: number[] }
  | { kind: 'reference'; reference: number[] };

export interface SolveRequest {
  targets: Target[];
  weights: number[];
  bounds: { lower: number[]; upper: number[] };
  method: SolveMethodChoice;
  /** For 'inverse-net': which loaded inverse net proposes (default the first one). */
  inverseModel?: string;
  starts: number;
  seed: number;
  objective: ObjectiveChoice;
}

export interface ConvergenceHistory {
  iteration: number[];
  residual: number[];
}

/** One proposed input and its check through the forward model. */
export interface SolutionView {
  x: number[];
  /** f(x) re-simulated by the forward model after the solve (not the solver's own value). */
  y: number[];
  /** y − target (for bands: distance to the nearest band edge, 0 inside). */
  residual: number[];
  residualNorm: number;
  /** Per output: |residual| ≤ tolerance. */
  withinTolerance: boolean[];
  /** Per output tolerance used for the check (shown next to the residual). */
  tolerance: number[];
  status: string;
  message: string;
  iterations: number;
  singularValues: number[];
  rank: number;
  condRaw: number;
  condStandardized: number;
  /** Indices of inputs sitting on a bound. */
  activeBounds: number[];
  objective: number | null;
  /** The value solutions are ranked by (see SolveResponse.criterion). */
  criterionValue: number;
  /** null: unknown (the model carries neither a box nor training statistics). */
  inTrainingRange: boolean | null;
  /** What inTrainingRange was judged against (e.g. "the operating box"), null when unknown. */
  rangeBasis: string | null;
  /** Scaled residual norm against iteration (convergence plot); empty for alternatives. */
  history: ConvergenceHistory;
}

export interface SolveResponse {
  best: SolutionView;
  /** Distinct solutions (best first) when several starts landed in different places. */
  solutions: SolutionView[];
  /** What "best first" means: matches first, then this criterion, lower is better. */
  criterion: string;
  /** Starts the solver ran (1 for inverse-net and single-start solves). */
  startsRun: number;
  warnings: string[];
  elapsedMs: number;
}

export interface SliceRequest {
  inputs: [number, number];
  base: number[];
  ranges: [[number, number], [number, number]];
  resolution: number;
}
export interface SliceResponse {
  xs: number[];
  ys: number[];
  /** resolution×resolution, row-major over ys (rows) × xs (columns); non-finite = singular. */
  log10Cond: number[];
  rank: number[];
  /** 'standardized' (training std known) or 'raw' units. */
  basis: string;
  message: string;
  elapsedMs: number;
}

export interface AnalyzeRequest {
  samples: number;
  seed: number;
}
export interface AnalyzeResponse {
  /** Rank → count. */
  rankHistogram: { rank: number; count: number }[];
  /** log10 of the standardized condition number of every sampled point (finite ones). */
  log10Cond: number[];
  condQuantiles: { q: number; value: number }[];
  verdicts: { verdict: string; share: number }[];
  summaryText: string;
  elapsedMs: number;
}

export interface TrainRequest {
  csvText: string;
  inputColumns: string[];
  outputColumns: string[];
  /** Units per chosen column ("" unknown); written into the exported models. */
  inputUnits?: string[];
  outputUnits?: string[];
  alpha: number;
  epochs: number;
  hidden: number;
  seed: number;
}
export interface TrainProgress {
  stage: 'forward' | 'inverse';
  epoch: number;
  epochs: number;
  trainLoss: number;
  validationLoss: number | null;
}
export interface TrainResponse {
  forwardOnnx: Uint8Array;
  inverseOnnx: Uint8Array;
  forwardLoss: { train: number[]; validation: number[] };
  inverseLoss: { train: number[]; validation: number[] };
  /** Re-simulation error of the inverse net on the validation set (RMS of F(I(y)) − y, standardized). */
  summary: string;
}

export interface CsvHeaderRequest {
  csvText: string;
}
export interface CsvColumnInfo {
  /** The header cell as written (e.g. "hmt [°C]"). */
  header: string;
  /** The name without a trailing unit in brackets or parentheses. */
  name: string;
  unit: string;
  /** Every cell is a finite number. */
  numeric: boolean;
  /** Numeric and the same value in every row. */
  constant: boolean;
}
export interface CsvHeaderResponse {
  columns: string[];
  rows: number;
  delimiter: string;
  info: CsvColumnInfo[];
  /** Roles stated by "# inputs: …" / "# outputs: …" comment lines (as `inversa datasets export` writes). */
  statedInputs: string[];
  statedOutputs: string[];
}

export interface SampleCsvRequest {
  rows: number;
  seed: number;
}
export interface SampleCsvResponse {
  csvText: string;
  inputColumns: string[];
  outputColumns: string[];
}

/** A certified answer (piecewise-linear models; HiGHS MILP in the worker): the certificate and the checked point. */
export interface ProveResponse {
  /** 'optimal' | 'infeasible' | 'time-limit' | 'error' | 'not-certified'. */
  certificate: string;
  /** What the certificate rests on: 'milp', 'lp' (infeasible LP relaxation), 'bounds', 'witness' or 'none'. */
  proof: string;
  /** Relative gap of the MILP (NaN when none). */
  gap: number;
  /** Proven bound on the objective (NaN when none). */
  bound: number;
  /** The library's status of the solve result (e.g. 'optimal', 'infeasible', 'converged'). */
  status: string;
  message: string;
  /** The certificate's own message (e.g. "no certificate: …" with the reason). */
  certificateMessage: string;
  /** The polished x (optimal) or the local solver's closest point, and its re-simulation. */
  x: number[];
  y: number[];
  residual: number[];
  withinTolerance: boolean[];
  tolerance: number[];
  seconds: number;
  nodes: number;
  binaries: number;
  elapsedMs: number;
}

export interface ReachRequest {
  bounds: { lower: number[]; upper: number[] };
}
/** Per output: the certified range (kind 'range') or a sound interval bound only (kind 'bound'). */
export interface ReachOutput {
  kind: 'range' | 'bound' | 'none';
  min: number;
  max: number;
  /** Certificate status of each end ('optimal', 'time-limit', …), or '' for a bound. */
  minStatus: string;
  maxStatus: string;
}
export interface ReachResponse {
  outputs: ReachOutput[];
  /** Why there is no certified range (smooth model, …), null when certified. */
  reason: string | null;
  elapsedMs: number;
}

/** Request and response types per call kind. */
export interface Calls {
  load: { request: LoadRequest; response: ModelInfo };
  annotate: { request: AnnotateRequest; response: AnnotateResponse };
  compareInverse: { request: CompareInverseRequest; response: CompareInverseResponse };
  forward: { request: ForwardRequest; response: ForwardResponse };
  solve: { request: SolveRequest; response: SolveResponse };
  prove: { request: SolveRequest; response: ProveResponse };
  reach: { request: ReachRequest; response: ReachResponse };
  slice: { request: SliceRequest; response: SliceResponse };
  analyze: { request: AnalyzeRequest; response: AnalyzeResponse };
  csvHeader: { request: CsvHeaderRequest; response: CsvHeaderResponse };
  train: { request: TrainRequest; response: TrainResponse };
  sampleCsv: { request: SampleCsvRequest; response: SampleCsvResponse };
}
export type CallKind = keyof Calls;

export interface RequestMessage<K extends CallKind = CallKind> {
  id: number;
  kind: K;
  request: Calls[K]['request'];
}

export type ResponseMessage =
  | { id: number; type: 'result'; result: unknown }
  | { id: number; type: 'error'; error: { name: string; message: string } }
  | { id: number; type: 'progress'; progress: TrainProgress };
