import { createTeamKeys, generateKeyPair, toBase64Url } from '@zegel/protocol/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, createOrganisationWithAdmin, type TestUser } from '../../../test/factories.ts';
import { Browser, createTestApp, type TestApp } from '../../../test/harness.ts';
import { createTeamWithKeys, enrolKeys } from '../../../test/messages.ts';

let t: TestApp;
let admin: TestUser;
let member: TestUser;
let slug: string;
let openTeam: string;
let repliesOnlyTeam: string;
beforeAll(async () => {
  t = await createTestApp();
  const created = await createOrganisationWithAdmin(t, 'Openbaar Ministerie Test');
  admin = created.admin;
  slug = created.org.slug;
  member = await createMember(t, admin);
  const team = async (name: string) => {
    const response = await admin.browser.post('/api/admin/teams', { name, description: '' });
    expect(response.statusCode).toBe(201);
    return response.json().id as string;
  };
  openTeam = (await createTeamWithKeys(admin, [await enrolKeys(member)], 'Parket Noord')).id;
  repliesOnlyTeam = await team('Griffie');
});
afterAll(async () => {
  await t.close();
});

const settingsUrl = (teamId: string) => `/api/teams/${teamId}/contact-settings`;

describe('team contact settings', () => {
  it('start as replies only with e-mail verification and notifications to members', async () => {
    const response = await member.browser.get(settingsUrl(openTeam));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      teamId: openTeam,
      acceptsNewConversations: false,
      guestVerification: 'email',
      notify: 'members',
      notifyAddress: null,
      updatedAt: null,
    });
  });

  it('are changed by an admin, kept across reads and audited without their values', async () => {
    const response = await admin.browser.patch(settingsUrl(openTeam), {
      acceptsNewConversations: true,
      description: 'Strafzaken in Groningen, Friesland en Drenthe',
      region: 'Noord-Nederland',
      responseTime: 'Binnen 5 werkdagen',
      autoReply: 'Wij hebben uw bericht ontvangen.',
      officeHours: 'ma-vr 9:00-17:00',
      guestVerification: 'sms',
      notify: 'address',
      notifyAddress: 'Parket.Noord@om.example',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      acceptsNewConversations: true,
      description: 'Strafzaken in Groningen, Friesland en Drenthe',
      region: 'Noord-Nederland',
      guestVerification: 'sms',
      notify: 'address',
      notifyAddress: 'parket.noord@om.example',
    });
    const read = (await member.browser.get(settingsUrl(openTeam))).json();
    expect(read.responseTime).toBe('Binnen 5 werkdagen');
    expect(read.updatedAt).not.toBeNull();
    const events = (await admin.browser.get('/api/admin/audit?limit=500')).json().events as {
      action: string;
      details: Record<string, unknown>;
    }[];
    const event = events.find((e) => e.action === 'team.contact_settings_updated');
    expect(event?.details.fields).toContain('autoReply');
    expect(JSON.stringify(event)).not.toContain('ontvangen');
  });

  it('refuse members who are not team admins, strangers and invalid input', async () => {
    expect((await member.browser.patch(settingsUrl(openTeam), { region: 'x' })).statusCode).toBe(403);
    expect((await new Browser(t.app).get(settingsUrl(openTeam))).statusCode).toBe(401);
    expect((await admin.browser.get(settingsUrl(crypto.randomUUID()))).statusCode).toBe(404);
    for (const body of [
      {},
      { guestVerification: 'fax' },
      { notify: 'everyone' },
      { region: 'x'.repeat(201) },
      { notifyAddress: 'not an address' },
      { unknown: true },
    ]) {
      expect((await admin.browser.patch(settingsUrl(openTeam), body)).statusCode).toBe(400);
    }
    expect(
      (await admin.browser.patch(settingsUrl(repliesOnlyTeam), { notify: 'address', notifyAddress: null }))
        .statusCode,
    ).toBe(400);
  });

  it('let a team admin change their own team', async () => {
    const teamAdmin = await createMember(t, admin);
    const added = await admin.browser.put(`/api/teams/${repliesOnlyTeam}/members/${teamAdmin.id}`, {
      role: 'admin',
    });
    expect(added.statusCode).toBe(200);
    const response = await teamAdmin.browser.patch(settingsUrl(repliesOnlyTeam), {
      officeHours: 'alleen schriftelijk',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().acceptsNewConversations).toBe(false);
  });
});

describe('the public contact page', () => {
  it('lists only teams that accept new conversations, with no member or address data', async () => {
    const response = await new Browser(t.app).get(`/api/contact/${slug}`);
    expect(response.statusCode).toBe(200);
    const page = response.json();
    expect(page.organisation).toMatchObject({ name: 'Openbaar Ministerie Test', slug, hasLogo: false });
    expect(page.teams).toEqual([
      {
        id: openTeam,
        name: 'Parket Noord',
        description: 'Strafzaken in Groningen, Friesland en Drenthe',
        region: 'Noord-Nederland',
        responseTime: 'Binnen 5 werkdagen',
        officeHours: 'ma-vr 9:00-17:00',
        guestVerification: 'sms',
      },
    ]);
    expect(response.body).not.toContain('om.example');
    expect(response.body).not.toContain('ontvangen');
  });

  it("gives one open team's entry and refuses a replies-only team with a clear message", async () => {
    const open = await new Browser(t.app).get(`/api/contact/${slug}/teams/${openTeam}`);
    expect(open.statusCode).toBe(200);
    expect(open.json().team.name).toBe('Parket Noord');
    const closed = await new Browser(t.app).get(`/api/contact/${slug}/teams/${repliesOnlyTeam}`);
    expect(closed.statusCode).toBe(403);
    expect(closed.json().error.code).toBe('contact_closed');
    expect(closed.json().error.message).toMatch(/only reply/);
  });

  it('answers 404 for an unknown organisation and 400 for a malformed slug', async () => {
    expect((await new Browser(t.app).get('/api/contact/bestaat-niet')).statusCode).toBe(404);
    expect((await new Browser(t.app).get('/api/contact/%3Cscript%3E')).statusCode).toBe(400);
  });
});

describe('a team that cannot receive yet (issue 12, item 2)', () => {
  it('is not listed until the admin’s browser makes its key for its first member, who opened nothing', async () => {
    const newcomer = await enrolKeys(await createMember(t, admin));
    const id = (await admin.browser.post('/api/admin/teams', { name: 'Parket Zuid', description: '' })).json()
      .id as string;
    expect((await admin.browser.patch(settingsUrl(id), { acceptsNewConversations: true })).statusCode).toBe(
      200,
    );
    const listed = async () =>
      ((await new Browser(t.app).get(`/api/contact/${slug}`)).json().teams as { id: string }[]).map(
        (x) => x.id,
      );
    expect(await listed()).not.toContain(id);
    const statusOf = async () =>
      (
        (await admin.browser.get('/api/admin/team-keys')).json().teams as {
          teamId: string;
          hasKey: boolean;
        }[]
      ).find((x) => x.teamId === id);
    expect(await statusOf()).toEqual({ teamId: id, hasKey: false, members: [] });

    expect(
      (await admin.browser.put(`/api/teams/${id}/members/${newcomer.id}`, { role: 'member' })).statusCode,
    ).toBe(200);
    expect(await statusOf()).toEqual({
      teamId: id,
      hasKey: false,
      members: [{ userId: newcomer.id, publicKey: toBase64Url(newcomer.keys.publicKey) }],
    });
    const { keyPair, wrappedKeys } = await createTeamKeys(id, [
      { userId: newcomer.id, publicKey: newcomer.keys.publicKey },
    ]);
    const body = {
      publicKey: toBase64Url(keyPair.publicKey),
      wraps: wrappedKeys.map((w) => ({
        userId: w.userId,
        wrappedPrivateKey: toBase64Url(w.wrappedPrivateKey),
      })),
    };
    // A colleague outside the team may not; the admin, who is no member, may.
    expect((await member.browser.put(`/api/teams/${id}/keys`, body)).statusCode).toBe(403);
    expect((await admin.browser.put(`/api/teams/${id}/keys`, body)).statusCode).toBe(201);
    expect((await admin.browser.put(`/api/teams/${id}/keys`, body)).statusCode).toBe(409);
    expect((await statusOf())?.hasKey).toBe(true);
    expect(await listed()).toContain(id);
    const mine = (await newcomer.browser.get('/api/account/team-keys')).json().teams as {
      teamId: string;
      wrappedPrivateKey: string | null;
    }[];
    expect(mine.find((x) => x.teamId === id)?.wrappedPrivateKey).not.toBeNull();
  });

  it('refuses an admin of another organisation', async () => {
    const other = await createOrganisationWithAdmin(t, 'Elders');
    const memberKeys = await generateKeyPair();
    const keys = await createTeamKeys(openTeam, [{ userId: member.id, publicKey: memberKeys.publicKey }]);
    const response = await other.admin.browser.put(`/api/teams/${openTeam}/keys`, {
      publicKey: toBase64Url(keys.keyPair.publicKey),
      wraps: [{ userId: member.id, wrappedPrivateKey: toBase64Url(keys.wrappedKeys[0]!.wrappedPrivateKey) }],
    });
    expect(response.statusCode).toBe(404);
  });
});
