import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisationWithAdmin, type TestUser } from '../../test/factories.ts';
import { Browser, createTestApp, type TestApp } from '../../test/harness.ts';

/**
 * Input the database cannot hold used to reach it and come back as HTTP 500 (issue 13, item 8).
 * Each case is refused by the request schema now: 400 `validation_failed`, naming the field.
 */
let t: TestApp;
let admin: TestUser;
let teamId: string;
let slug: string;
beforeAll(async () => {
  t = await createTestApp();
  const created = await createOrganisationWithAdmin(t);
  admin = created.admin;
  slug = created.org.slug;
  teamId = (await admin.browser.post('/api/admin/teams', { name: 'Wijkteam', description: '' })).json().id;
});
afterAll(async () => {
  await t.close();
});

function expectRefused(response: { statusCode: number; json(): unknown }, field: string) {
  const body = response.json() as { error: { code: string; details?: { path: string }[] } };
  expect({ status: response.statusCode, code: body.error?.code }).toEqual({
    status: 400,
    code: 'validation_failed',
  });
  expect(body.error.details?.map((d) => d.path).join(' ')).toContain(field);
}

const NUL = '\u0000';
const key43 = 'A'.repeat(43);

describe('text the database cannot store', () => {
  it('refuses a NUL byte in an organisation name, saying why in words', async () => {
    const response = await admin.browser.patch('/api/admin/organisation', { name: `Gemeente${NUL}` });
    expectRefused(response, '/name');
    expect(response.json().error.message).toBe(
      'The request is not valid: body/name must be one line of text without control characters',
    );
  });

  it('refuses a NUL byte in an invitation name', async () => {
    const response = await admin.browser.post('/api/admin/invitations', {
      email: 'nieuw@testdorp.nl',
      name: `Nina${NUL}`,
      role: 'member',
    });
    expectRefused(response, '/name');
  });

  it('refuses a NUL byte in a team name and description, new or changed', async () => {
    expectRefused(
      await admin.browser.post('/api/admin/teams', { name: `T${NUL}`, description: '' }),
      '/name',
    );
    expectRefused(
      await admin.browser.post('/api/admin/teams', { name: 'Team', description: `a${NUL}b` }),
      '/description',
    );
    expectRefused(await admin.browser.patch(`/api/teams/${teamId}`, { name: `T${NUL}` }), '/name');
    expectRefused(
      await admin.browser.patch(`/api/teams/${teamId}`, { description: `a${NUL}` }),
      '/description',
    );
  });

  it('allows tab and newline in multi-line text only', async () => {
    const multiLine = await admin.browser.patch(`/api/teams/${teamId}`, {
      description: 'Ma–vr\n\t9–17 uur\r\n',
    });
    expect(multiLine.statusCode).toBe(200);
    expectRefused(await admin.browser.patch(`/api/teams/${teamId}`, { name: 'Wijk\nteam' }), '/name');
    expectRefused(
      await admin.browser.patch(`/api/teams/${teamId}`, { description: 'bel \u0007' }),
      '/description',
    );
  });

  it('refuses control characters in the public contact form', async () => {
    const url = `/api/contact/${slug}/teams/${teamId}/email-code`;
    const form = { email: 'iemand@example.nl', challenge: 'c'.repeat(43), nonce: '1' };
    const anonymous = new Browser(t.app);
    expectRefused(await anonymous.post(url, { ...form, email: `iemand${NUL}@example.nl` }), '/email');
    expectRefused(await anonymous.post(url, { ...form, phone: `0612345678${NUL}` }), '/phone');
    expectRefused(
      await anonymous.post(`/api/contact/${slug}/teams/${teamId}/verify`, {
        verificationId: crypto.randomUUID(),
        code: `12${NUL}456`,
      }),
      '/code',
    );
  });

  it('refuses control characters in a guest recipient’s address, phone and hint', async () => {
    const guest = {
      kind: 'guest',
      recipientId: crypto.randomUUID(),
      address: 'gast@example.nl',
      role: 'to',
      method: 'sms',
      phone: '0612345678',
      serverShare: key43,
      publicKey: key43,
      linkSecret: key43,
    };
    const send = (recipient: object) =>
      admin.browser.post('/api/messages', {
        conversationId: crypto.randomUUID(),
        itemId: crypto.randomUUID(),
        item: key43,
        attachments: [],
        recipients: [recipient],
        wrappedKeys: [{ holderId: crypto.randomUUID(), wrappedKey: key43 }],
      });
    // Address and phone are the send service's to check, so it can name every recipient's
    // problem at once (send-validation.test.ts); here they only must not reach the database.
    for (const recipient of [
      { ...guest, address: `gast${NUL}@example.nl` },
      { ...guest, phone: `06${NUL}12345678` },
    ]) {
      const status = (await send(recipient)).statusCode;
      expect(status >= 400 && status < 500, `status ${status}`).toBe(true);
    }
    expectRefused(await send({ ...guest, accessCodeHint: `hint${NUL}` }), '/recipients/0');
  });
});

describe('numbers the database cannot hold', () => {
  it('refuses a cursor beyond 2^53 on the audit trail and the mail-security history', async () => {
    const huge = '99999999999999999999';
    expectRefused(await admin.browser.get(`/api/admin/audit?before=${huge}`), 'before');
    expectRefused(await admin.browser.get(`/api/admin/mail-security/checks?before=${huge}`), 'before');
  });

  it('refuses an Argon2id cost no browser could run for an access code', async () => {
    const response = await admin.browser.post('/api/messages', {
      conversationId: crypto.randomUUID(),
      itemId: crypto.randomUUID(),
      item: key43,
      attachments: [],
      recipients: [
        {
          kind: 'guest',
          recipientId: crypto.randomUUID(),
          address: 'gast@example.nl',
          role: 'to',
          method: 'access_code',
          accessCode: {
            salt: 'A'.repeat(22),
            params: { algorithm: 'argon2id', memoryKiB: 1e300, iterations: 1, parallelism: 1 },
            verifierHash: key43,
          },
          serverShare: key43,
          publicKey: key43,
          linkSecret: key43,
        },
      ],
      wrappedKeys: [{ holderId: crypto.randomUUID(), wrappedKey: key43 }],
    });
    expectRefused(response, '/recipients/0');
  });
});
