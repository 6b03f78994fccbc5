// Entry of src/linalg/: Float64 matrices and batches, one-sided Jacobi SVD, pinv, lstsq, LU, Cholesky, eigenvalues (Hessenberg QR), PCA, low rank, statistics, seeded random numbers, argument validators over matrices; `gemm/` the matrix-product backends (JS and WebAssembly SIMD).
// Other folders import from this folder only through this file (test/architecture.test.ts), so it
// lists what they use: add a name here when another folder needs it.
export { MatrixBatch } from './batch.ts';
export { cholesky, choleskyFactor, choleskyInPlace, choleskySolve, choleskySolveInPlace } from './cholesky.ts';
export { eigenvalues } from './eigenvalues.ts';
export { activeWasmKernels, kernelBackend, multiply as gemmMultiply, multiplyTransposed, setKernelBackend, tanh, wasmSimdAvailable } from './gemm/index.ts';
export type { KernelBackend } from './gemm/index.ts';
export { ProductMode, columnSums, multiplyTransposedJs, transposeInto } from './gemm/js-backend.ts';
export type { Strided } from './gemm/js-backend.ts';
export { createFloat32KernelsJs } from './gemm/js-float32.ts';
export type { WasmKernels } from './gemm/wasm-backend.ts';
export { CodeBuilder, F64, I32, V128, encodeModule, whileLoop } from './gemm/wasm-encoder.ts';
export { createFloat32Kernels, float32KernelsAvailable } from './gemm/wasm-float32.ts';
export type { Float32Kernels } from './gemm/wasm-float32.ts';
export { SCALED_ROWS_MODE, buildKernelModule } from './gemm/wasm-module.ts';
export { compileKernelModule, instantiateKernelModule } from './gemm/wasm-runtime.ts';
export { JACOBI_MAX_SWEEPS, jacobiToleranceSquared } from './jacobi-rotation.ts';
export { lowRank, rankForRelativeError } from './low-rank.ts';
export type { LowRankResult } from './low-rank.ts';
export { leftInverse, lstsq, rightInverse } from './lstsq.ts';
export type { LstsqKind, LstsqResult } from './lstsq.ts';
export { adjugate, determinant, inverse, lu, pivotTolerance, solve } from './lu.ts';
export type { LuResult } from './lu.ts';
export { Matrix, frobeniusNorm, multiply, multiplyVector, norm2, toVector } from './matrix.ts';
export type { MatrixLike, VectorLike } from './matrix.ts';
export { LOST_VARIANCE_WARNING, SCALE_SPREAD_WARNING, fitPca } from './pca.ts';
export type { Pca, PcaOptions } from './pca.ts';
export { cond, dampedPinv, nullSpace, nullSpaceProjector, pinv, pseudoInverseFromSvd, rank, svdRank } from './pinv.ts';
export type { RtolOptions } from './pinv.ts';
export { Random } from './random.ts';
export { columnMeanAndStd, mean, median, sortedQuantile } from './statistics.ts';
export { SvdWorkspace, completeOrthonormalRow, jacobiSingularValues, jacobiSvd, jacobiWorkSize, orthogonalizeRows, singularValues, spectrumBatch, svd, svdBatch } from './svd.ts';
export type { SpectrumBatchResult, SvdBatchResult, SvdOptions, SvdResult } from './svd.ts';
export { EPSILON, defaultRtol, numericalRank } from './tolerance.ts';
export { assertCount, assertSquare, resolveRtol } from './validate.ts';
