// Generates the WebAssembly SIMD (f64x2) module of the dense Float64 kernels. Every function takes
// byte addresses into the module's own memory and row strides in elements:
//
//   multiply(a, b, c, rows, inner, cols, lda, ldb, ldc, mode, bias[, groupRows]) C ⟵ A·B     (B inner×cols)
//   multiplyTransposed(a, b, c, rows, inner, cols, lda, ldb, ldc, mode, bias)  C ⟵ A·Bᵀ     (B cols×inner)
//     mode 0: C = product;  1: C += product;  2: C = bias (a row vector, added to every row) + product
//     multiply only, mode 3 (SCALED_ROWS_MODE): C[i][j] = product[i][j] · bias[⌊i/groupRows⌋·ldc + j] — the
//       activation-derivative scaling G ⊙ D of the Jacobian sweep fused into the store (bias = D, one row per
//       group of groupRows rows); the same bits as mode 0 followed by scaleRowGroups
//   scaleRowGroups(source, sourceGroupStride, scale, target, groups, groupRows, cols)
//     target[g·groupRows + r][k] = source[g·sourceGroupStride/8 + r·cols + k] · scale[g][k]  (contiguous rows;
//     stride 0 repeats one groupRows×cols source for every group; target may equal source)
//   tanh(x, value, derivative, count, withDerivative)  value = tanh x, derivative = 1 − value² (value may equal x)
//   layerNormBackward(g, normalized, invStd, points, groupRows, width, inverseWidth)
//     each row g of group p (groupRows rows of width, contiguous) ⟵ invStd[p]·(g − mean g − x̂_p·mean(g ⊙ x̂_p)),
//     x̂_p = normalized[p] (a row of width), means taken as sums × inverseWidth (= 1/width)
//
// multiply vectorizes along the columns of C (register tile MULTIPLY_TILE_ROWS rows × 2·MULTIPLY_TILE_VECTORS
// columns, each accumulator an f64x2); multiplyTransposed vectorizes along the inner dimension (tile of
// TRANSPOSED_TILE_ROWS × TRANSPOSED_TILE_COLS dot products, lanes summed at the end), which suits
// narrow C such as Jacobian rows of 7 inputs. Edges use narrower tiles and scalar code, so any shape
// (including 1 and odd sizes) is exact. There is no fused multiply-add in baseline WASM SIMD, so each
// product is rounded like the scalar JS code; only the summation order differs (by lanes and tiles).
import { CodeBuilder, encodeModule, F64, I32, V128, whileLoop, type FunctionDefinition, type Local, type ValueType } from './wasm-encoder.ts';

/**
 * Register tile of `multiply`: rows × (2·vectors) columns = rows·vectors f64x2 accumulators (x64 has
 * 16 vector registers). 2×8 (8 accumulators, 4 B vectors reused by 2 A splats) ran at 1.02 of the
 * measured peak on the Jacobian chain's 512×64·64×64 and 128×64·64×64 products and 0.86 on
 * 128×7·7×64, against 0.95 / 0.96 / 0.81 for the former 4×4 — all tiles timed interleaved in one
 * process by bench/kernel-tiles.ts (2026-12-07, load 9.3). Every tile sums k in order in one lane
 * per entry of C, so the tile changes speed only, never a bit of the result.
 */
export const MULTIPLY_TILE_ROWS = 2;
export const MULTIPLY_TILE_VECTORS = 4;
/** Register tile of `multiplyTransposed`: rows × cols dot products, one f64x2 accumulator each. */
export const TRANSPOSED_TILE_ROWS = 4;
export const TRANSPOSED_TILE_COLS = 2;
/** Initial memory of the module in 64 KiB pages; the JS side grows it on demand. */
export const INITIAL_PAGES = 16;

// tanh via expm1 (Cody–Waite reduction + degree-14 Taylor polynomial on |r| ≤ ln2/2).
const LN2_HIGH = 6.93147180369123816490e-01; // ln 2 rounded to 32 significant bits: k·LN2_HIGH is exact
const LN2_LOW = 1.90821492927058770002e-10;
const INVERSE_LN2 = 1.44269504088896338700e+00;
/** 1.5·2^52: adding it rounds to an integer, whose value then sits in the low mantissa bits. */
const ROUNDING_MAGIC = 6755399441055744;
/** tanh(±350) is ±1 in double (from |x| > 19.1 on); expm1(700) does not overflow. */
const TANH_CLAMP = 350;
const EXPM1_TAYLOR_DEGREE = 14;

type Mode = 0 | 1 | 2;
/** multiply's mode 3: rows of the product scaled entrywise by the row of their group (see the header). */
export const SCALED_ROWS_MODE = 3;

function addTo(code: CodeBuilder, local: Local, amount: () => void): void {
  code.get(local);
  amount();
  code.i32Add().set(local);
}

/** if (mode === 1) accumulate() else if (mode === 2) bias() else zero() — outside the inner loops. */
function byMode(code: CodeBuilder, mode: Local, branches: Record<Mode, () => void>): void {
  code.get(mode).i32(1).i32Eq().if();
  branches[1]();
  code.else().get(mode).i32(2).i32Eq().if();
  branches[2]();
  code.else();
  branches[0]();
  code.end().end();
}

// ---------------------------------------------------------------------------------------------
// C ⟵ A·B

function buildMultiply(TILE_ROWS: number, TILE_VECTORS: number, unroll: number): FunctionDefinition {
  const parameters: ValueType[] = [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32];
  const code = new CodeBuilder(parameters.length);
  const [a, b, c, rows, inner, cols, lda, ldb, ldc, mode, bias, groupRows] = parameters.map((_, index) => index);
  const aStride = code.local(I32), bStride = code.local(I32), cStride = code.local(I32), innerBytes = code.local(I32);
  const i = code.local(I32), j = code.local(I32), k = code.local(I32), bPointer = code.local(I32);
  const aRows = Array.from({ length: TILE_ROWS }, () => code.local(I32));
  const cRows = Array.from({ length: TILE_ROWS }, () => code.local(I32));
  const vectors = Array.from({ length: TILE_ROWS * TILE_VECTORS }, () => code.local(V128));
  const bVectors = Array.from({ length: TILE_VECTORS }, () => code.local(V128));
  const splat = code.local(V128);
  const scalars = Array.from({ length: TILE_ROWS }, () => code.local(F64));
  const bScalar = code.local(F64);
  /** Mode 3: the scale row of each tile row (bias + ⌊(i + r)/groupRows⌋·ldc), set once per row panel. */
  const scaleRows = Array.from({ length: TILE_ROWS }, () => code.local(I32));
  const scaled = code.local(I32);
  code.get(mode).i32(SCALED_ROWS_MODE).i32Eq().set(scaled);

  code.get(lda).i32(3).i32Shl().set(aStride);
  code.get(ldb).i32(3).i32Shl().set(bStride);
  code.get(ldc).i32(3).i32Shl().set(cStride);
  code.get(inner).i32(3).i32Shl().set(innerBytes);

  /** Row pointers of A and C for the rows i … i+tileRows−1 at column j. */
  const setRowPointers = (tileRows: number): void => {
    for (let r = 0; r < tileRows; r++) {
      code.get(a).get(i).i32(r).i32Add().get(aStride).i32Mul().i32Add().set(aRows[r]);
      code.get(c).get(i).i32(r).i32Add().get(cStride).i32Mul().i32Add().get(j).i32(3).i32Shl().i32Add().set(cRows[r]);
    }
    code.get(b).get(j).i32(3).i32Shl().i32Add().set(bPointer);
  };

  /** tileRows × (2·tileVectors) block of C at (i, j). */
  const vectorTile = (tileRows: number, tileVectors: number): void => {
    setRowPointers(tileRows);
    const accumulator = (r: number, q: number): Local => vectors[r * TILE_VECTORS + q];
    byMode(code, mode, {
      1: () => { for (let r = 0; r < tileRows; r++) for (let q = 0; q < tileVectors; q++) code.get(cRows[r]).v128Load(16 * q).set(accumulator(r, q)); },
      2: () => {
        for (let q = 0; q < tileVectors; q++) code.get(bias).get(j).i32(3).i32Shl().i32Add().v128Load(16 * q).set(accumulator(0, q));
        for (let r = 1; r < tileRows; r++) for (let q = 0; q < tileVectors; q++) code.get(accumulator(0, q)).set(accumulator(r, q));
      },
      0: () => { for (let r = 0; r < tileRows; r++) for (let q = 0; q < tileVectors; q++) code.f64x2Const(0).set(accumulator(r, q)); },
    });
    /** One step of k: the tile's B row (at bPointer + step·bStride) times A's column k + step. */
    const step = (offset: number): void => {
      for (let q = 0; q < tileVectors; q++) {
        code.get(bPointer);
        if (offset > 0) code.get(bStride).i32(offset).i32Mul().i32Add();
        code.v128Load(16 * q).set(bVectors[q]);
      }
      for (let r = 0; r < tileRows; r++) {
        code.get(aRows[r]).get(k).i32Add().v128Load64Splat(8 * offset).set(splat);
        for (let q = 0; q < tileVectors; q++) code.get(accumulator(r, q)).get(splat).get(bVectors[q]).f64x2Mul().f64x2Add().set(accumulator(r, q));
      }
    };
    code.i32(0).set(k);
    if (unroll > 1) {
      whileLoop(code, () => code.get(k).i32(8 * unroll).i32Add().get(innerBytes).i32GtS(), () => {
        for (let u = 0; u < unroll; u++) step(u);
        addTo(code, k, () => code.i32(8 * unroll));
        addTo(code, bPointer, () => code.get(bStride).i32(unroll).i32Mul());
      });
    }
    whileLoop(code, () => code.get(k).get(innerBytes).i32GeS(), () => {
      step(0);
      addTo(code, k, () => code.i32(8));
      addTo(code, bPointer, () => code.get(bStride));
    });
    code.get(scaled).if();
    for (let r = 0; r < tileRows; r++) {
      for (let q = 0; q < tileVectors; q++) {
        code.get(cRows[r]).get(accumulator(r, q)).get(scaleRows[r]).get(j).i32(3).i32Shl().i32Add().v128Load(16 * q).f64x2Mul().v128Store(16 * q);
      }
    }
    code.else();
    for (let r = 0; r < tileRows; r++) for (let q = 0; q < tileVectors; q++) code.get(cRows[r]).get(accumulator(r, q)).v128Store(16 * q);
    code.end();
  };

  /** tileRows × 1 block of C at (i, j), scalar. */
  const scalarTile = (tileRows: number): void => {
    setRowPointers(tileRows);
    byMode(code, mode, {
      1: () => { for (let r = 0; r < tileRows; r++) code.get(cRows[r]).f64Load().set(scalars[r]); },
      2: () => { for (let r = 0; r < tileRows; r++) code.get(bias).get(j).i32(3).i32Shl().i32Add().f64Load().set(scalars[r]); },
      0: () => { for (let r = 0; r < tileRows; r++) code.f64(0).set(scalars[r]); },
    });
    code.i32(0).set(k);
    whileLoop(code, () => code.get(k).get(innerBytes).i32GeS(), () => {
      code.get(bPointer).f64Load().set(bScalar);
      for (let r = 0; r < tileRows; r++) code.get(scalars[r]).get(aRows[r]).get(k).i32Add().f64Load().get(bScalar).f64Mul().f64Add().set(scalars[r]);
      addTo(code, k, () => code.i32(8));
      addTo(code, bPointer, () => code.get(bStride));
    });
    code.get(scaled).if();
    for (let r = 0; r < tileRows; r++) code.get(cRows[r]).get(scalars[r]).get(scaleRows[r]).get(j).i32(3).i32Shl().i32Add().f64Load().f64Mul().f64Store();
    code.else();
    for (let r = 0; r < tileRows; r++) code.get(cRows[r]).get(scalars[r]).f64Store();
    code.end();
  };

  /** All columns for the rows i … i+tileRows−1: full tiles, then single vectors, then one scalar column. */
  const rowPanel = (tileRows: number): void => {
    const width = 2 * TILE_VECTORS;
    code.get(scaled).if();
    for (let r = 0; r < tileRows; r++) code.get(bias).get(i).i32(r).i32Add().get(groupRows).i32DivU().get(cStride).i32Mul().i32Add().set(scaleRows[r]);
    code.end();
    code.i32(0).set(j);
    whileLoop(code, () => code.get(j).i32(width).i32Add().get(cols).i32GtS(), () => {
      vectorTile(tileRows, TILE_VECTORS);
      addTo(code, j, () => code.i32(width));
    });
    whileLoop(code, () => code.get(j).i32(2).i32Add().get(cols).i32GtS(), () => {
      vectorTile(tileRows, 1);
      addTo(code, j, () => code.i32(2));
    });
    code.get(j).get(cols).i32LtS().if();
    scalarTile(tileRows);
    code.end();
  };

  code.i32(0).set(i);
  whileLoop(code, () => code.get(i).i32(TILE_ROWS).i32Add().get(rows).i32GtS(), () => {
    rowPanel(TILE_ROWS);
    addTo(code, i, () => code.i32(TILE_ROWS));
  });
  whileLoop(code, () => code.get(i).get(rows).i32GeS(), () => {
    rowPanel(1);
    addTo(code, i, () => code.i32(1));
  });
  return { name: 'multiply', parameters, results: [], code };
}

// ---------------------------------------------------------------------------------------------
// C ⟵ A·Bᵀ

function buildMultiplyTransposed(): FunctionDefinition {
  const parameters: ValueType[] = [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32];
  const code = new CodeBuilder(parameters.length);
  const [a, b, c, rows, inner, cols, lda, ldb, ldc, mode, bias] = parameters.map((_, index) => index);
  const aStride = code.local(I32), bStride = code.local(I32), cStride = code.local(I32), pairBytes = code.local(I32), innerBytes = code.local(I32);
  const i = code.local(I32), j = code.local(I32), k = code.local(I32), cPointer = code.local(I32);
  const aRows = Array.from({ length: TRANSPOSED_TILE_ROWS }, () => code.local(I32));
  const bRows = Array.from({ length: TRANSPOSED_TILE_COLS }, () => code.local(I32));
  const accumulators = Array.from({ length: TRANSPOSED_TILE_ROWS * TRANSPOSED_TILE_COLS }, () => code.local(V128));
  const aVector = code.local(V128);
  const bVectors = Array.from({ length: TRANSPOSED_TILE_COLS }, () => code.local(V128));
  const sum = code.local(F64);

  code.get(lda).i32(3).i32Shl().set(aStride);
  code.get(ldb).i32(3).i32Shl().set(bStride);
  code.get(ldc).i32(3).i32Shl().set(cStride);
  code.get(inner).i32(3).i32Shl().set(innerBytes);
  code.get(inner).i32(-2).i32And().i32(3).i32Shl().set(pairBytes); // bytes of the even part of the inner dimension

  const tile = (tileRows: number, tileCols: number): void => {
    for (let r = 0; r < tileRows; r++) code.get(a).get(i).i32(r).i32Add().get(aStride).i32Mul().i32Add().set(aRows[r]);
    for (let q = 0; q < tileCols; q++) code.get(b).get(j).i32(q).i32Add().get(bStride).i32Mul().i32Add().set(bRows[q]);
    const accumulator = (r: number, q: number): Local => accumulators[r * TRANSPOSED_TILE_COLS + q];
    for (let r = 0; r < tileRows; r++) for (let q = 0; q < tileCols; q++) code.f64x2Const(0).set(accumulator(r, q));
    code.i32(0).set(k);
    whileLoop(code, () => code.get(k).get(pairBytes).i32GeS(), () => {
      for (let q = 0; q < tileCols; q++) code.get(bRows[q]).get(k).i32Add().v128Load().set(bVectors[q]);
      for (let r = 0; r < tileRows; r++) {
        code.get(aRows[r]).get(k).i32Add().v128Load().set(aVector);
        for (let q = 0; q < tileCols; q++) code.get(accumulator(r, q)).get(aVector).get(bVectors[q]).f64x2Mul().f64x2Add().set(accumulator(r, q));
      }
      addTo(code, k, () => code.i32(16));
    });
    for (let r = 0; r < tileRows; r++) {
      for (let q = 0; q < tileCols; q++) {
        code.get(accumulator(r, q)).f64x2ExtractLane(0).get(accumulator(r, q)).f64x2ExtractLane(1).f64Add().set(sum);
        code.get(pairBytes).get(innerBytes).i32LtS().if(); // odd inner size: the last term
        code.get(sum).get(aRows[r]).get(pairBytes).i32Add().f64Load().get(bRows[q]).get(pairBytes).i32Add().f64Load().f64Mul().f64Add().set(sum);
        code.end();
        code.get(c).get(i).i32(r).i32Add().get(cStride).i32Mul().i32Add().get(j).i32(q).i32Add().i32(3).i32Shl().i32Add().set(cPointer);
        byMode(code, mode, {
          1: () => { code.get(cPointer).get(cPointer).f64Load().get(sum).f64Add().f64Store(); },
          2: () => { code.get(cPointer).get(bias).get(j).i32(q).i32Add().i32(3).i32Shl().i32Add().f64Load().get(sum).f64Add().f64Store(); },
          0: () => { code.get(cPointer).get(sum).f64Store(); },
        });
      }
    }
  };

  const rowPanel = (tileRows: number): void => {
    code.i32(0).set(j);
    whileLoop(code, () => code.get(j).i32(TRANSPOSED_TILE_COLS).i32Add().get(cols).i32GtS(), () => {
      tile(tileRows, TRANSPOSED_TILE_COLS);
      addTo(code, j, () => code.i32(TRANSPOSED_TILE_COLS));
    });
    whileLoop(code, () => code.get(j).get(cols).i32GeS(), () => {
      tile(tileRows, 1);
      addTo(code, j, () => code.i32(1));
    });
  };

  code.i32(0).set(i);
  whileLoop(code, () => code.get(i).i32(TRANSPOSED_TILE_ROWS).i32Add().get(rows).i32GtS(), () => {
    rowPanel(TRANSPOSED_TILE_ROWS);
    addTo(code, i, () => code.i32(TRANSPOSED_TILE_ROWS));
  });
  whileLoop(code, () => code.get(i).get(rows).i32GeS(), () => {
    rowPanel(1);
    addTo(code, i, () => code.i32(1));
  });
  return { name: 'multiplyTransposed', parameters, results: [], code };
}

// ---------------------------------------------------------------------------------------------
// target[g, r, k] = source[g, r, k] · scale[g, k]

function buildScaleRowGroups(): FunctionDefinition {
  const parameters: ValueType[] = [I32, I32, I32, I32, I32, I32, I32];
  const code = new CodeBuilder(parameters.length);
  const [source, sourceGroupStride, scale, target, groups, groupRows, cols] = parameters.map((_, index) => index);
  const rowBytes = code.local(I32), pairBytes = code.local(I32), g = code.local(I32), r = code.local(I32), k = code.local(I32);
  const sourceRow = code.local(I32), targetRow = code.local(I32), scaleRow = code.local(I32);
  code.get(cols).i32(3).i32Shl().set(rowBytes);
  code.get(cols).i32(-2).i32And().i32(3).i32Shl().set(pairBytes);
  code.i32(0).set(g);
  whileLoop(code, () => code.get(g).get(groups).i32GeS(), () => {
    code.get(source).get(g).get(sourceGroupStride).i32Mul().i32Add().set(sourceRow);
    code.get(scale).get(g).get(rowBytes).i32Mul().i32Add().set(scaleRow);
    code.get(target).get(g).get(groupRows).i32Mul().get(rowBytes).i32Mul().i32Add().set(targetRow);
    code.i32(0).set(r);
    whileLoop(code, () => code.get(r).get(groupRows).i32GeS(), () => {
      code.i32(0).set(k);
      whileLoop(code, () => code.get(k).get(pairBytes).i32GeS(), () => {
        code.get(targetRow).get(k).i32Add();
        code.get(sourceRow).get(k).i32Add().v128Load().get(scaleRow).get(k).i32Add().v128Load().f64x2Mul();
        code.v128Store();
        addTo(code, k, () => code.i32(16));
      });
      code.get(k).get(rowBytes).i32LtS().if();
      code.get(targetRow).get(k).i32Add();
      code.get(sourceRow).get(k).i32Add().f64Load().get(scaleRow).get(k).i32Add().f64Load().f64Mul();
      code.f64Store();
      code.end();
      addTo(code, sourceRow, () => code.get(rowBytes));
      addTo(code, targetRow, () => code.get(rowBytes));
      addTo(code, r, () => code.i32(1));
    });
    addTo(code, g, () => code.i32(1));
  });
  return { name: 'scaleRowGroups', parameters, results: [], code };
}

// ---------------------------------------------------------------------------------------------
// The reverse step of layer normalization on the sweep rows of each point

function buildLayerNormBackward(): FunctionDefinition {
  const parameters: ValueType[] = [I32, I32, I32, I32, I32, I32, F64];
  const code = new CodeBuilder(parameters.length);
  const [g, normalized, invStd, points, groupRows, width, inverseWidth] = parameters.map((_, index) => index);
  const rowBytes = code.local(I32), pairBytes = code.local(I32), p = code.local(I32), r = code.local(I32), k = code.local(I32);
  const row = code.local(I32), hatRow = code.local(I32);
  const sums = code.local(V128), dots = code.local(V128), means = code.local(V128), projections = code.local(V128), scales = code.local(V128);
  const sum = code.local(F64), dot = code.local(F64), scale = code.local(F64);
  code.get(width).i32(3).i32Shl().set(rowBytes);
  code.get(width).i32(-2).i32And().i32(3).i32Shl().set(pairBytes);
  code.get(g).set(row);
  code.i32(0).set(p);
  whileLoop(code, () => code.get(p).get(points).i32GeS(), () => {
    code.get(normalized).get(p).get(rowBytes).i32Mul().i32Add().set(hatRow);
    code.get(invStd).get(p).i32(3).i32Shl().i32Add().f64Load().tee(scale).f64x2Splat().set(scales);
    code.i32(0).set(r);
    whileLoop(code, () => code.get(r).get(groupRows).i32GeS(), () => {
      // Σ g and Σ g·x̂ over the row: f64x2 pairs, lanes summed, then the odd last element.
      code.f64x2Const(0).set(sums);
      code.f64x2Const(0).set(dots);
      code.i32(0).set(k);
      whileLoop(code, () => code.get(k).get(pairBytes).i32GeS(), () => {
        code.get(sums).get(row).get(k).i32Add().v128Load().f64x2Add().set(sums);
        code.get(dots).get(row).get(k).i32Add().v128Load().get(hatRow).get(k).i32Add().v128Load().f64x2Mul().f64x2Add().set(dots);
        addTo(code, k, () => code.i32(16));
      });
      code.get(sums).f64x2ExtractLane(0).get(sums).f64x2ExtractLane(1).f64Add().set(sum);
      code.get(dots).f64x2ExtractLane(0).get(dots).f64x2ExtractLane(1).f64Add().set(dot);
      code.get(k).get(rowBytes).i32LtS().if();
      code.get(sum).get(row).get(k).i32Add().f64Load().f64Add().set(sum);
      code.get(dot).get(row).get(k).i32Add().f64Load().get(hatRow).get(k).i32Add().f64Load().f64Mul().f64Add().set(dot);
      code.end();
      code.get(sum).get(inverseWidth).f64Mul().set(sum);
      code.get(dot).get(inverseWidth).f64Mul().set(dot);
      code.get(sum).f64x2Splat().set(means);
      code.get(dot).f64x2Splat().set(projections);
      // g ⟵ s·(g − mean − x̂·projection)
      code.i32(0).set(k);
      whileLoop(code, () => code.get(k).get(pairBytes).i32GeS(), () => {
        code.get(row).get(k).i32Add();
        code.get(scales);
        code.get(row).get(k).i32Add().v128Load().get(means).f64x2Sub();
        code.get(hatRow).get(k).i32Add().v128Load().get(projections).f64x2Mul().f64x2Sub();
        code.f64x2Mul().v128Store();
        addTo(code, k, () => code.i32(16));
      });
      code.get(k).get(rowBytes).i32LtS().if();
      code.get(row).get(k).i32Add();
      code.get(scale);
      code.get(row).get(k).i32Add().f64Load().get(sum).f64Sub();
      code.get(hatRow).get(k).i32Add().f64Load().get(dot).f64Mul().f64Sub();
      code.f64Mul().f64Store();
      code.end();
      addTo(code, row, () => code.get(rowBytes));
      addTo(code, r, () => code.i32(1));
    });
    addTo(code, p, () => code.i32(1));
  });
  return { name: 'layerNormBackward', parameters, results: [], code };
}

// ---------------------------------------------------------------------------------------------
// tanh and its derivative

/** expm1 Taylor coefficients 1/n!, n = 2 … EXPM1_TAYLOR_DEGREE. */
function expm1Coefficients(): number[] {
  let factorial = 1;
  const coefficients: number[] = [];
  for (let n = 1; n <= EXPM1_TAYLOR_DEGREE; n++) { factorial *= n; if (n >= 2) coefficients.push(1 / factorial); }
  return coefficients;
}

/** The f64x2 constants of the tanh code, held in locals set once per call (V8 rebuilds v128.const at every use). */
interface TanhConstants {
  clamp: Local; two: Local; inverseLn2: Local; magic: Local; ln2High: Local; ln2Low: Local; one: Local;
  exponentBias: Local; signMask: Local; coefficients: Local[];
}

function declareTanhConstants(code: CodeBuilder): TanhConstants {
  const constant = (value: number): Local => { const local = code.local(V128); code.f64x2Const(value).set(local); return local; };
  const exponentBias = code.local(V128), signMask = code.local(V128);
  code.i64x2ConstBits(0, 1023).set(exponentBias);
  code.i64x2ConstBits(0x80000000, 0).set(signMask);
  return {
    clamp: constant(TANH_CLAMP), two: constant(2), inverseLn2: constant(INVERSE_LN2), magic: constant(ROUNDING_MAGIC),
    ln2High: constant(LN2_HIGH), ln2Low: constant(LN2_LOW), one: constant(1),
    exponentBias, signMask, coefficients: expm1Coefficients().map(constant),
  };
}

/** Locals of one f64x2 lane pair in flight through the tanh code. */
interface TanhLanes { x: Local; value: Local; derivative: Local; y: Local; m: Local; kf: Local; r: Local; p: Local; u: Local; q: Local }

function declareTanhLanes(code: CodeBuilder): TanhLanes {
  const next = (): Local => code.local(V128);
  return { x: next(), value: next(), derivative: next(), y: next(), m: next(), kf: next(), r: next(), p: next(), u: next(), q: next() };
}

/**
 * For each lane pair in `lanes` (f64x2 input in `x`), leaves tanh in `value` and 1 − tanh² in
 * `derivative`. With u = expm1(2|x|): tanh|x| = u/(u+2), computed as 1 − 2/(u+2) once u > 2 — the
 * formulas of fdlibm (V8's Math.tanh), so values agree with Math.tanh to an ulp and mostly bitwise.
 * The derivative is 1 − t², the convention of activations.ts, the ONNX importer and PyTorch's
 * backward, so every path differentiates the same way. (4(u+1)/(u+2)² would avoid the cancellation
 * of 1 − t² for saturated units, but then MlpModel would disagree with those at ~1e-10 relative.)
 * Each step is emitted for all pairs before the next step, so the long dependency chain of the
 * polynomial of one pair overlaps with the others'.
 */
function emitTanh(code: CodeBuilder, lanes: TanhLanes[], c: TanhConstants): void {
  const each = (step: (lane: TanhLanes) => void): void => lanes.forEach(step);
  each(({ x, y }) => code.get(x).f64x2Abs().get(c.clamp).f64x2Min().get(c.two).f64x2Mul().set(y));
  each(({ y, m }) => code.get(y).get(c.inverseLn2).f64x2Mul().get(c.magic).f64x2Add().set(m));
  each(({ m, kf }) => code.get(m).get(c.magic).f64x2Sub().set(kf));
  each(({ y, kf, r }) => code.get(y).get(kf).get(c.ln2High).f64x2Mul().f64x2Sub().get(kf).get(c.ln2Low).f64x2Mul().f64x2Sub().set(r));
  // expm1(r) = r + r²·Σ_{n=2}^{14} r^{n−2}/n!
  const coefficients = c.coefficients;
  each(({ p }) => code.get(coefficients[coefficients.length - 1]).set(p));
  for (let index = coefficients.length - 2; index >= 0; index--) each(({ p, r }) => code.get(p).get(r).f64x2Mul().get(coefficients[index]).f64x2Add().set(p));
  each(({ p, r }) => code.get(r).get(r).get(r).f64x2Mul().get(p).f64x2Mul().f64x2Add().set(p)); // p = expm1(r)
  // s = 2^k from the integer sitting in the low bits of m; u = s·expm1(r) + (s − 1).
  each(({ m, kf }) => code.get(m).get(c.magic).i64x2Sub().get(c.exponentBias).i64x2Add().i32(52).i64x2Shl().set(kf)); // kf ⟵ s
  each(({ kf, p, u }) => code.get(kf).get(p).f64x2Mul().get(kf).get(c.one).f64x2Sub().f64x2Add().set(u));
  each(({ u, q }) => code.get(c.one).get(u).get(c.two).f64x2Add().f64x2Div().set(q));
  // tanh|x| = u·q, or 1 − 2q once u > 2 (t > 1/2), which is accurate right up to t = 1.
  each(({ u, q, x, value }) => {
    code.get(c.one).get(q).get(c.two).f64x2Mul().f64x2Sub().get(u).get(q).f64x2Mul();
    code.get(c.two).get(u).f64x2Lt().v128Bitselect(); // bitselect(1 − 2q, u·q, 2 < u)
    code.get(x).get(c.signMask).v128And().v128Or().set(value);
  });
  each(({ value, derivative }) => code.get(c.one).get(value).get(value).f64x2Mul().f64x2Sub().set(derivative));
}

/** Lane pairs the main tanh loop keeps in flight (8 values per iteration). */
const TANH_PAIRS_PER_STEP = 4;

function buildTanh(): FunctionDefinition {
  const parameters: ValueType[] = [I32, I32, I32, I32, I32];
  const code = new CodeBuilder(parameters.length);
  const [input, value, derivative, count, withDerivative] = parameters.map((_, index) => index);
  const offset = code.local(I32), pairBytes = code.local(I32), stepBytes = code.local(I32);
  const lanes = Array.from({ length: TANH_PAIRS_PER_STEP }, () => declareTanhLanes(code));
  const constants = declareTanhConstants(code);
  const storeLanes = (group: TanhLanes[]): void => {
    group.forEach((lane, g) => code.get(value).get(offset).i32Add().get(lane.value).v128Store(16 * g));
    code.get(withDerivative).if();
    group.forEach((lane, g) => code.get(derivative).get(offset).i32Add().get(lane.derivative).v128Store(16 * g));
    code.end();
  };
  const stepValues = 2 * TANH_PAIRS_PER_STEP;
  code.get(count).i32(-stepValues).i32And().i32(3).i32Shl().set(stepBytes);
  code.get(count).i32(-2).i32And().i32(3).i32Shl().set(pairBytes);
  code.i32(0).set(offset);
  whileLoop(code, () => code.get(offset).get(stepBytes).i32GeS(), () => {
    lanes.forEach((lane, g) => code.get(input).get(offset).i32Add().v128Load(16 * g).set(lane.x));
    emitTanh(code, lanes, constants);
    storeLanes(lanes);
    addTo(code, offset, () => code.i32(16 * TANH_PAIRS_PER_STEP));
  });
  const single = [lanes[0]];
  whileLoop(code, () => code.get(offset).get(pairBytes).i32GeS(), () => {
    code.get(input).get(offset).i32Add().v128Load().set(single[0].x);
    emitTanh(code, single, constants);
    storeLanes(single);
    addTo(code, offset, () => code.i32(16));
  });
  code.get(count).i32(1).i32And().if(); // odd count: the last element through lane 0
  code.get(input).get(offset).i32Add().v128Load64Splat().set(single[0].x);
  emitTanh(code, single, constants);
  code.get(value).get(offset).i32Add().get(single[0].value).f64x2ExtractLane(0).f64Store();
  code.get(withDerivative).if().get(derivative).get(offset).i32Add().get(single[0].derivative).f64x2ExtractLane(0).f64Store().end();
  code.end();
  return { name: 'tanh', parameters, results: [], code };
}

/** The module bytes (about 10 KB); deterministic, so building them at load time is as good as embedding them. */
export function buildKernelModule(tile = { rows: MULTIPLY_TILE_ROWS, vectors: MULTIPLY_TILE_VECTORS, unroll: 1 }): Uint8Array<ArrayBuffer> {
  return encodeModule([buildMultiply(tile.rows, tile.vectors, tile.unroll), buildMultiplyTransposed(), buildScaleRowGroups(), buildTanh(), buildLayerNormBackward()], INITIAL_PAGES);
}
