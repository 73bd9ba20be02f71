import type { CareReport } from '../api/reports.ts';
import { isValidBsn } from '../dlp/checksums.ts';

/** One thing wrong with a report, at a JSON pointer into it, in Dutch first and in English. */
export interface ReportProblem {
  path: string;
  code: ReportProblemCode;
  nl: string;
  en: string;
}

export const ReportProblemCode = {
  bsnInvalid: 'bsn_invalid',
  dateInFuture: 'date_in_future',
  dateInvalid: 'date_invalid',
  required: 'required',
  veiligThuis: 'veilig_thuis',
} as const;
export type ReportProblemCode = (typeof ReportProblemCode)[keyof typeof ReportProblemCode];

const problem = (path: string, code: ReportProblemCode, nl: string, en: string): ReportProblem => ({
  path,
  code,
  nl,
  en,
});

/** A real calendar day (`2023-02-30` is not), as a time, or null. */
function parseDate(value: string): number | null {
  const time = Date.parse(value);
  if (Number.isNaN(time)) return null;
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (day && new Date(Date.UTC(+day[1]!, +day[2]! - 1, +day[3]!)).getUTCDate() !== +day[3]!) return null;
  return time;
}

function checkPast(path: string, value: string | undefined, now: Date, label: [string, string]) {
  if (value === undefined) return [];
  const time = parseDate(value);
  if (time === null)
    return [
      problem(path, 'date_invalid', `${label[0]} is geen geldige datum.`, `${label[1]} is not a valid date.`),
    ];
  if (time > now.getTime())
    return [
      problem(path, 'date_in_future', `${label[0]} ligt in de toekomst.`, `${label[1]} is in the future.`),
    ];
  return [];
}

function checkPerson(person: CareReport['person'], now: Date): ReportProblem[] {
  const problems: ReportProblem[] = [];
  if (person.bsn !== undefined && !isValidBsn(person.bsn))
    problems.push(
      problem(
        '/person/bsn',
        'bsn_invalid',
        'Dit BSN klopt niet (elfproef). Controleer de cijfers of laat het veld leeg.',
        'This BSN is not valid (elfproef). Check the digits or leave it empty.',
      ),
    );
  problems.push(
    ...checkPast('/person/dateOfBirth', person.dateOfBirth, now, ['De geboortedatum', 'The date of birth']),
  );
  const born: [string, string] = ['De geboortedatum', 'The date of birth'];
  for (const [i, other] of person.othersInvolved.entries())
    problems.push(...checkPast(`/person/othersInvolved/${i}/dateOfBirth`, other.dateOfBirth, now, born));
  return problems;
}

function checkAnswers(report: CareReport): ReportProblem[] {
  const problems: ReportProblem[] = [];
  if (!report.informing.informed && !report.informing.reasonNotInformed?.trim())
    problems.push(
      problem(
        '/informing/reasonNotInformed',
        'required',
        'Vul in waarom de betrokkene niet is geïnformeerd.',
        'Say why the person concerned was not informed.',
      ),
    );
  if (report.situation.safetyRisk && !report.situation.safetyRiskNote?.trim())
    problems.push(
      problem(
        '/situation/safetyRiskNote',
        'required',
        'Beschrijf het veiligheidsrisico voor hulpverleners.',
        'Describe the safety risk for care workers.',
      ),
    );
  if (!report.reporter.phone?.trim() && !report.reporter.email)
    problems.push(
      problem(
        '/reporter/phone',
        'required',
        'Vul een telefoonnummer of e-mailadres in waarop u bereikbaar bent.',
        'Give a phone number or e-mail address where you can be reached.',
      ),
    );
  return problems;
}

/**
 * The rules of a report beyond its schema, run in the browser before sending (and on the server
 * wherever it sees the plaintext, as for the PDF channel). An empty list: the report may go.
 * `now` is the caller's clock, so the incident and dates of birth cannot lie in the future.
 */
export function checkCareReport(report: CareReport, now: Date): ReportProblem[] {
  return [
    ...checkPerson(report.person, now),
    ...checkPast('/incident/occurredAt', report.incident.occurredAt, now, ['Het incident', 'The incident']),
    ...checkAnswers(report),
  ];
}

/**
 * The warning before sending a niet-acute zorgmelding that involves children or domestic
 * violence: such a report belongs with Veilig Thuis (JZV `soort` VT). A warning, not a block.
 */
export function veiligThuisWarning(report: CareReport): ReportProblem | null {
  if (report.kind !== 'NAZ') return null;
  if (
    !report.situation.minorsInHousehold &&
    !report.situation.domesticViolence &&
    !report.person.othersInvolved.some((o) => o.isMinor)
  )
    return null;
  return problem(
    '/kind',
    'veilig_thuis',
    'Er zijn kinderen of huiselijk geweld betrokken: meld dit bij Veilig Thuis in plaats van bij het meldpunt niet-acute zorg.',
    'Children or domestic violence are involved: report this to Veilig Thuis instead of the meldpunt niet-acute zorg.',
  );
}
