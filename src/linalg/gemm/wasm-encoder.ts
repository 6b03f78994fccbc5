// A minimal WebAssembly binary encoder: just enough of the format (types, one exported memory,
// functions, exports, code with i32/f32/f64/v128 instructions) to emit inversa's kernels from
// TypeScript: the Float64 (f64x2) kernels of wasm-module.ts and the Float32 (f32x4) training
// kernels of wasm-float32.ts. Generating the bytes in-repo means no toolchain (wat2wasm,
// emscripten) at build time, no .wasm file to load, and nothing to fetch: the module is built from
// this code in Node and in the browser alike. Opcode numbers follow the WebAssembly core spec 2.0
// (SIMD prefix 0xFD); they were cross-checked against wabt's wat2wasm.

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValueType = typeof I32 | typeof F32 | typeof F64 | typeof V128;

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

/** Signed LEB128 of a 32-bit integer. */
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

function encodeString(text: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(text));
  return [...unsignedLeb(bytes.length), ...bytes];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

/** A local variable or parameter index. */
export type Local = number;

/**
 * Instruction stream of one function body. Methods append instructions and return `this`, so
 * generated code reads like the stack machine it is. Locals are declared with `local(type)`.
 */
export class CodeBuilder {
  readonly bytes: number[] = [];
  private readonly localTypes: ValueType[] = [];
  private readonly parameterCount: number;

  constructor(parameterCount: number) {
    this.parameterCount = parameterCount;
  }

  /** Declare a new local of `type`; returns its index. */
  local(type: ValueType): Local {
    this.localTypes.push(type);
    return this.parameterCount + this.localTypes.length - 1;
  }

  private emit(...bytes: number[]): this {
    for (const byte of bytes) this.bytes.push(byte);
    return this;
  }

  private simd(opcode: number, ...immediates: number[]): this {
    return this.emit(0xfd, ...unsignedLeb(opcode), ...immediates);
  }

  /** memarg: alignment exponent and byte offset. */
  private memory(alignLog2: number, offset: number): number[] {
    return [...unsignedLeb(alignLog2), ...unsignedLeb(offset)];
  }

  // Control
  block(): this { return this.emit(0x02, 0x40); }
  loop(): this { return this.emit(0x03, 0x40); }
  if(): this { return this.emit(0x04, 0x40); }
  else(): this { return this.emit(0x05); }
  end(): this { return this.emit(0x0b); }
  br(depth: number): this { return this.emit(0x0c, ...unsignedLeb(depth)); }
  brIf(depth: number): this { return this.emit(0x0d, ...unsignedLeb(depth)); }
  return(): this { return this.emit(0x0f); }
  drop(): this { return this.emit(0x1a); }

  // Locals
  get(local: Local): this { return this.emit(0x20, ...unsignedLeb(local)); }
  set(local: Local): this { return this.emit(0x21, ...unsignedLeb(local)); }
  tee(local: Local): this { return this.emit(0x22, ...unsignedLeb(local)); }

  // i32
  i32(value: number): this { return this.emit(0x41, ...signedLeb(value)); }
  i32Eqz(): this { return this.emit(0x45); }
  i32Eq(): this { return this.emit(0x46); }
  i32Ne(): this { return this.emit(0x47); }
  i32LtS(): this { return this.emit(0x48); }
  i32GtS(): this { return this.emit(0x4a); }
  i32LeS(): this { return this.emit(0x4c); }
  i32GeS(): this { return this.emit(0x4e); }
  i32LtU(): this { return this.emit(0x49); }
  i32GtU(): this { return this.emit(0x4b); }
  i32LeU(): this { return this.emit(0x4d); }
  i32GeU(): this { return this.emit(0x4f); }
  i32Add(): this { return this.emit(0x6a); }
  i32Sub(): this { return this.emit(0x6b); }
  i32Mul(): this { return this.emit(0x6c); }
  i32DivU(): this { return this.emit(0x6e); }
  i32And(): this { return this.emit(0x71); }
  i32Shl(): this { return this.emit(0x74); }

  // f32
  f32(value: number): this {
    const bytes = new Uint8Array(new Float32Array([value]).buffer);
    return this.emit(0x43, ...bytes);
  }
  f32Load(offset = 0): this { return this.emit(0x2a, ...this.memory(2, offset)); }
  f32Store(offset = 0): this { return this.emit(0x38, ...this.memory(2, offset)); }

  // f64
  f64(value: number): this {
    const bytes = new Uint8Array(new Float64Array([value]).buffer);
    return this.emit(0x44, ...bytes);
  }
  f64Load(offset = 0): this { return this.emit(0x2b, ...this.memory(3, offset)); }
  f64Store(offset = 0): this { return this.emit(0x39, ...this.memory(3, offset)); }
  f64Add(): this { return this.emit(0xa0); }
  f64Sub(): this { return this.emit(0xa1); }
  f64Mul(): this { return this.emit(0xa2); }

  // v128 (f64x2 and f32x4 lanes); memory alignment hints are 16 bytes unless given (they never change results)
  v128Load(offset = 0, alignLog2 = 4): this { return this.simd(0x00, ...this.memory(alignLog2, offset)); }
  v128Load64Splat(offset = 0): this { return this.simd(0x0a, ...this.memory(3, offset)); }
  v128Store(offset = 0, alignLog2 = 4): this { return this.simd(0x0b, ...this.memory(alignLog2, offset)); }
  /** Both lanes set to the f64 `value`. */
  f64x2Const(value: number): this {
    const bytes = new Uint8Array(new Float64Array([value, value]).buffer);
    return this.simd(0x0c, ...bytes);
  }
  /** Both i64 lanes set to `high·2^32 + low` (bit patterns such as the sign mask). */
  i64x2ConstBits(high: number, low: number): this {
    const words = new Uint32Array([low, high, low, high]);
    return this.simd(0x0c, ...new Uint8Array(words.buffer));
  }
  f32x4Splat(): this { return this.simd(0x13); }
  f64x2Splat(): this { return this.simd(0x14); }
  f64x2ExtractLane(lane: 0 | 1): this { return this.simd(0x21, lane); }
  f32x4Gt(): this { return this.simd(0x44); }
  f64x2Lt(): this { return this.simd(0x49); }
  v128And(): this { return this.simd(0x4e); }
  v128Or(): this { return this.simd(0x50); }
  v128Bitselect(): this { return this.simd(0x52); }
  i64x2Shl(): this { return this.simd(0xcb); }
  i64x2Add(): this { return this.simd(0xce); }
  i64x2Sub(): this { return this.simd(0xd1); }
  f32x4Add(): this { return this.simd(0xe4); }
  f32x4Sub(): this { return this.simd(0xe5); }
  f32x4Mul(): this { return this.simd(0xe6); }
  f32x4Max(): this { return this.simd(0xe9); }
  f64x2Abs(): this { return this.simd(0xec); }
  f64x2Add(): this { return this.simd(0xf0); }
  f64x2Sub(): this { return this.simd(0xf1); }
  f64x2Mul(): this { return this.simd(0xf2); }
  f64x2Div(): this { return this.simd(0xf3); }
  f64x2Min(): this { return this.simd(0xf4); }
  f64x2Max(): this { return this.simd(0xf5); }

  /** The body as encoded bytes: locals declaration, instructions, final `end`. */
  encode(): number[] {
    const groups: number[][] = [];
    for (const type of this.localTypes) groups.push([1, type]);
    const body = [...vector(groups), ...this.bytes, 0x0b];
    return [...unsignedLeb(body.length), ...body];
  }
}

/** Emits `block loop <exit test> br_if 1 body br 0 end end`: while (!exit) body. */
export function whileLoop(code: CodeBuilder, exitWhen: () => void, body: () => void): void {
  code.block().loop();
  exitWhen();
  code.brIf(1);
  body();
  code.br(0).end().end();
}

export interface FunctionDefinition {
  name: string;
  parameters: ValueType[];
  results: ValueType[];
  code: CodeBuilder;
}

/**
 * A module with one memory (exported as "memory", `initialPages` of 64 KiB, growable) and the
 * given functions, all exported by name.
 */
export function encodeModule(functions: FunctionDefinition[], initialPages: number): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vector(f.parameters.map((t) => [t])), ...vector(f.results.map((t) => [t]))]);
  const typeSection = section(1, vector(types));
  const functionSection = section(3, vector(functions.map((_, index) => unsignedLeb(index))));
  const memorySection = section(5, vector([[0x00, ...unsignedLeb(initialPages)]]));
  const exports = [
    [...encodeString('memory'), 0x02, 0x00],
    ...functions.map((f, index) => [...encodeString(f.name), 0x00, ...unsignedLeb(index)]),
  ];
  const exportSection = section(7, vector(exports));
  const codeSection = section(10, [...unsignedLeb(functions.length), ...functions.flatMap((f) => f.code.encode())]);
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  return Uint8Array.from([...header, ...typeSection, ...functionSection, ...memorySection, ...exportSection, ...codeSection]);
}
