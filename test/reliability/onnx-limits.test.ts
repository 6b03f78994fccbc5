// Issue 18 regressions, ONNX: tensor sizes are checked before anything is allocated (dims 1e12,
// −1, 2^53, 64 axes), node count is capped, opset and IR versions outside what inversa knows are
// errors, and corrupt inversa.* metadata is an error instead of being ignored (which dropped bounds).
import { InversaError } from '../../src/core/errors.ts';
import { describe, expect, it } from 'vitest';
import { loadOnnxModel } from '../../src/onnx/load.ts';
import { OnnxFormatError } from '../../src/onnx/errors.ts';
import { onnx } from '../../src/onnx/proto.ts';
import { countGraphNodes, ONNX_LIMITS, readOnnxGraph } from '../../src/onnx/read.ts';
import { fixtureBytes } from '../onnx/helpers.ts';
import { buildModel, node } from '../onnx/helpers.ts';
import { fuzzModel } from '../fuzz/harness.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useCli } from '../helpers/cli.ts';

const cli = useCli();

const base = fuzzModel();

type ModelProto = ReturnType<typeof onnx.ModelProto.decode>;

function mutate(change: (model: ModelProto) => void): Uint8Array {
  const model = onnx.ModelProto.decode(base.bytes);
  change(model);
  return onnx.ModelProto.encode(model).finish();
}

async function loadError(bytes: Uint8Array): Promise<OnnxFormatError> {
  const error = await loadOnnxModel(bytes, { source: 'm.onnx' }).then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(OnnxFormatError);
  expect((error as Error).message).not.toContain('\n');
  return error as OnnxFormatError;
}

describe('tensor sizes are checked before allocation', () => {
  const cases: [string, number[], RegExp][] = [
    ['1e12 elements', [1e12], /more than the limit of 134217728 elements per tensor/],
    ['a negative dim', [-1], /invalid dimension -1/],
    ['2^53', [2 ** 53], /more than the limit|invalid dimension/],
    ['2^53 + 2 (not a safe integer)', [2 ** 53 + 2], /invalid dimension/],
    ['64 axes', Array.from({ length: 64 }, () => 2), /has 64 axes, more than the limit of 16/],
    ['a product beyond the cap', [2 ** 20, 2 ** 20], /more than the limit of 134217728 elements/],
  ];
  for (const [label, dims, pattern] of cases) {
    it(label, async () => {
      const bytes = mutate((model) => { model.graph!.initializer![0].dims = dims; });
      expect((await loadError(bytes)).message).toMatch(pattern);
    });
  }

  it('dims that disagree with the stored data are caught before allocating the claimed size', () => {
    const bytes = mutate((model) => { model.graph!.initializer![0].dims = [1 << 26]; });
    expect(() => readOnnxGraph(bytes, 'm.onnx')).toThrow(/holds \d+ bytes of float64, expected 536870912/);
  });

  it('the limits are documented constants', () => {
    expect(ONNX_LIMITS).toEqual({ nodes: 100_000, rank: 16, tensorElements: 2 ** 27, totalElements: 2 ** 28 });
  });
});

describe('graph size and versions', () => {
  it(`more than ${ONNX_LIMITS.nodes} nodes is an error`, () => {
    const nodes = Array.from({ length: ONNX_LIMITS.nodes + 1 }, (_, k) => node('Identity', [k === 0 ? 'x' : `v${k - 1}`], [k === ONNX_LIMITS.nodes ? 'y' : `v${k}`]));
    expect(() => readOnnxGraph(buildModel({ n: 2, m: 2, nodes }), 'chain.onnx')).toThrow(/has 100001 nodes, more than the limit of 100000/);
  });

  it('nodes are counted on the wire format, before decoding, exactly', () => {
    for (const name of ['tanh_mlp_7x64x64x4', 'op_zoo', 'resmlp_blast_furnace']) {
      const bytes = fixtureBytes(name);
      expect(countGraphNodes(bytes), name).toBe(readOnnxGraph(bytes, name).nodes.length);
    }
    expect(countGraphNodes(new Uint8Array([0xff, 0xff]))).toBe(0); // malformed: left to the decoder
  });

  for (const opset of [0, 1, 6, 25, 99]) {
    it(`opset ${opset} is an error`, async () => {
      const bytes = mutate((model) => { model.opsetImport = [{ domain: '', version: opset }]; });
      // Refused by the operator registry, naming the node, the operator and the supported opsets.
      const error = await loadOnnxModel(bytes, { source: 'm.onnx' }).then(() => null, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(InversaError);
      expect((error as Error).message).toMatch(/supported for opsets 7–\d+/);
      expect((error as Error).message).not.toContain('\n');
    });
  }

  it('no ai.onnx opset import at all is an error', async () => {
    const bytes = mutate((model) => { model.opsetImport = [{ domain: 'com.example', version: 1 }]; });
    expect((await loadError(bytes)).message).toMatch(/does not import the default ONNX operator set/);
  });

  for (const ir of [0, 2, 13, 999]) {
    it(`IR version ${ir} is an error`, async () => {
      const bytes = mutate((model) => { model.irVersion = ir; });
      expect((await loadError(bytes)).message).toMatch(new RegExp(`IR version ${ir}; inversa reads IR versions 3 to 12`));
    });
  }
});

describe('corrupt inversa.* metadata is an error', () => {
  const set = (key: string, value: string) => mutate((model) => {
    const entry = model.metadataProps!.find((prop: { key?: string | null }) => prop.key === key);
    if (entry) entry.value = value;
    else model.metadataProps!.push({ key, value });
  });

  it('the unmodified model loads with its names and bounds', async () => {
    const model = await loadOnnxModel(base.bytes);
    expect(model.inputNames).toEqual(['x1', 'x2', 'x3']);
    expect(Array.from(model.meta!.bounds!.upper)).toEqual([2, 2, 2]);
  });

  const cases: [string, string, RegExp][] = [
    ['inversa.bounds', '{"lower": [0, 0', /'inversa\.bounds' is corrupt/],
    ['inversa.bounds', '{"lower":[1,1,1],"upper":[0,0,0]}', /'inversa\.bounds' is corrupt: expected .*lower ≤ upper/],
    ['inversa.bounds', '{"lower":[0,0],"upper":[1,1]}', /'inversa\.bounds' is corrupt/],
    ['inversa.input_names', '["a", "b"]', /'inversa\.input_names' is corrupt: expected a JSON array of 3 strings/],
    ['inversa.input_names', '[1, 2, 3]', /'inversa\.input_names' is corrupt/],
    ['inversa.output_names', '["a"', /'inversa\.output_names' is corrupt/],
    ['inversa.input_std', '[1, 0, 1]', /'inversa\.input_std' is corrupt: expected positive standard deviations|only one of/],
    ['inversa.input_mean', '[1, "x", 1]', /'inversa\.input_mean' is corrupt/],
  ];
  for (const [key, value, pattern] of cases) {
    it(`${key} = ${value}`, async () => {
      expect((await loadError(set(key, value))).message).toMatch(pattern);
    });
  }
});

describe('names from a corrupt file cannot break the one-line error', () => {
  it('a value name with a newline is shown escaped (found by the fuzz suite, seed 12345 case 1048)', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'inversa-newline-'));
    try {
      const file = path.join(directory, 'm.onnx');
      writeFileSync(file, mutate((model) => { model.graph!.node![1].input = ['tanh\n_1']; }));
      writeFileSync(path.join(directory, 't.csv'), 'y1,y2\n0.1,0.2\n');
      expect(await cli.run(['invert', file, '--targets', path.join(directory, 't.csv')])).toBe(1);
      expect(cli.stderr).toMatch(/^inversa: .*value 'tanh\\n_1' .*never produced.*\n$/);
      expect(cli.stderr.split('\n')).toHaveLength(2);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
