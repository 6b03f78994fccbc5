// `plant`: a SYNTHETIC 7-input, 4-output process shaped like the reference blast furnace of seeds
// 000/001. It is NOT a furnace model and NOT fitted to any furnace data: only the variable names,
// the operating box and the rough output scales come from the reference project
// (shared/seeds/README.md). It exists so that the demo and the tests have a realistic-looking,
// reproducible problem whose true forward function is known.
//
// The function. Each input is mapped to u_j = 2·(x_j − lower_j)/(upper_j − lower_j) − 1 ∈ [−1, 1].
// Each output is   y_i = mean_i + scale_i · g_i(u)   with g_i a sum of documented terms:
//   linear  c·u_j,   product  c·u_j·u_k (interactions),   square  c·u_j²,   saturation  c·tanh(Σ w_j u_j).
// The term table PLANT_TERMS below is the whole definition; signs follow the physical intuition
// (e.g. the flame temperature rises with blast temperature and O2, falls with injectants), but the
// magnitudes are invented. Inputs are drawn uniformly in the box; outputs get Gaussian noise with
// standard deviation PLANT_NOISE_FRACTION·scale_i.
import { Matrix, type Random } from '../../linalg/index.ts';
import { tanh, tanhDerivativeFromValue, functionModel, type Model } from '../../model/index.ts';
import type { DatasetDefinition } from './types.ts';

export const PLANT_INPUT_NAMES = ['h2i_rate', 'pci_rate', 'ngi_rate', 'o2_volfract', 'h2_temp', 'hbtemp', 'wind_rt'];
export const PLANT_OUTPUT_NAMES = ['tgt', 'hmt', 'prod_rt', 'fta'];
/** Units: the README gives none for the rates (left empty); temperatures assumed °C for inputs, as the outputs' K/°C are given. */
export const PLANT_INPUT_UNITS = ['', '', '', '%', '°C', '°C', ''];
export const PLANT_OUTPUT_UNITS = ['°C', 'K', '', 'K'];
/** Operating box of the reference project (README): h2i 0–100, pci 0–300, ngi 0–300, O2 21–40 %, h2_temp 0–1500, hbtemp 1200–1500, wind 150–250. */
export const PLANT_LOWER = [0, 0, 0, 21, 0, 1200, 150];
export const PLANT_UPPER = [100, 300, 300, 40, 1500, 1500, 250];
/** Output centres and scales: the reference training-set means and standard deviations (README). */
export const PLANT_OUTPUT_MEAN = [97.9, 1292.4, 8446.6, 2307.1];
export const PLANT_OUTPUT_SCALE = [50.8, 525.5, 1510.8, 211.6];
/** Output noise: 1 % of each output's scale. */
export const PLANT_NOISE_FRACTION = 0.01;

export type PlantTerm =
  | { kind: 'linear'; input: number; coefficient: number }
  | { kind: 'product'; input: number; other: number; coefficient: number }
  | { kind: 'square'; input: number; coefficient: number }
  | { kind: 'saturation'; weights: number[]; coefficient: number };

// Input indices, for readable terms.
const H2I = 0, PCI = 1, NGI = 2, O2 = 3, H2_TEMP = 4, HBTEMP = 5, WIND = 6;

/** g_i(u) for each output, as a list of terms (see the file comment). */
export const PLANT_TERMS: PlantTerm[][] = [
  // tgt, top-gas temperature: more injectant gas and wind heat the top; O2 enrichment (less N2) and blast heat cool it.
  [
    { kind: 'linear', input: H2I, coefficient: 0.55 },
    { kind: 'linear', input: PCI, coefficient: 0.45 },
    { kind: 'linear', input: NGI, coefficient: 0.6 },
    { kind: 'linear', input: O2, coefficient: -0.7 },
    { kind: 'linear', input: HBTEMP, coefficient: -0.25 },
    { kind: 'linear', input: WIND, coefficient: 0.35 },
    { kind: 'product', input: H2I, other: H2_TEMP, coefficient: -0.3 },
    { kind: 'product', input: PCI, other: O2, coefficient: 0.25 },
    { kind: 'square', input: NGI, coefficient: 0.2 },
  ],
  // hmt, hot-metal temperature: O2, blast and hydrogen heat raise it; cold injectants lower it; saturating in wind and O2.
  [
    { kind: 'linear', input: O2, coefficient: 0.6 },
    { kind: 'linear', input: HBTEMP, coefficient: 0.55 },
    { kind: 'linear', input: H2_TEMP, coefficient: 0.3 },
    { kind: 'linear', input: PCI, coefficient: -0.35 },
    { kind: 'linear', input: NGI, coefficient: -0.4 },
    { kind: 'linear', input: H2I, coefficient: -0.25 },
    { kind: 'product', input: O2, other: HBTEMP, coefficient: 0.2 },
    { kind: 'product', input: H2I, other: H2_TEMP, coefficient: 0.25 },
    { kind: 'saturation', weights: [0, 0, 0, 0.5, 0, 0, 0.8], coefficient: 0.4 },
  ],
  // prod_rt, production rate: driven by wind and O2 (oxygen delivered), with their interaction.
  [
    { kind: 'linear', input: WIND, coefficient: 0.75 },
    { kind: 'linear', input: O2, coefficient: 0.7 },
    { kind: 'linear', input: PCI, coefficient: 0.2 },
    { kind: 'linear', input: H2I, coefficient: 0.15 },
    { kind: 'linear', input: NGI, coefficient: -0.1 },
    { kind: 'product', input: WIND, other: O2, coefficient: 0.3 },
    { kind: 'square', input: PCI, coefficient: -0.15 },
  ],
  // fta, raceway flame temperature: blast heat and O2 raise it; injectants (endothermic cracking) lower it.
  [
    { kind: 'linear', input: HBTEMP, coefficient: 0.6 },
    { kind: 'linear', input: O2, coefficient: 0.65 },
    { kind: 'linear', input: H2I, coefficient: -0.45 },
    { kind: 'linear', input: PCI, coefficient: -0.35 },
    { kind: 'linear', input: NGI, coefficient: -0.55 },
    { kind: 'linear', input: H2_TEMP, coefficient: 0.25 },
    { kind: 'product', input: H2I, other: H2_TEMP, coefficient: 0.2 },
    { kind: 'square', input: O2, coefficient: -0.1 },
  ],
];

const INPUTS = PLANT_INPUT_NAMES.length;

/** u_j = 2·(x_j − lower_j)/(upper_j − lower_j) − 1, written into `u`. */
function toUnit(x: Float64Array, u: Float64Array): void {
  for (let j = 0; j < INPUTS; j++) u[j] = (2 * (x[j] - PLANT_LOWER[j])) / (PLANT_UPPER[j] - PLANT_LOWER[j]) - 1;
}

/** g(u) of one output's terms. */
function termValue(terms: readonly PlantTerm[], u: Float64Array): number {
  let sum = 0;
  for (const term of terms) {
    if (term.kind === 'linear') sum += term.coefficient * u[term.input];
    else if (term.kind === 'product') sum += term.coefficient * u[term.input] * u[term.other];
    else if (term.kind === 'square') sum += term.coefficient * u[term.input] * u[term.input];
    else sum += term.coefficient * tanh(dot(term.weights, u));
  }
  return sum;
}

/** ∂g/∂u of one output's terms, written into `out` (length 7). */
function termGradient(terms: readonly PlantTerm[], u: Float64Array, out: Float64Array): void {
  out.fill(0);
  for (const term of terms) {
    if (term.kind === 'linear') out[term.input] += term.coefficient;
    else if (term.kind === 'product') {
      out[term.input] += term.coefficient * u[term.other];
      out[term.other] += term.coefficient * u[term.input];
    } else if (term.kind === 'square') out[term.input] += 2 * term.coefficient * u[term.input];
    else {
      const factor = term.coefficient * tanhDerivativeFromValue(tanh(dot(term.weights, u)));
      for (let j = 0; j < INPUTS; j++) out[j] += factor * term.weights[j];
    }
  }
}

function dot(weights: readonly number[], u: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < INPUTS; j++) sum += weights[j] * u[j];
  return sum;
}

/** The noise-free synthetic plant y = f(x) (7 → 4) with its exact Jacobian. */
export function plantModel(): Model {
  const u = new Float64Array(INPUTS);
  const gradient = new Float64Array(INPUTS);
  return functionModel({
    inputNames: PLANT_INPUT_NAMES,
    outputNames: PLANT_OUTPUT_NAMES,
    evaluate(x, out) {
      toUnit(x, u);
      for (let i = 0; i < PLANT_TERMS.length; i++) out[i] = PLANT_OUTPUT_MEAN[i] + PLANT_OUTPUT_SCALE[i] * termValue(PLANT_TERMS[i], u);
    },
    jacobian(x, out) {
      toUnit(x, u);
      for (let i = 0; i < PLANT_TERMS.length; i++) {
        termGradient(PLANT_TERMS[i], u, gradient);
        // Chain rule through u_j = 2(x_j − l_j)/(h_j − l_j) − 1.
        for (let j = 0; j < INPUTS; j++) out[i * INPUTS + j] = (PLANT_OUTPUT_SCALE[i] * gradient[j] * 2) / (PLANT_UPPER[j] - PLANT_LOWER[j]);
      }
    },
    meta: {
      source: 'function:plant (synthetic)',
      inputUnits: [...PLANT_INPUT_UNITS],
      outputUnits: [...PLANT_OUTPUT_UNITS],
      bounds: { lower: Float64Array.from(PLANT_LOWER), upper: Float64Array.from(PLANT_UPPER) },
      notes: ['SYNTHETIC process shaped like the reference blast furnace (names, box, output scales); not a furnace model'],
    },
  });
}

export const plantDataset: DatasetDefinition = {
  name: 'plant',
  summary: 'SYNTHETIC 7→4 process shaped like the reference blast furnace (names, operating box, output scales)',
  description:
    'SYNTHETIC data: a smooth, documented made-up function (linear terms, interactions h2i×h2_temp, pci×o2, o2×hbtemp, ' +
    'wind×o2, squares and one tanh saturation; see src/data/datasets/plant.ts) with the reference blast furnace\'s ' +
    'variable names, operating box and output means/scales. It is not a furnace model and not fitted to furnace data. ' +
    `Inputs uniform in the box; Gaussian output noise of ${PLANT_NOISE_FRACTION * 100} % of each output scale.`,
  inputNames: PLANT_INPUT_NAMES,
  outputNames: PLANT_OUTPUT_NAMES,
  inputUnits: PLANT_INPUT_UNITS,
  outputUnits: PLANT_OUTPUT_UNITS,
  bounds: { lower: Float64Array.from(PLANT_LOWER), upper: Float64Array.from(PLANT_UPPER) },
  synthetic: true,
  noiseFraction: PLANT_NOISE_FRACTION,
  defaultRows: 5000,
  model: plantModel,
  sampleInputs(rows, random) {
    const out = new Matrix(rows, INPUTS);
    for (let r = 0; r < rows; r++) for (let j = 0; j < INPUTS; j++) out.data[r * INPUTS + j] = random.between(PLANT_LOWER[j], PLANT_UPPER[j]);
    return out;
  },
  addNoise(outputs, random) {
    const m = outputs.cols;
    for (let k = 0; k < outputs.data.length; k++) outputs.data[k] += random.normal(0, PLANT_NOISE_FRACTION * PLANT_OUTPUT_SCALE[k % m]);
  },
};
