// The public linear-algebra API of inversa in one import: matrix types, typed errors, seeded random
// numbers, decompositions (SVD, LU, Cholesky), pseudo-inverses and least squares, low-rank
// approximation, PCA and the seed-004 gradient-descent inverse.
export * from './matrix.ts';
export * from './batch.ts';
export * from './errors.ts';
export * from './random.ts';
export * from './tolerance.ts';
export * from './validate.ts';
export * from './options.ts';
export * from './svd.ts';
export * from './lu.ts';
export * from './cholesky.ts';
export * from './pinv.ts';
export * from './lstsq.ts';
export * from './low-rank.ts';
export * from './pca.ts';
export * from './gradient-descent-inverse.ts';
