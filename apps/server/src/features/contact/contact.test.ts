import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, createOrganisationWithAdmin, type TestUser } from '../../../test/factories.ts';
import { Browser, createTestApp, type TestApp } from '../../../test/harness.ts';

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
  openTeam = await team('Parket Noord');
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
