// Dense Float64 kernels (src/linalg/gemm): both backends against a plain triple-loop reference on
// random shapes including 0, 1, odd sizes and sizes that are not multiples of the register tiles;
// the raw WASM functions (other tile shapes, scaleRowGroups, tanh) against their definitions; the
// binary encoder against the LEB128 examples of the WebAssembly spec.
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError } from '../../src/core/errors.ts';
import { Random } from '../../src/linalg/random.ts';
import {
  kernelBackend, multiply, multiplyTransposed, setKernelBackend, tanh, wasmSimdAvailable, type KernelBackend,
} from '../../src/linalg/gemm/index.ts';
import { wasmKernels } from '../../src/linalg/gemm/wasm-backend.ts';
import { signedLeb, unsignedLeb } from '../../src/linalg/gemm/wasm-encoder.ts';
import { buildKernelModule, SCALED_ROWS_MODE } from '../../src/linalg/gemm/wasm-module.ts';

/** Products agree with the reference to this multiple of Σ|a_ik·b_kj| (+|c|): far above rounding, far below any bug. */
const PRODUCT_RTOL = 1e-12;
/** tanh within a few ulps of Math.tanh (itself within 1 ulp). */
const TANH_ULPS = 4;
const ULP = 2 ** -52;

const BACKENDS: KernelBackend[] = wasmSimdAvailable() ? ['wasm-simd', 'js'] : ['js'];
const initial = kernelBackend();
afterEach(() => { setKernelBackend(initial); });

function randomArray(random: Random, length: number): Float64Array {
  const out = new Float64Array(length);
  for (let k = 0; k < length; k++) out[k] = random.normal();
  return out;
}

interface Case { rows: number; inner: number; cols: number; lda: number; ldb: number; ldc: number; aOffset: number; bOffset: number; cOffset: number }

/** Reference C (+)= A·op(B) and the per-entry error scale Σ|a||b| + |c|. */
function reference(a: Float64Array, b: Float64Array, c: Float64Array, s: Case, transposed: boolean, mode: 'overwrite' | 'accumulate' | 'bias', bias: Float64Array) {
  const out = Float64Array.from(c), scale = new Float64Array(c.length);
  for (let i = 0; i < s.rows; i++) {
    for (let j = 0; j < s.cols; j++) {
      let sum = 0, magnitude = 0;
      for (let k = 0; k < s.inner; k++) {
        const av = a[s.aOffset + i * s.lda + k];
        const bv = transposed ? b[s.bOffset + j * s.ldb + k] : b[s.bOffset + k * s.ldb + j];
        sum += av * bv;
        magnitude += Math.abs(av * bv);
      }
      const index = s.cOffset + i * s.ldc + j;
      const start = mode === 'accumulate' ? c[index] : mode === 'bias' ? bias[j] : 0;
      out[index] = start + sum;
      scale[index] = magnitude + Math.abs(start);
    }
  }
  return { out, scale };
}

function expectClose(actual: Float64Array, expected: Float64Array, scale: Float64Array, label: string): void {
  for (let k = 0; k < expected.length; k++) {
    const error = Math.abs(actual[k] - expected[k]);
    if (!(error <= PRODUCT_RTOL * scale[k] + Number.MIN_VALUE)) {
      throw new Error(`${label}: entry ${k} is ${actual[k]}, expected ${expected[k]} (error ${error}, scale ${scale[k]})`);
    }
  }
}

const ROWS = [0, 1, 3, 4, 5, 9, 17];
const INNERS = [0, 1, 2, 7, 64, 65];
const COLS = [1, 2, 3, 4, 5, 7, 8, 9, 13];

describe.each(BACKENDS)('dense products, %s backend', (backend) => {
  for (const transposed of [false, true]) {
    const name = transposed ? 'multiplyTransposed (A·Bᵀ)' : 'multiply (A·B)';
    it(`${name} equals the triple loop on all edge shapes, every mode`, () => {
      setKernelBackend(backend);
      const random = new Random(transposed ? 31 : 30);
      let checked = 0;
      for (const rows of ROWS) for (const inner of INNERS) for (const cols of COLS) {
        const s: Case = { rows, inner, cols, lda: inner, ldb: transposed ? inner : cols, ldc: cols, aOffset: 0, bOffset: 0, cOffset: 0 };
        const a = randomArray(random, rows * inner), b = randomArray(random, inner * cols), c0 = randomArray(random, rows * cols), bias = randomArray(random, cols);
        for (const mode of ['overwrite', 'accumulate', 'bias'] as const) {
          const c = Float64Array.from(c0);
          const options = mode === 'accumulate' ? { accumulate: true } : mode === 'bias' ? { bias } : {};
          (transposed ? multiplyTransposed : multiply)(a, b, c, rows, inner, cols, options);
          const expected = reference(a, b, c0, s, transposed, mode, bias);
          expectClose(c, expected.out, expected.scale, `${backend} ${name} ${rows}×${inner}×${cols} ${mode}`);
          checked++;
        }
      }
      expect(checked).toBe(ROWS.length * INNERS.length * COLS.length * 3);
    });

    it(`${name} on sub-matrices (offsets, row strides) leaves everything else untouched`, () => {
      setKernelBackend(backend);
      const random = new Random(transposed ? 33 : 32);
      const s: Case = { rows: 11, inner: 9, cols: 7, lda: 12, ldb: transposed ? 10 : 9, ldc: 8, aOffset: 3, bOffset: 5, cOffset: 2 };
      const a = randomArray(random, s.aOffset + s.rows * s.lda);
      const b = randomArray(random, s.bOffset + (transposed ? s.cols : s.inner) * s.ldb);
      const c0 = randomArray(random, s.cOffset + s.rows * s.ldc + 4);
      const c = Float64Array.from(c0);
      (transposed ? multiplyTransposed : multiply)(a, b, c, s.rows, s.inner, s.cols, { ...s, accumulate: true });
      const expected = reference(a, b, c0, s, transposed, 'accumulate', new Float64Array(0));
      expectClose(c, expected.out, expected.scale, `${backend} strided ${name}`);
      for (let k = 0; k < c.length; k++) {
        const inside = k >= s.cOffset && (k - s.cOffset) % s.ldc < s.cols && k < s.cOffset + s.rows * s.ldc;
        if (!inside) expect(c[k], `padding entry ${k}`).toBe(c0[k]);
      }
    });
  }

  it('a product larger than one heap block (rows in several blocks) is still exact', () => {
    setKernelBackend(backend);
    const random = new Random(34);
    const rows = 20_000, inner = 64, cols = 5; // 20,000·69 doubles > the 8 MiB block
    const s: Case = { rows, inner, cols, lda: inner, ldb: inner, ldc: cols, aOffset: 0, bOffset: 0, cOffset: 0 };
    const a = randomArray(random, rows * inner), b = randomArray(random, cols * inner), c = new Float64Array(rows * cols);
    multiplyTransposed(a, b, c, rows, inner, cols);
    const expected = reference(a, b, new Float64Array(rows * cols), s, true, 'overwrite', new Float64Array(0));
    expectClose(c, expected.out, expected.scale, `${backend} blocked`);
  });

  it('bad shapes are typed errors naming the operand and sizes', () => {
    setKernelBackend(backend);
    const a = new Float64Array(6), b = new Float64Array(6), c = new Float64Array(4);
    expect(() => multiply(a, new Float64Array(9), c, 2, 3, 3)).toThrow(ShapeError);
    expect(() => multiply(a, new Float64Array(9), c, 2, 3, 3)).toThrow(/C needs 2×3 entries from offset 0 with row stride 3 \(up to index 6\) but has 4/);
    expect(() => multiplyTransposed(a, new Float64Array(5), c, 2, 3, 2)).toThrow(/B \(cols×inner\) needs 2×3/);
    expect(() => multiply(a, b, c, 2, 3, 2, { lda: 2 })).toThrow(/A row stride 2 is below its width 3/);
    expect(() => multiply(a, b, c, 2.5, 3, 2)).toThrow(/rows must be a non-negative integer/);
    expect(() => multiply(a, b, c, 2, 3, 2, { bias: new Float64Array(1) })).toThrow(/bias needs 2 entries/);
    expect(() => multiply(a, b, c, 2, 3, 2, { bias: new Float64Array(2), accumulate: true })).toThrow(InvalidArgumentError);
  });
});

describe('tanh', () => {
  for (const backend of BACKENDS) {
    it(`${backend}: within a few ulps of Math.tanh, derivative 1 − t², in place, any count (odd, beyond one heap block)`, () => {
      setKernelBackend(backend);
      const random = new Random(50);
      for (const count of [0, 1, 7, 1000, 600_001]) {
        const x = Float64Array.from({ length: count + 2 }, (_, k) => random.normal(0, [1e-8, 0.3, 1, 5, 30][k % 5]));
        if (count > 10) x.set([0, -0, 0.625, -700, 1e-300, Number.MIN_VALUE], 0);
        const value = new Float64Array(count + 2).fill(9), derivative = new Float64Array(count + 2).fill(9);
        tanh(x, value, derivative, count);
        for (let k = 0; k < count; k++) {
          const expected = Math.tanh(x[k]);
          if (!(Math.abs(value[k] - expected) <= TANH_ULPS * ULP * Math.abs(expected))) throw new Error(`tanh(${x[k]}) = ${value[k]}, expected ${expected}`);
          expect(derivative[k]).toBe(1 - value[k] * value[k]);
        }
        expect([value[count], derivative[count + 1]]).toEqual([9, 9]); // nothing written past count
        const inPlace = x.slice();
        tanh(inPlace, inPlace, null, count);
        expect(inPlace.subarray(0, count)).toEqual(value.subarray(0, count));
      }
    });
  }
  it('bad sizes are typed errors', () => {
    expect(() => tanh(new Float64Array(2), new Float64Array(3), null, 3)).toThrow(ShapeError);
    expect(() => tanh(new Float64Array(3), new Float64Array(3), new Float64Array(1), 3)).toThrow(/derivative needs 3 entries/);
  });
});

describe('backend selection', () => {
  it('WebAssembly SIMD is available in Node 20 and chosen at load unless INVERSA_KERNELS=js (then never compiled)', () => {
    const forcedJs = process.env.INVERSA_KERNELS === 'js';
    expect(wasmSimdAvailable()).toBe(!forcedJs);
    expect(initial).toBe(forcedJs ? 'js' : 'wasm-simd');
  });
  it('switching returns the previous backend; unknown names are rejected', () => {
    const previous = setKernelBackend('js');
    expect(kernelBackend()).toBe('js');
    expect(setKernelBackend(previous)).toBe('js');
    expect(() => setKernelBackend('gpu' as KernelBackend)).toThrow(/accepted: 'wasm-simd', 'js'/);
  });
});

describe.skipIf(!wasmKernels)('raw WASM kernels', () => {
  const kernels = wasmKernels!;

  it('other register tiles and an unrolled inner loop give the same products (tile edges in every direction)', () => {
    const random = new Random(40);
    for (const tile of [{ rows: 4, vectors: 2, unroll: 2 }, { rows: 3, vectors: 3, unroll: 1 }, { rows: 1, vectors: 1, unroll: 3 }]) {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(buildKernelModule(tile)), {});
      const exports = instance.exports as unknown as { memory: WebAssembly.Memory; multiply: (...args: number[]) => void };
      exports.memory.grow(4);
      for (const [rows, inner, cols] of [[1, 1, 1], [5, 7, 9], [13, 64, 64], [7, 65, 11], [4, 3, 6]]) {
        const heap = new Float64Array(exports.memory.buffer);
        const a = randomArray(random, rows * inner), b = randomArray(random, inner * cols), bias = randomArray(random, cols);
        heap.set(a, 0); heap.set(b, 8000); heap.set(bias, 16000);
        exports.multiply(0, 8 * 8000, 8 * 24000, rows, inner, cols, inner, cols, cols, 2, 8 * 16000);
        const s: Case = { rows, inner, cols, lda: inner, ldb: cols, ldc: cols, aOffset: 0, bOffset: 0, cOffset: 0 };
        const expected = reference(a, b, new Float64Array(rows * cols), s, false, 'bias', bias);
        expectClose(heap.subarray(24000, 24000 + rows * cols), expected.out, expected.scale, `tile ${JSON.stringify(tile)} ${rows}×${inner}×${cols}`);
      }
    }
  });

  it('the register tile changes no bit of a product (each entry sums k in order in one lane)', () => {
    const random = new Random(42);
    const results = [{ rows: 4, vectors: 2, unroll: 1 }, { rows: 2, vectors: 4, unroll: 1 }, { rows: 3, vectors: 3, unroll: 2 }].map((tile) => {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(buildKernelModule(tile)), {});
      const exports = instance.exports as unknown as { memory: WebAssembly.Memory; multiply: (...args: number[]) => void };
      exports.memory.grow(4);
      return { exports, outputs: [] as Float64Array[] };
    });
    for (const [rows, inner, cols] of [[1, 1, 1], [5, 7, 9], [13, 64, 64], [7, 65, 11], [512, 64, 64], [128, 7, 64]]) {
      const a = randomArray(random, rows * inner), b = randomArray(random, inner * cols), bias = randomArray(random, cols);
      for (const mode of [0, 1, 2]) {
        for (const { exports, outputs } of results) {
          const heap = new Float64Array(exports.memory.buffer);
          heap.set(a, 0); heap.set(b, 40000); heap.set(bias, 80000); heap.fill(0.5, 90000, 90000 + rows * cols);
          exports.multiply(0, 8 * 40000, 8 * 90000, rows, inner, cols, inner, cols, cols, mode, 8 * 80000);
          outputs.push(heap.slice(90000, 90000 + rows * cols));
        }
      }
    }
    const [first, ...others] = results;
    for (const other of others) {
      other.outputs.forEach((output, k) => expect(Buffer.from(output.buffer).equals(Buffer.from(first.outputs[k].buffer))).toBe(true));
    }
  });

  it('multiply mode 3 (scaled rows) writes the bits of mode 0 followed by scaleRowGroups', () => {
    const random = new Random(43);
    for (const [groups, groupRows, inner, cols] of [[5, 3, 7, 9], [4, 4, 64, 64], [3, 1, 5, 1], [7, 2, 65, 11], [6, 7, 64, 13]]) {
      const rows = groups * groupRows;
      const a = randomArray(random, rows * inner), b = randomArray(random, inner * cols), scale = randomArray(random, groups * cols);
      const heap = kernels.reserve(8 * 40000);
      heap.set(a, 0); heap.set(b, 10000); heap.set(scale, 20000);
      kernels.multiply(0, 8 * 10000, 8 * 30000, rows, inner, cols, inner, cols, cols, SCALED_ROWS_MODE, 8 * 20000, groupRows);
      const fused = heap.slice(30000, 30000 + rows * cols);
      kernels.multiply(0, 8 * 10000, 8 * 30000, rows, inner, cols, inner, cols, cols, 0, 0);
      kernels.scaleRowGroups(8 * 30000, 8 * groupRows * cols, 8 * 20000, 8 * 30000, groups, groupRows, cols);
      const separate = heap.slice(30000, 30000 + rows * cols);
      expect(Buffer.from(fused.buffer).equals(Buffer.from(separate.buffer)), `${groups}×${groupRows} rows, ${inner}→${cols}`).toBe(true);
    }
  });

  it('scaleRowGroups: target[g, r, k] = source[g, r, k]·scale[g, k], in place and with a repeated source', () => {
    const random = new Random(41);
    for (const cols of [1, 2, 7, 64]) {
      const groups = 5, groupRows = 3;
      const source = randomArray(random, groups * groupRows * cols), scale = randomArray(random, groups * cols), shared = randomArray(random, groupRows * cols);
      const heap = kernels.reserve(8 * 4096 * 4);
      heap.set(source, 0); heap.set(scale, 4096); heap.set(shared, 8192);
      kernels.scaleRowGroups(0, 8 * groupRows * cols, 8 * 4096, 0, groups, groupRows, cols);
      kernels.scaleRowGroups(8 * 8192, 0, 8 * 4096, 8 * 12288, groups, groupRows, cols);
      for (let g = 0; g < groups; g++) for (let r = 0; r < groupRows; r++) for (let k = 0; k < cols; k++) {
        const index = (g * groupRows + r) * cols + k;
        expect(heap[index]).toBe(source[index] * scale[g * cols + k]);
        expect(heap[12288 + index]).toBe(shared[r * cols + k] * scale[g * cols + k]);
      }
    }
  });

  it('tanh to a few ulps of Math.tanh and 1 − t² for every count (vector, pair and odd tails) and special values', () => {
    const random = new Random(42);
    for (let count = 0; count <= 19; count++) {
      const x = Float64Array.from({ length: count }, () => random.normal(0, 3));
      const heap = kernels.reserve(8 * 3 * 32);
      heap.fill(7, 0, 96);
      heap.set(x, 0);
      kernels.tanh(0, 32 * 8, 64 * 8, count, 1);
      for (let k = 0; k < count; k++) {
        const t = Math.tanh(x[k]), value = heap[32 + k];
        expect(Math.abs(value - t)).toBeLessThanOrEqual(TANH_ULPS * ULP * Math.abs(t));
        expect(heap[64 + k]).toBe(1 - value * value);
      }
      expect(heap[32 + count], 'nothing written past the end').toBe(7);
      expect(heap[64 + count]).toBe(7);
    }
    const special = Float64Array.of(0, -0, 1e-300, -1e-12, 0.5, 19, -25, 400, Infinity, -Infinity, 5e-324);
    const heap = kernels.reserve(8 * 64);
    heap.set(special, 0);
    kernels.tanh(0, 0, 8 * 32, special.length, 1); // in place
    const value = heap.slice(0, special.length), derivative = heap.slice(32, 32 + special.length);
    expect(Object.is(value[0], 0)).toBe(true);
    expect(Object.is(value[1], -0)).toBe(true);
    expect(value[2]).toBe(1e-300);
    expect(value[3]).toBe(-1e-12);
    expect(value[10]).toBe(5e-324);
    expect(Math.abs(value[4] - Math.tanh(0.5))).toBeLessThanOrEqual(TANH_ULPS * ULP * Math.tanh(0.5));
    expect([value[5], value[6], value[7], value[8], value[9]]).toEqual([Math.tanh(19), -1, 1, 1, -1]); // 1 − 6.3e-17 rounds to 1 − 2^-53
    expect([derivative[0], derivative[5], derivative[6], derivative[8]]).toEqual([1, 1 - Math.tanh(19) ** 2, 0, 0]);
  });

  it('tanh agrees with Math.tanh bitwise in nearly all cases across the range (same fdlibm formulas)', () => {
    const count = 4001;
    const heap = kernels.reserve(8 * 2 * count);
    for (let k = 0; k < count; k++) heap[k] = (k - 2000) * 0.011 + 1e-7 * (k % 13);
    kernels.tanh(0, 8 * count, 8 * count, count, 0);
    let differing = 0, worst = 0;
    for (let k = 0; k < count; k++) {
      const t = Math.tanh(heap[k]);
      if (heap[count + k] !== t) differing++;
      worst = Math.max(worst, Math.abs(heap[count + k] - t) / Math.abs(t));
    }
    expect(worst).toBeLessThanOrEqual(TANH_ULPS * ULP);
    expect(differing / count).toBeLessThan(0.2);
  });

  it('tanh without derivative leaves the derivative buffer alone', () => {
    const heap = kernels.reserve(8 * 64);
    heap.fill(3, 0, 64);
    kernels.tanh(0, 0, 8 * 32, 9, 0);
    expect(heap[0]).toBe(Math.tanh(3));
    expect(Array.from(heap.subarray(32, 41))).toEqual(new Array(9).fill(3));
  });

  it('claim tells whether the heap still holds what an owner left there', () => {
    const first = {}, second = {};
    kernels.claim(first);
    expect(kernels.claim(first)).toBe(true);
    expect(kernels.claim(second)).toBe(false);
    expect(kernels.claim(first)).toBe(false);
  });
});

describe('WebAssembly encoder', () => {
  it('LEB128 matches the spec examples', () => {
    expect(unsignedLeb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(unsignedLeb(0)).toEqual([0]);
    expect(unsignedLeb(127)).toEqual([0x7f]);
    expect(unsignedLeb(128)).toEqual([0x80, 0x01]);
    expect(signedLeb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(signedLeb(-1)).toEqual([0x7f]);
    expect(signedLeb(63)).toEqual([0x3f]);
    expect(signedLeb(64)).toEqual([0xc0, 0x00]);
    expect(signedLeb(-64)).toEqual([0x40]);
  });
  it('the kernel module is deterministic and valid WebAssembly', () => {
    const bytes = buildKernelModule();
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    expect(buildKernelModule()).toEqual(bytes);
    expect(WebAssembly.validate(bytes)).toBe(true);
  });
});
