// `inversa inspect MODEL.onnx [--json]`: inputs/outputs (names, shapes), operators with counts and
// support, detected standardization, metadata, and whether inversa can evaluate it exactly.
// A corrupt or unreadable file is an InversaError (one line, exit 1).
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { assertRegularFile, MAX_MODEL_FILE_BYTES } from '../../io/index.ts';
import { inspectOnnx, type Knowledge, type OnnxInspection, dimsText } from '../../onnx/index.ts';
import { textTable } from '../../report/index.ts';

export function register(program: Command): void {
  program
    .command('inspect')
    .description('show the inputs, outputs, operators and embedded standardization of an ONNX model')
    .argument('<model>', 'ONNX model file (.onnx)')
    .option('--json', 'print the result as JSON')
    .action(async (modelPath: string, options: { json?: boolean }) => {
      assertRegularFile(modelPath, 'model', MAX_MODEL_FILE_BYTES);
      const bytes = await readFile(modelPath);
      const name = modelPath.split(/[\\/]/).pop() ?? modelPath;
      const inspection = inspectOnnx(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), name);
      process.stdout.write(options.json ? `${JSON.stringify(inspection, null, 2)}\n` : `${inspectionText(inspection)}\n`);
    });
}

function vectorText(values: number[]): string {
  return `[${values.map((v) => Number(v.toPrecision(6))).join(', ')}]`;
}

/** What is known and what is not, one line each (unknowns say how to supply them). */
function knownText(result: OnnxInspection): string[] {
  const k = result.known;
  const list = (values: string[] | null, missing: string) => (values ? values.join(', ') : `unknown — ${missing}`);
  const stats = (origin: Knowledge['inputStats'], side: string) => origin === 'metadata' ? `known (metadata)` : origin === 'graph-scaling' ? `from the graph's ${side} scaling (a guess of the training statistics)` : 'unknown';
  return [
    'known about this model (inversa annotate adds what is missing):',
    `  input names:      ${list(k.inputNames, 'x0, x1, … are used')}`,
    `  output names:     ${list(k.outputNames, 'y0, y1, … are used')}`,
    `  input units:      ${list(k.inputUnits, 'none stored')}`,
    `  output units:     ${list(k.outputUnits, 'none stored')}`,
    `  operating box:    ${k.operatingBox ? `lower ${vectorText(k.operatingBox.lower)}, upper ${vectorText(k.operatingBox.upper)}` : 'unknown — give --lower/--upper to invert, or annotate'}`,
    `  input training statistics:  ${stats(k.inputStats, 'input')}`,
    `  output training statistics: ${stats(k.outputStats, 'output')}`,
    `  training range:   ${k.operatingBox ? 'the operating box' : k.inputStats ? 'training mean ± 3 std' : 'unknown — "inside the training range" is reported as unknown'}`,
  ];
}

/** The human-readable report of `inspect`. */
export function inspectionText(result: OnnxInspection): string {
  const lines: string[] = [];
  lines.push(`${result.source}: ONNX opset ${result.opset}, IR ${result.irVersion}${result.producer ? `, produced by ${result.producer}` : ''}`);
  lines.push('', textTable(['', 'name', 'type', 'shape'], [
    ...result.inputs.map((v) => ['input', v.name, v.elementType, v.shape ? dimsText(v.shape) : '?']),
    ...result.outputs.map((v) => ['output', v.name, v.elementType, v.shape ? dimsText(v.shape) : '?']),
  ], { align: ['left', 'left', 'left', 'left'] }));
  lines.push('', textTable(['operator', 'count', 'supported'], result.operators.map((o) => [o.name, o.count, o.supported ? 'yes' : 'NO'])));
  if (result.blockingNodes.length > 0) {
    lines.push('', 'blocking nodes:', textTable(['node', 'operator', 'why'], result.blockingNodes.map((b) => [b.node, b.operator, b.reason]), { align: ['left', 'left', 'left'] }));
  }
  const { input, output } = result.standardization;
  lines.push('', 'standardization:');
  lines.push(input ? `  input  (x − mean)/std: mean ${vectorText(input.mean)}, std ${vectorText(input.std)} (nodes ${input.nodes.join(', ')})` : '  input  none detected');
  lines.push(output ? `  output z·std + mean:   mean ${vectorText(output.mean)}, std ${vectorText(output.std)} (nodes ${output.nodes.join(', ')})` : '  output none detected');
  lines.push('', ...knownText(result));
  const metadata = Object.entries(result.metadata);
  if (metadata.length > 0) lines.push('', 'metadata:', ...metadata.map(([key, value]) => `  ${key} = ${value}`));
  for (const problem of result.problems) lines.push('', `problem: ${problem}`);
  lines.push('', result.message);
  return lines.join('\n');
}
