import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, createOrganisationWithAdmin, type TestUser } from '../../../test/factories.ts';
import {
  type FakeLocatieserver,
  fakeAddresses,
  startFakeLocatieserver,
} from '../../../test/fake-locatieserver.ts';
import { Browser, createTestApp, type TestApp } from '../../../test/harness.ts';

let t: TestApp;
let locatieserver: FakeLocatieserver;
let policeAdmin: TestUser;
let officer: TestUser;
let meldpuntMember: TestUser;
let otherAdmin: TestUser;
let teamId: string;

const header = 'naam,organisatie,gemeentecodes,openingstijden,aparte_politieroute,kanalen';
const directoryCsv = () =>
  `${header}\r\nMeldpunt Zorg Utrecht,Gemeente Utrecht,0344 0353,"ma-vr 9-17, za 10-12",nee,team:${teamId} email:meldpunt@utrecht.example\r\n`;

beforeAll(async () => {
  locatieserver = await startFakeLocatieserver(fakeAddresses);
  t = await createTestApp({ config: { locatieserverUrl: locatieserver.url } });
  ({ admin: policeAdmin } = await createOrganisationWithAdmin(t, 'Politie Midden-Nederland'));
  officer = await createMember(t, policeAdmin);
  const municipality = await createOrganisationWithAdmin(t, 'Gemeente Utrecht');
  otherAdmin = municipality.admin;
  meldpuntMember = await createMember(t, otherAdmin);
  const team = await otherAdmin.browser.post('/api/admin/teams', { name: 'Meldpunt Zorg', description: '' });
  teamId = team.json().id;
});
afterAll(async () => {
  await t.close();
  await locatieserver.close();
});

describe('the meldpunt directory', () => {
  it('imports a CSV, lists it and exports it back in the same form', async () => {
    const imported = await policeAdmin.browser.post('/api/admin/reports/meldpunten/import', {
      csv: directoryCsv(),
    });
    expect(imported.statusCode).toBe(200);
    expect(imported.json().meldpunten).toEqual([
      expect.objectContaining({
        name: 'Meldpunt Zorg Utrecht',
        gemeentecodes: ['0344', '0353'],
        separatePoliceRoute: false,
        channels: [
          { kind: 'team', teamId },
          { kind: 'email', address: 'meldpunt@utrecht.example' },
        ],
      }),
    ]);
    const exported = await policeAdmin.browser.get('/api/admin/reports/meldpunten.csv');
    expect(exported.headers['content-type']).toContain('text/csv');
    expect(exported.body).toBe(directoryCsv());
  });

  it('refuses a file with bad lines whole, naming every problem, and keeps the old directory', async () => {
    await policeAdmin.browser.post('/api/admin/reports/meldpunten/import', { csv: directoryCsv() });
    const bad = [
      header,
      `A,Gemeente A,344,,misschien,team:${crypto.randomUUID()}`,
      'B,Gemeente B,0344,,ja,fax:0301234567',
      'C,Gemeente C,0353,,nee,email:c@c.example',
      `D,Gemeente D,0500,,nee,team:${crypto.randomUUID()}`,
    ].join('\n');
    const response = await policeAdmin.browser.post('/api/admin/reports/meldpunten/import', { csv: bad });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
    const lines = response.json().error.details.lines as { line: number; error: string }[];
    expect(lines.map((l) => l.line)).toEqual([2, 2, 3]);
    expect(lines.map((l) => l.error).join('\n')).toMatch(/"344" is not a CBS gemeentecode/);
    const unknownTeam = `${header}\nD,Gemeente D,0500,,nee,team:${crypto.randomUUID()}`;
    const refused = await policeAdmin.browser.post('/api/admin/reports/meldpunten/import', {
      csv: unknownTeam,
    });
    expect(refused.json().error.details.lines[0].error).toMatch(/no team .* on this installation/);
    const twice = `${header}\nA,A,0344,,nee,email:a@a.example\nB,B,0344,,nee,email:b@b.example`;
    const overlap = await policeAdmin.browser.post('/api/admin/reports/meldpunten/import', { csv: twice });
    expect(overlap.json().error.details.lines).toEqual([
      { line: 3, error: 'gemeente 0344 is already covered on line 2' },
    ]);
    const kept = (await policeAdmin.browser.get('/api/admin/reports/meldpunten')).json().meldpunten;
    expect(kept.map((m: { name: string }) => m.name)).toEqual(['Meldpunt Zorg Utrecht']);
  });

  it('lets two imports at once take turns: the last one wins whole', async () => {
    const [first, second] = await Promise.all(
      ['0344', '0353'].map((code) =>
        policeAdmin.browser.post('/api/admin/reports/meldpunten/import', {
          csv: `${header}\nX,X,${code},,nee,email:x@x.example`,
        }),
      ),
    );
    expect([first?.statusCode, second?.statusCode]).toEqual([200, 200]);
    expect((await policeAdmin.browser.get('/api/admin/reports/meldpunten')).json().meldpunten).toHaveLength(
      1,
    );
  });

  it('records the import in the audit trail', async () => {
    await policeAdmin.browser.post('/api/admin/reports/meldpunten/import', { csv: directoryCsv() });
    const audit = (await policeAdmin.browser.get('/api/admin/audit?limit=50')).json().events as {
      action: string;
    }[];
    expect(audit.some((e) => e.action === 'report.directory_imported')).toBe(true);
  });

  it('belongs to its organisation: another admin sees an empty directory, members and anonymous none', async () => {
    await policeAdmin.browser.post('/api/admin/reports/meldpunten/import', { csv: directoryCsv() });
    expect((await otherAdmin.browser.get('/api/admin/reports/meldpunten')).json()).toEqual({
      meldpunten: [],
    });
    for (const user of [officer, meldpuntMember]) {
      expect((await user.browser.get('/api/admin/reports/meldpunten')).statusCode).toBe(403);
      expect((await user.browser.get('/api/admin/reports/meldpunten.csv')).statusCode).toBe(403);
      expect(
        (await user.browser.post('/api/admin/reports/meldpunten/import', { csv: header })).statusCode,
      ).toBe(403);
    }
    expect((await new Browser(t.app).get('/api/admin/reports/meldpunten.csv')).statusCode).toBe(401);
  });
});

describe('routing a report', () => {
  const route = (user: TestUser | Browser, body: object) =>
    ('browser' in user ? user.browser : user).post('/api/reports/route', body);

  it('finds the municipality through the Locatieserver and the meldpunt that covers it', async () => {
    await policeAdmin.browser.post('/api/admin/reports/meldpunten/import', { csv: directoryCsv() });
    const response = await route(officer, { postcode: '3511 ab', houseNumber: 12, addition: 'bis' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      municipality: { code: '0344', name: 'Utrecht' },
      address: 'Voorbeeldstraat 12bis, 3511AB Utrecht',
      meldpunt: { name: 'Meldpunt Zorg Utrecht' },
    });
    const asked = locatieserver.requests.at(-1);
    expect(asked?.pathname).toBe('/free');
    expect(asked?.searchParams.getAll('fq')).toEqual(['postcode:3511AB', 'huisnummer:12', 'type:adres']);
    const audit = (await policeAdmin.browser.get('/api/admin/audit?limit=50')).json().events as {
      action: string;
      details: unknown;
    }[];
    const routed = audit.find((e) => e.action === 'report.routed');
    expect(routed?.details).toEqual({ gemeentecode: '0344' });
    expect(JSON.stringify(audit)).not.toContain('3511');
  });

  it('says clearly when no meldpunt covers the municipality, never a default', async () => {
    await policeAdmin.browser.post('/api/admin/reports/meldpunten/import', { csv: directoryCsv() });
    const response = await route(officer, { postcode: '3941AA', houseNumber: 1 });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe('meldpunt_not_found');
    expect(response.json().error.message).toContain('Utrechtse Heuvelrug');
    expect(response.json().error.details).toEqual({
      municipality: { code: '1581', name: 'Utrechtse Heuvelrug' },
    });
  });

  it('uses only the caller’s own organisation’s directory', async () => {
    await policeAdmin.browser.post('/api/admin/reports/meldpunten/import', { csv: directoryCsv() });
    for (const user of [meldpuntMember, otherAdmin]) {
      const response = await route(user, { postcode: '3511AB', houseNumber: 12 });
      expect(response.json().error.code).toBe('meldpunt_not_found');
    }
    expect((await route(policeAdmin, { postcode: '3511AB', houseNumber: 12 })).statusCode).toBe(200);
    expect((await route(new Browser(t.app), { postcode: '3511AB', houseNumber: 12 })).statusCode).toBe(401);
  });

  it('refuses a bad postcode or house number, and an unknown address, with clear 4xx answers', async () => {
    for (const body of [
      { postcode: '0511AB', houseNumber: 12 },
      { postcode: '3511 A', houseNumber: 12 },
      { postcode: '3511AB', houseNumber: 0 },
      { postcode: '3511AB' },
    ])
      expect((await route(officer, body)).json().error.code).toBe('validation_failed');
    const unknown = await route(officer, { postcode: '9999ZZ', houseNumber: 1 });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.code).toBe('address_not_found');
  });

  it('answers 503 when the Locatieserver fails or answers garbage', async () => {
    for (const mode of ['error', 'garbage'] as const) {
      locatieserver.mode = mode;
      const response = await route(officer, { postcode: '3511AB', houseNumber: 12 });
      expect(response.statusCode).toBe(503);
      expect(response.json().error.code).toBe('location_service_unavailable');
    }
    locatieserver.mode = 'ok';
  });
});
