import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMember,
  createOrganisationWithAdmin,
  signInWithPassword,
  type TestUser,
} from '../../test/factories.ts';
import { Browser, createTestApp, type TestApp } from '../../test/harness.ts';

/**
 * Every route the app serves, with who may call it. The test reads the routes from the app
 * itself, so a new route without an entry here fails until someone decides its access.
 */
const publicRoutes = new Set([
  'GET /api/health',
  'GET /api/health/live',
  'GET /api/health/ready',
  'GET /api/openapi.json',
  'POST /api/auth/prelogin',
  'POST /api/auth/sign-in',
  'POST /api/auth/sign-out',
  'POST /api/auth/password-reset/request',
  'POST /api/auth/password-reset/lookup',
  'POST /api/auth/password-reset/complete',
  'POST /api/invitations/lookup',
  'POST /api/invitations/accept',
  // Embedded mode on loopback only; on the network it needs an admin (features/outbox/outbox.test.ts).
  'GET /api/outbox',
  // The guest page: no account; each route checks the guest's verification itself
  // (features/messages/guest-access.test.ts).
  'GET /api/guest/:recipientId',
  'POST /api/guest/:recipientId/sms',
  'POST /api/guest/:recipientId/verify',
  'POST /api/guest/:recipientId/no-code',
  'POST /api/guest/:recipientId/sign-out',
  'GET /api/guest/:recipientId/conversation',
  'GET /api/guest/:recipientId/attachments/:attachmentId',
  // A large file: the verified guest session and a key to its item (messages/message-files.test.ts).
  'GET /api/guest/:recipientId/files/:fileId',
  'POST /api/guest/:recipientId/replies',
  'PUT /api/guest/:recipientId/uploads/:id',
  // The opening message of a contact conversation: the guest session cookie (contact-start.test.ts).
  'POST /api/guest/:recipientId/first-message',
  // The public contact page (features/contact/contact.test.ts): organisation and open teams only.
  'GET /api/contact/:slug',
  'GET /api/contact/:slug/teams/:teamId',
  'POST /api/contact/:slug/challenge',
  'POST /api/contact/:slug/teams/:teamId/email-code',
  'POST /api/contact/:slug/teams/:teamId/verify',
  // Spends the send token from the address check (contact-start.test.ts).
  'POST /api/contact/:slug/teams/:teamId/conversations',
  // Personal accounts of care networks (features/care-networks/personal-accounts.test.ts): each
  // checks its own invitation token, password or half-signed-in session.
  'POST /api/care/invitations/lookup',
  'POST /api/care/invitations/accept',
  'POST /api/care/auth/prelogin',
  'POST /api/care/auth/sign-in',
  'POST /api/care/auth/device-code',
  'POST /api/care/auth/sign-out',
  // The organisation's logo: its public face on the contact page, guest pages and mail (accounts/admin.test.ts).
  'GET /api/organisations/:slug/logo',
  // tus capability discovery: protocol versions and the size limit, nothing else.
  'OPTIONS /api/files/uploads',
]);
const signInStepRoutes = new Set([
  'GET /api/me',
  'POST /api/auth/second-factor',
  'POST /api/auth/totp/begin',
  'POST /api/auth/totp/confirm',
  // A passkey as the second factor; only in the second_factor stage (accounts/passkeys.test.ts).
  'POST /api/auth/passkey/options',
  'POST /api/auth/passkey',
]);

let t: TestApp;
let routes: { method: string; url: string }[];
let admin: TestUser;
let member: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  routes = listApiRoutes(t);
  ({ admin } = await createOrganisationWithAdmin(t));
  member = await createMember(t, admin);
});
afterAll(async () => {
  await t.close();
});

function listApiRoutes(app: TestApp) {
  const doc = (
    app.app as unknown as { swagger(): { paths: Record<string, Record<string, unknown>> } }
  ).swagger();
  const result: { method: string; url: string }[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const method of Object.keys(methods))
      result.push({ method: method.toUpperCase(), url: path.replace(/\{(\w+)\}/g, ':$1') });
  }
  result.push({ method: 'GET', url: '/api/openapi.json' });
  return result.filter((r) => r.url.startsWith('/api/'));
}

const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
const concrete = (url: string) => url.replace(/:(\w+)/g, () => crypto.randomUUID());

describe('authorization of every route', () => {
  it('knows every route', () => {
    expect(routes.length).toBeGreaterThan(30);
  });

  it('refuses anonymous callers on every route that is not public', async () => {
    for (const route of routes.filter((r) => !publicRoutes.has(key(r)))) {
      const response = await new Browser(t.app).request(
        route.method as 'GET',
        concrete(route.url),
        route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
      );
      expect({ route: key(route), status: response.statusCode }).toEqual({ route: key(route), status: 401 });
    }
  });

  it('refuses a session that has not passed the second factor, except on sign-in steps', async () => {
    const halfway = new Browser(t.app);
    expect((await signInWithPassword(member, halfway)).json().stage).toBe('second_factor');
    for (const route of routes.filter((r) => !publicRoutes.has(key(r)) && !signInStepRoutes.has(key(r)))) {
      const response = await halfway.request(
        route.method as 'GET',
        concrete(route.url),
        route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
      );
      expect({ route: key(route), status: response.statusCode }).toEqual({ route: key(route), status: 401 });
    }
  });

  it('refuses members on every admin route', async () => {
    for (const route of routes.filter((r) => r.url.startsWith('/api/admin/'))) {
      const response = await member.browser.request(
        route.method as 'GET',
        concrete(route.url),
        route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
      );
      expect({ route: key(route), status: response.statusCode }).toEqual({ route: key(route), status: 403 });
    }
  });

  it('lets an admin use the admin routes', async () => {
    expect((await admin.browser.get('/api/admin/users')).statusCode).toBe(200);
    expect((await admin.browser.get('/api/admin/audit')).statusCode).toBe(200);
    expect((await admin.browser.get('/api/admin/organisation')).statusCode).toBe(200);
    expect((await admin.browser.get('/api/admin/sign-in-storms')).statusCode).toBe(200);
    expect((await admin.browser.get('/api/admin/mail-security/settings')).statusCode).toBe(200);
  });

  it('keeps organisations apart: an admin cannot see or change another organisation’s users or teams', async () => {
    const other = await createOrganisationWithAdmin(t, 'Gemeente Elders');
    const foreignMember = await createMember(t, other.admin);
    expect(
      (await admin.browser.patch(`/api/admin/users/${foreignMember.id}`, { role: 'admin' })).statusCode,
    ).toBe(404);
    const users = (await admin.browser.get('/api/admin/users')).json() as { id: string }[];
    expect(users.map((u) => u.id)).not.toContain(foreignMember.id);
    const team = (
      await other.admin.browser.post('/api/admin/teams', { name: 'Jeugdzorg', description: '' })
    ).json();
    expect(
      (await admin.browser.put(`/api/teams/${team.id}/members/${member.id}`, { role: 'member' })).statusCode,
    ).toBe(404);
    expect((await admin.browser.delete(`/api/admin/teams/${team.id}`)).statusCode).toBe(404);
    const audit = (await admin.browser.get('/api/admin/audit?limit=500')).json().events as {
      organisationId?: string;
      objectId: string | null;
    }[];
    expect(audit.some((e) => e.objectId === team.id)).toBe(false);
  });

  it('lets a team admin manage members of their own team only', async () => {
    const team = (
      await admin.browser.post('/api/admin/teams', { name: `Team ${crypto.randomUUID()}`, description: 'x' })
    ).json();
    const otherTeam = (
      await admin.browser.post('/api/admin/teams', { name: `Team ${crypto.randomUUID()}`, description: 'y' })
    ).json();
    const colleague = await createMember(t, admin);
    expect(
      (await member.browser.put(`/api/teams/${team.id}/members/${colleague.id}`, { role: 'member' }))
        .statusCode,
    ).toBe(403);
    await admin.browser.put(`/api/teams/${team.id}/members/${member.id}`, { role: 'admin' });
    expect(
      (await member.browser.put(`/api/teams/${team.id}/members/${colleague.id}`, { role: 'member' }))
        .statusCode,
    ).toBe(200);
    expect(
      (await member.browser.put(`/api/teams/${otherTeam.id}/members/${colleague.id}`, { role: 'member' }))
        .statusCode,
    ).toBe(403);
  });
});
