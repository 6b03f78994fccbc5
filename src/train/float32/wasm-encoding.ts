// A tiny WebAssembly binary writer: just enough (LEB128 numbers, sections, the opcodes the Float32
// training kernels use) to build the SIMD kernel module in code, with no toolchain (wat2wasm,
// emscripten) needed at build or run time. Opcode values from the WebAssembly core and SIMD specs.

/** Unsigned LEB128. */
export function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
export function signedLeb(value: number): number[] {
  const out: number[] = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

export const VALUE_TYPE = { i32: 0x7f, f32: 0x7d, v128: 0x7b } as const;
export const BLOCK_EMPTY = 0x40;

/** Core opcodes used by the kernels. */
export const OP = {
  block: 0x02, loop: 0x03, if: 0x04, end: 0x0b, br: 0x0c, brIf: 0x0d, return: 0x0f,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  f32Load: 0x2a, f32Store: 0x38,
  i32Const: 0x41, f32Const: 0x43,
  i32Eqz: 0x45, i32Ne: 0x47, i32LtU: 0x49, i32GtU: 0x4b, i32LeU: 0x4d, i32GeU: 0x4f,
  i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32Shl: 0x74,
  f32Add: 0x92, f32Mul: 0x94,
  simd: 0xfd,
} as const;

/** SIMD opcodes (after the 0xfd prefix, LEB128-encoded). */
export const SIMD = {
  v128Load: 0x00, v128Store: 0x0b, f32x4Splat: 0x13,
  f32x4Gt: 0x44, v128And: 0x4e,
  f32x4Add: 0xe4, f32x4Sub: 0xe5, f32x4Mul: 0xe6, f32x4Max: 0xe9,
} as const;

/** Bytes of one SIMD instruction (memory instructions take a memarg: log2 alignment, offset). */
export function simd(op: number, memarg?: { align: number; offset: number }): number[] {
  return [OP.simd, ...unsignedLeb(op), ...(memarg ? [...unsignedLeb(memarg.align), ...unsignedLeb(memarg.offset)] : [])];
}

function section(id: number, payload: number[]): number[] {
  return [id, ...unsignedLeb(payload.length), ...payload];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(text));
  return [...unsignedLeb(bytes.length), ...bytes];
}

export interface WasmFunction {
  name: string;
  params: number[];
  results: number[];
  /** Extra locals after the parameters, as [count, type] groups. */
  locals: [number, number][];
  /** The body's instruction bytes (without the final `end`). */
  body: number[];
}

/** A module importing memory `env.memory` (pages ≥ minPages) and exporting the given functions. */
export function encodeModule(functions: WasmFunction[], minPages: number): Uint8Array<ArrayBuffer> {
  const types = section(1, vector(functions.map((f) => [0x60, ...vector(f.params.map((t) => [t])), ...vector(f.results.map((t) => [t]))])));
  const imports = section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, ...unsignedLeb(minPages)]]));
  const declarations = section(3, vector(functions.map((_, index) => unsignedLeb(index))));
  const exports = section(7, vector(functions.map((f, index) => [...name(f.name), 0x00, ...unsignedLeb(index)])));
  const code = section(10, vector(functions.map((f) => {
    const body = [...vector(f.locals.map(([count, type]) => [...unsignedLeb(count), type])), ...f.body, OP.end];
    return [...unsignedLeb(body.length), ...body];
  })));
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...imports, ...declarations, ...exports, ...code]);
}
