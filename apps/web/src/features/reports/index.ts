/**
 * Police care reports: finding the meldpunt for an address, and the meldpunt directory's admin
 * section. The report form follows (issue 16, docs/reports.md).
 */
export { MeldpuntDirectorySection } from './directory-section.tsx';
export { FindMeldpuntPage } from './find-meldpunt-page.tsx';
