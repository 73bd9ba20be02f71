import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acceptCareInvitation,
  careOrganisation,
  signInPeopleAgain,
  signInStaffAgain,
  type TestPerson,
} from '../../../test/care.ts';
import { type TestUser, uniqueEmail } from '../../../test/factories.ts';
import { Browser, createTestApp, type TestApp } from '../../../test/harness.ts';

const DAY = 86_400_000;
let t: TestApp;
let hostAdmin: TestUser;
let coordinator: TestUser;
let hostColleague: TestUser;
let otherAdmin: TestUser;
let professional: TestUser;
let lateProfessional: TestUser;
let client: TestPerson;
let carer: TestPerson;
let representative: TestPerson;
let networkId: string;
/** Moves the clock on whole days; everyone signs in again (sessions do not last days). */
async function daysLater(days: number) {
  t.clock.advance(days * DAY);
  await signInStaffAgain(t, [
    hostAdmin,
    coordinator,
    hostColleague,
    otherAdmin,
    professional,
    lateProfessional,
  ]);
  await signInPeopleAgain(t, [client, carer, representative]);
}
let hostId: string;
const members: Record<string, string> = {};
const clientEmail = uniqueEmail('client');
const carerEmail = uniqueEmail('carer');
const representativeEmail = uniqueEmail('mentor');

const url = (path = '') => `/api/care-networks/${networkId}${path}`;
const memberCount = async () => (await coordinator.browser.get(url())).json().members.length;

beforeAll(async () => {
  t = await createTestApp();
  const host = await careOrganisation(t, 'Thuiszorg West', 2);
  const other = await careOrganisation(t, 'Huisartsenpraktijk Oost', 2);
  hostAdmin = host.admin;
  hostId = host.id;
  [coordinator, hostColleague] = host.staff as [TestUser, TestUser];
  otherAdmin = other.admin;
  [professional, lateProfessional] = other.staff as [TestUser, TestUser];
});
afterAll(async () => {
  await t.close();
});

describe('the open week', () => {
  it('a coordinator creates a network for a client, who is invited to a personal account', async () => {
    const created = await coordinator.browser.post('/api/care-networks', {
      name: 'Netwerk mevrouw Jansen',
      client: { name: 'Els Jansen', email: clientEmail },
      legalBasis: 'behandelovereenkomst',
      function: 'Wijkverpleegkundige',
    });
    expect(created.statusCode).toBe(201);
    networkId = created.json().id;
    client = await acceptCareInvitation(t, clientEmail);
    const view = (await client.browser.get(url())).json();
    expect(view).toMatchObject({ myRole: 'client', isLocked: false, hostOrganisationName: 'Thuiszorg West' });
    expect(view.members.map((m: { role: string }) => m.role)).toEqual(['client', 'coordinator']);
    members.client = view.members.find((m: { role: string }) => m.role === 'client').id;
  });

  it('members added in the first week join at once: a professional of another organisation, a carer, a representative', async () => {
    const addPro = await coordinator.browser.post(url('/members'), {
      role: 'professional',
      userId: professional.id,
      function: 'Huisarts',
      legalBasis: 'behandelovereenkomst',
    });
    expect(addPro.statusCode).toBe(200);
    expect(addPro.json()).toMatchObject({
      outcome: 'joined',
      member: {
        role: 'professional',
        kind: 'staff',
        organisationName: 'Huisartsenpraktijk Oost',
        function: 'Huisarts',
      },
    });
    members.professional = addPro.json().member.id;
    const addCarer = await coordinator.browser.post(url('/members'), {
      role: 'carer',
      name: 'Piet Jansen',
      email: carerEmail,
      legalBasis: 'toestemming',
      consentRecord: { kind: 'written', reference: 'formulier 2026-114' },
    });
    expect(addCarer.json()).toMatchObject({ outcome: 'joined', member: { role: 'carer', kind: 'person' } });
    members.carer = addCarer.json().member.id;
    carer = await acceptCareInvitation(t, carerEmail);
    const addRep = await coordinator.browser.post(url('/members'), {
      role: 'representative',
      name: 'Mr. A. Mentor',
      email: representativeEmail,
      legalBasis: 'wettelijke_taak',
      scope: 'mentorschap: zorg en welzijn',
      endsAt: new Date(t.clock.now().getTime() + 30 * DAY).toISOString(),
    });
    expect(addRep.json()).toMatchObject({
      outcome: 'joined',
      member: { scope: 'mentorschap: zorg en welzijn' },
    });
    members.representative = addRep.json().member.id;
    representative = await acceptCareInvitation(t, representativeEmail);
    expect((await professional.browser.get(url())).json().myRole).toBe('professional');
    expect((await carer.browser.get(url())).json().myRole).toBe('carer');
  });

  it('consent as legal basis needs its record in the open week', async () => {
    const response = await coordinator.browser.post(url('/members'), {
      role: 'carer',
      name: 'Zonder Formulier',
      email: uniqueEmail('carer'),
      legalBasis: 'toestemming',
    });
    expect(response.statusCode).toBe(400);
    expect(await memberCount()).toBe(5);
  });
});

describe('who may read the network', () => {
  it('every active member reads it; staff outside it, other admins and anonymous callers do not', async () => {
    for (const who of [
      client.browser,
      carer.browser,
      representative.browser,
      professional.browser,
      coordinator.browser,
    ])
      expect((await who.get(url())).statusCode).toBe(200);
    for (const outsider of [hostColleague, hostAdmin, otherAdmin, lateProfessional]) {
      const response = await outsider.browser.get(url());
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toContain('Jansen');
      expect((await outsider.browser.get('/api/care-networks')).json().networks).toEqual([]);
    }
    expect((await new Browser(t.app).get(url())).statusCode).toBe(401);
    expect((await client.browser.get('/api/care-networks')).json().networks).toHaveLength(1);
  });

  it('every step is in the audit trail with the client as subject', async () => {
    const rows = await t.deps.audit.list({
      organisationId: hostId,
      subjectPerson: `care-member:${members.client}`,
      limit: 100,
    });
    const actions = rows.map((r) => r.action);
    expect(actions).toContain('care.network_created');
    expect(actions.filter((a) => a === 'care.member_added')).toHaveLength(3);
    expect(actions).toContain('care.network_read');
    expect(
      rows.find((r) => r.action === 'care.network_read' && r.actor_role === 'care:professional')
        ?.actor_user_id,
    ).toBe(professional.id);
  });
});

describe('after a week the network is locked', () => {
  let requestId: string;
  const addLate = (body: Record<string, unknown> = {}) =>
    coordinator.browser.post(url('/members'), {
      role: 'professional',
      userId: lateProfessional.id,
      function: 'Fysiotherapeut',
      legalBasis: 'behandelovereenkomst',
      reason: 'Revalidatie na de heupoperatie',
      ...body,
    });

  it('adding a professional eight days later creates a consent request; they see nothing yet', async () => {
    await daysLater(8);
    expect((await addLate({ reason: undefined })).statusCode).toBe(400);
    const response = await addLate();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      outcome: 'requested',
      request: {
        status: 'pending',
        candidate: { role: 'professional', organisationName: 'Huisartsenpraktijk Oost' },
      },
    });
    requestId = response.json().request.id;
    expect((await lateProfessional.browser.get(url())).statusCode).toBe(404);
    const clientView = (await client.browser.get(url())).json();
    expect(clientView.isLocked).toBe(true);
    expect(clientView.requests).toEqual([
      expect.objectContaining({
        id: requestId,
        reason: 'Revalidatie na de heupoperatie',
        requestedBy: expect.any(String),
      }),
    ]);
    expect((await carer.browser.get(url())).json().requests).toEqual([]);
    expect((await coordinator.browser.get(url())).json().requests).toHaveLength(1);
  });

  it('a request for someone already a member, or already asked for, is refused and stores nothing', async () => {
    const again = await coordinator.browser.post(url('/members'), {
      role: 'professional',
      userId: professional.id,
      legalBasis: 'behandelovereenkomst',
      reason: 'nogmaals',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('care_already_member');
    expect((await addLate()).statusCode).toBe(409);
    expect((await client.browser.get(url())).json().requests).toHaveLength(1);
  });

  it('only the client or a representative decides', async () => {
    for (const who of [coordinator.browser, professional.browser, carer.browser]) {
      const response = await who.post(url(`/requests/${requestId}/decision`), { decision: 'consent' });
      expect(response.statusCode).toBe(403);
    }
    for (const outsider of [hostAdmin.browser, otherAdmin.browser, lateProfessional.browser])
      expect(
        (await outsider.post(url(`/requests/${requestId}/decision`), { decision: 'consent' })).statusCode,
      ).toBe(404);
  });

  it('the client consents and the new member sees the network; a second decision is refused', async () => {
    const response = await client.browser.post(url(`/requests/${requestId}/decision`), {
      decision: 'consent',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().status).toBe('consented');
    members.late = response.json().memberId;
    expect((await lateProfessional.browser.get(url())).json().myRole).toBe('professional');
    const second = await representative.browser.post(url(`/requests/${requestId}/decision`), {
      decision: 'decline',
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('care_request_decided');
    const rows = await t.deps.audit.list({
      organisationId: hostId,
      subjectPerson: `care-member:${members.client}`,
      limit: 200,
    });
    expect(rows.find((r) => r.action === 'care.consent_given')?.actor_role).toBe('care:client');
  });

  it('an expired request cannot be decided, and nobody joins', async () => {
    const email = uniqueEmail('buurvrouw');
    const asked = await coordinator.browser.post(url('/members'), {
      role: 'carer',
      name: 'Buurvrouw',
      email,
      legalBasis: 'toestemming',
      reason: 'Doet de boodschappen',
    });
    const id = asked.json().request.id;
    await daysLater(15);
    expect(
      (await client.browser.get(url())).json().requests.find((r: { id: string }) => r.id === id).status,
    ).toBe('expired');
    const late = await representative.browser.post(url(`/requests/${id}/decision`), { decision: 'consent' });
    expect(late.statusCode).toBe(410);
    expect(late.json().error.code).toBe('care_request_expired');
    expect(t.mailer.sent.some((m) => m.to === email)).toBe(false);
    expect(await memberCount()).toBe(6);
  });

  it('a representative declines for the client', async () => {
    const asked = await coordinator.browser.post(url('/members'), {
      role: 'carer',
      name: 'Neef Kees',
      email: uniqueEmail('neef'),
      legalBasis: 'toestemming',
      reason: 'Wil meelezen',
    });
    const id = asked.json().request.id;
    const declined = await representative.browser.post(url(`/requests/${id}/decision`), {
      decision: 'decline',
    });
    expect(declined.json()).toEqual({ status: 'declined', memberId: null });
    expect(await memberCount()).toBe(6);
  });
});

describe('removal', () => {
  it('only the client or a representative removes; the client cannot be removed', async () => {
    expect((await coordinator.browser.delete(url(`/members/${members.carer}`))).statusCode).toBe(403);
    expect((await professional.browser.delete(url(`/members/${members.carer}`))).statusCode).toBe(403);
    const last = await representative.browser.delete(url(`/members/${members.client}`));
    expect(last.statusCode).toBe(409);
    expect(last.json().error.code).toBe('care_last_client');
    expect(await memberCount()).toBe(6);
  });

  it('the client removes the carer, who can no longer open the network', async () => {
    expect((await client.browser.delete(url(`/members/${members.carer}`))).statusCode).toBe(200);
    expect((await carer.browser.get(url())).statusCode).toBe(404);
    expect((await carer.browser.get('/api/care-networks')).json().networks).toEqual([]);
    expect((await carer.browser.delete(url(`/members/${members.professional}`))).statusCode).toBe(404);
    expect((await client.browser.delete(url(`/members/${members.carer}`))).statusCode).toBe(404);
    const rows = await t.deps.audit.list({
      organisationId: hostId,
      subjectPerson: `care-member:${members.client}`,
      limit: 200,
    });
    expect(rows.find((r) => r.action === 'care.member_removed')?.object_id).toBe(members.carer);
  });

  it("a representative's rights end at their end date", async () => {
    expect((await representative.browser.get(url())).statusCode).toBe(200);
    await daysLater(8);
    expect((await representative.browser.get(url())).statusCode).toBe(404);
    expect((await representative.browser.delete(url(`/members/${members.professional}`))).statusCode).toBe(
      404,
    );
    expect(
      (await client.browser.get(url())).json().members.map((m: { role: string }) => m.role),
    ).not.toContain('representative');
  });
});

describe('bad input', () => {
  it('malformed addresses and control characters are 400 and store nothing', async () => {
    const before = await memberCount();
    for (const email of ['geen-adres', 'a@b', 'piet@example.nl\u0000', 'piet @example.nl']) {
      const response = await coordinator.browser.post(url('/members'), {
        role: 'carer',
        name: 'Piet',
        email,
        legalBasis: 'toestemming',
        reason: 'x',
      });
      expect(response.statusCode).toBe(400);
    }
    const badName = await coordinator.browser.post(url('/members'), {
      role: 'carer',
      name: 'Piet\u0007',
      email: uniqueEmail('p'),
      legalBasis: 'toestemming',
      reason: 'x',
    });
    expect(badName.statusCode).toBe(400);
    const mixed = await coordinator.browser.post(url('/members'), {
      role: 'professional',
      name: 'Geen account',
      email: uniqueEmail('p'),
      legalBasis: 'behandelovereenkomst',
      reason: 'x',
    });
    expect(mixed.statusCode).toBe(400);
    expect(await memberCount()).toBe(before);
    expect((await client.browser.get(url())).json().requests).toHaveLength(3);
  });

  it('a network for a malformed client address is refused', async () => {
    const response = await coordinator.browser.post('/api/care-networks', {
      name: 'Fout',
      client: { name: 'X', email: 'niet goed' },
      legalBasis: 'behandelovereenkomst',
    });
    expect(response.statusCode).toBe(400);
  });
});

describe('every write route refuses people outside the network', () => {
  it('adding, removing, deciding, keys, folders and items: 404 for outsiders', async () => {
    const id = crypto.randomUUID();
    const writes: [string, string, unknown][] = [
      [
        'POST',
        url('/members'),
        { role: 'carer', name: 'X', email: uniqueEmail('x'), legalBasis: 'toestemming', reason: 'x' },
      ],
      ['DELETE', url(`/members/${members.professional}`), undefined],
      [
        'POST',
        url('/keys'),
        {
          keyId: id,
          publicKey: 'A'.repeat(43),
          wraps: [{ memberId: id, wrappedPrivateKey: 'B'.repeat(60) }],
        },
      ],
      ['POST', url(`/keys/${id}/wraps`), { wraps: [{ memberId: id, wrappedPrivateKey: 'B'.repeat(60) }] }],
      ['POST', url('/folders'), { name: 'Map', rights: [] }],
      [
        'POST',
        url(`/folders/${id}/items`),
        {
          itemId: id,
          item: 'AAAA',
          attachments: [],
          wrappedKeys: [{ holderId: id, wrappedKey: 'B'.repeat(60) }],
        },
      ],
      [
        'POST',
        url('/items'),
        {
          itemId: id,
          item: 'AAAA',
          attachments: [],
          wrappedKeys: [{ holderId: id, wrappedKey: 'B'.repeat(60) }],
        },
      ],
    ];
    for (const outsider of [hostColleague, hostAdmin, otherAdmin])
      for (const [method, path, body] of writes) {
        const response = await outsider.browser.request(method as 'POST', path, body);
        expect({ path, method, status: response.statusCode }).toEqual({ path, method, status: 404 });
      }
    for (const [method, path, body] of writes) {
      const response = await carer.browser.request(method as 'POST', path, body);
      expect({ path, method, status: response.statusCode }).toEqual({ path, method, status: 404 });
    }
  });
});

describe("the host's settings", () => {
  it('an administrator sets the open week; a network made afterwards follows it', async () => {
    expect((await hostAdmin.browser.get('/api/admin/care-network-settings')).json()).toEqual({
      openDays: 7,
      requestDays: 14,
    });
    expect(
      (await coordinator.browser.put('/api/admin/care-network-settings', { openDays: 0, requestDays: 3 }))
        .statusCode,
    ).toBe(403);
    expect(
      (await hostAdmin.browser.put('/api/admin/care-network-settings', { openDays: 61, requestDays: 3 }))
        .statusCode,
    ).toBe(400);
    const put = await hostAdmin.browser.put('/api/admin/care-network-settings', {
      openDays: 0,
      requestDays: 3,
    });
    expect(put.json()).toEqual({ openDays: 0, requestDays: 3 });
    const [audited] = await t.deps.audit.list({
      organisationId: hostId,
      action: 'care.settings_updated',
      limit: 1,
    });
    expect(audited?.actor_user_id).toBe(hostAdmin.id);
    const created = await coordinator.browser.post('/api/care-networks', {
      name: 'Direct op slot',
      client: { name: 'Cliënt Twee', email: uniqueEmail('client') },
      legalBasis: 'behandelovereenkomst',
    });
    const id = created.json().id;
    const added = await coordinator.browser.post(`/api/care-networks/${id}/members`, {
      role: 'professional',
      userId: professional.id,
      legalBasis: 'behandelovereenkomst',
      reason: 'Huisarts',
    });
    expect(added.json().outcome).toBe('requested');
    const expires =
      new Date(added.json().request.expiresAt).getTime() - new Date(added.json().request.createdAt).getTime();
    expect(expires).toBe(3 * DAY);
    expect((await otherAdmin.browser.get('/api/admin/care-network-settings')).json().openDays).toBe(7);
  });
});
