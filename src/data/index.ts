// Entry of src/data/: CSV cell rules, built-in datasets (`datasets/`: arm, plant, sine, ballistics).
// Other folders import from this folder only through this file (test/architecture.test.ts), so it
// lists what they use: add a name here when another folder needs it.
export { cellProblem, closestName, firstRowKind, looksNumeric, parseCell, spreadsheetErrorLine } from './cells.ts';
export { DATASETS, datasetCsvComment, datasetNames, generateDataset, getDataset } from './datasets/index.ts';
