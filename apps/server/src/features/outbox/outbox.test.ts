import { afterEach, describe, expect, it } from 'vitest';
import { createMember, createOrganisationWithAdmin } from '../../../test/factories.ts';
import { Browser, createTestApp, type TestApp } from '../../../test/harness.ts';
import { createOutboxSms } from '../../adapters/sms.ts';

/** The outbox shows invitation links, reset tokens and SMS codes: who may read it matters. */
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** What embedded mode's SMS adapter keeps instead of sending. */
const keepCode = (app: TestApp) =>
  createOutboxSms(app.deps.db).send({ to: '+31612345678', text: 'Code 123456' });

describe('the embedded outbox', () => {
  it('is open to anyone on the machine while the server listens on loopback', async () => {
    t = await createTestApp();
    await keepCode(t);
    const response = await new Browser(t.app).get('/api/outbox');
    expect(response.statusCode).toBe(200);
    expect(response.json()[0]).toMatchObject({ channel: 'sms', textBody: 'Code 123456' });
  });

  it('needs an admin session when embedded mode is allowed on the network', async () => {
    t = await createTestApp({ config: { embeddedAllowNetwork: true, host: '0.0.0.0' } });
    const { admin } = await createOrganisationWithAdmin(t);
    const member = await createMember(t, admin);
    await keepCode(t);
    expect((await new Browser(t.app).get('/api/outbox')).statusCode).toBe(401);
    expect((await member.browser.get('/api/outbox')).statusCode).toBe(403);
    const response = await admin.browser.get('/api/outbox');
    expect(response.statusCode).toBe(200);
    expect(response.json()[0]).toMatchObject({ channel: 'sms', textBody: 'Code 123456' });
  });
});
