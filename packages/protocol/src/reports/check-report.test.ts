import { describe, expect, it } from 'vitest';
import type { CareReport } from '../api/reports.ts';
import { checkCareReport, sampleCareReport, veiligThuisWarning } from './index.ts';

const now = new Date('2026-12-03T12:00:00Z');
const codesOf = (report: CareReport) => checkCareReport(report, now).map((p) => `${p.path} ${p.code}`);
const change = (edit: (r: CareReport) => void): CareReport => {
  const copy = structuredClone(sampleCareReport);
  edit(copy);
  return copy;
};

describe('checkCareReport', () => {
  it('passes the sample report', () => {
    expect(codesOf(sampleCareReport)).toEqual([]);
  });

  it('refuses a BSN that fails the elfproef, with a Dutch and an English message', () => {
    const problems = checkCareReport(
      change((r) => {
        r.person.bsn = '111222334';
      }),
      now,
    );
    expect(problems.map((p) => p.code)).toEqual(['bsn_invalid']);
    expect(problems[0]?.nl).toContain('elfproef');
    expect(problems[0]?.en).toContain('elfproef');
    expect(
      codesOf(
        change((r) => {
          delete r.person.bsn;
        }),
      ),
    ).toEqual([]);
  });

  it('refuses an incident in the future and accepts one a minute ago', () => {
    expect(
      codesOf(
        change((r) => {
          r.incident.occurredAt = '2026-12-03T12:01:00Z';
        }),
      ),
    ).toEqual(['/incident/occurredAt date_in_future']);
    expect(
      codesOf(
        change((r) => {
          r.incident.occurredAt = '2026-12-03T11:59:00Z';
        }),
      ),
    ).toEqual([]);
  });

  it('refuses impossible and future dates of birth, also of others involved', () => {
    expect(
      codesOf(
        change((r) => {
          r.person.dateOfBirth = '1951-02-30';
        }),
      ),
    ).toEqual(['/person/dateOfBirth date_invalid']);
    const child = { name: 'K. Jansen', relation: 'kleinkind', dateOfBirth: '2027-01-01', isMinor: true };
    expect(
      codesOf(
        change((r) => {
          r.person.othersInvolved = [child];
        }),
      ),
    ).toEqual(['/person/othersInvolved/0/dateOfBirth date_in_future']);
  });

  it('requires the answers other answers call for', () => {
    const report = change((r) => {
      r.informing = { informed: false };
      r.situation.safetyRisk = true;
      r.reporter = { name: 'A', unit: 'B' };
    });
    expect(codesOf(report)).toEqual([
      '/informing/reasonNotInformed required',
      '/situation/safetyRiskNote required',
      '/reporter/phone required',
    ]);
  });
});

describe('veiligThuisWarning', () => {
  it('warns when children or domestic violence are involved, only for a NAZ report', () => {
    expect(veiligThuisWarning(sampleCareReport)).toBeNull();
    expect(
      veiligThuisWarning(
        change((r) => {
          r.situation.domesticViolence = true;
        }),
      )?.code,
    ).toBe('veilig_thuis');
    const minor = { name: 'K', relation: 'kind', isMinor: true };
    expect(
      veiligThuisWarning(
        change((r) => {
          r.person.othersInvolved = [minor];
        }),
      )?.nl,
    ).toContain('Veilig Thuis');
    expect(
      veiligThuisWarning(
        change((r) => {
          r.kind = 'VT';
          r.situation.minorsInHousehold = true;
        }),
      ),
    ).toBeNull();
  });
});
