// Entry of src/core/: error classes, number formatting, JSON, resource limits (and any validator that needs nothing else).
// Other folders import from this folder only through this file (test/architecture.test.ts), so it
// lists what they use: add a name here when another folder needs it.
export { InvalidArgumentError, InversaError, NonFiniteError, ShapeError, SingularMatrixError, UsageError, assertFinite, shapeText } from './errors.ts';
export { formatCount, formatNumber, formatPercent, formatSeconds } from './format.ts';
export { stringifyJson } from './json.ts';
export { ResourceLimitError, budgetText, checkWithinLimit, formatBytes, memoryBudgetBytes } from './limits.ts';
export { checkChoice, checkFiniteArray, checkInteger, checkIntegerList, checkNonNegative, checkNumber, checkPositive, checkProbability, numberFromText, parseNumberText } from './options.ts';
export type { AcceptedRange } from './options.ts';
