// Entry of src/report/: text tables, self-contained HTML pages with SVG charts.
// Other folders import from this folder only through this file (test/architecture.test.ts), so it
// lists what they use: add a name here when another folder needs it.
export { barChart, heatmapChart, histogramChart, lineChart } from './charts.ts';
export { escapeHtml, htmlFacts, htmlFigure, htmlPage, htmlParagraph, htmlStatus, htmlTable } from './html.ts';
export type { HtmlSection } from './html.ts';
export { analysisHtml, analysisText } from './invertibility.ts';
export { textTable } from './table.ts';
export type { TableCell } from './table.ts';
