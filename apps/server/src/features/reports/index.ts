/**
 * Police care reports (niet-acute zorgmelding, issue 16): the meldpunt directory with its CSV
 * import and export, and routing a report to the meldpunt of the person's municipality (found
 * through the PDOK Locatieserver). See docs/reports.md.
 */
export { registerReportRoutes } from './routes.ts';
