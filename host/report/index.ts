// The report API: pure functions from a BenchResult to text, markdown, HTML and files.
export { deriveEvidence, deriveOverhead, deriveSpeedups, completeModels, withDerived } from './overhead.ts';
export { renderTerminal } from './terminal.ts';
export { renderMarkdown } from './markdown.ts';
export { renderHtml, chartSpecs } from './html.ts';
export { writeReport, type ReportPaths } from './write.ts';
export { seedF769, kerasFlops, appModel } from './seed.ts';
export { modelRows, tflmArenaBytes } from './models.ts';
