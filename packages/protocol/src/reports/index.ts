/**
 * Police care reports: the rules of the form beyond its schema (`CareReport` in
 * `@zegel/protocol/api`), shared by the browser and the server. Imported as `@zegel/protocol/reports`.
 */

export {
  checkCareReport,
  type ReportProblem,
  ReportProblemCode,
  veiligThuisWarning,
} from './check-report.ts';
export { sampleCareReport } from './sample-report.ts';
