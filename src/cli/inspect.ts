// `inversa inspect MODEL.onnx [--json]`: inputs/outputs (names, shapes), operators with counts and
// support, detected standardization, metadata, and whether inversa can evaluate it exactly.
// A corrupt or unreadable file is an InversaError (one line, exit 1).
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { assertRegularFile, MAX_MODEL_FILE_BYTES } from '../common/input-file.ts';
import { inspectOnnx, type OnnxInspection } from '../onnx/inspect.ts';
import { dimsText } from '../onnx/tensor.ts';
import { textTable } from '../report/table.ts';

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

/** The human-readable report of `inspect`. */
export function inspectionText(result: OnnxInspection): string {
  const lines: string[] = [];
  lines.push(`${result.source}: ONNX opset ${result.opset}, IR ${result.irVersion}${result.producer ? `, produced by ${result.producer}` : ''}`);
  lines.push('', textTable(['', 'name', 'type', 'shape'], [
    ...result.inputs.map((v) => ['input', v.name, v.elementType, v.shape ? dimsText(v.shape) : '?']),
    ...result.outputs.map((v) => ['output', v.name, v.elementType, v.shape ? dimsText(v.shape) : '?']),
  ], { align: ['left', 'left', 'left', 'left'] }));
  lines.push('', textTable(['operator', 'count', 'supported'], result.operators.map((o) => [o.name, o.count, o.supported ? 'yes' : 'NO'])));
  const { input, output } = result.standardization;
  lines.push('', 'standardization:');
  lines.push(input ? `  input  (x − mean)/std: mean ${vectorText(input.mean)}, std ${vectorText(input.std)} (nodes ${input.nodes.join(', ')})` : '  input  none detected');
  lines.push(output ? `  output z·std + mean:   mean ${vectorText(output.mean)}, std ${vectorText(output.std)} (nodes ${output.nodes.join(', ')})` : '  output none detected');
  const metadata = Object.entries(result.metadata);
  if (metadata.length > 0) lines.push('', 'metadata:', ...metadata.map(([key, value]) => `  ${key} = ${value}`));
  for (const problem of result.problems) lines.push('', `problem: ${problem}`);
  lines.push('', result.message);
  return lines.join('\n');
}
