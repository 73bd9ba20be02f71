import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisationWithAdmin } from '../../test/factories.ts';
import { Browser, createTestApp, jsonHeaders, type TestApp, testConfig } from '../../test/harness.ts';
import { enrolKeys, sendSecureMessage } from '../../test/messages.ts';
import { SmsSendError } from '../adapters/sms.ts';
import { createApp } from '../app.ts';
import { createDeps } from '../boot.ts';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { isDependencyOutage } from './errors.ts';

describe('a dependency that is down gives 503 service_unavailable, not 500', () => {
  it('tells outages from bugs', () => {
    const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });
    expect(isDependencyOutage(withCode('ECONNREFUSED'))).toBe(true);
    expect(isDependencyOutage(withCode('57P01', 'terminating connection due to administrator command'))).toBe(
      true,
    );
    expect(isDependencyOutage(withCode('08006'))).toBe(true);
    expect(isDependencyOutage(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDependencyOutage(new TypeError('fetch failed', { cause: withCode('ECONNREFUSED') }))).toBe(true);
    expect(isDependencyOutage(new SmsSendError('CM.com refused the message (HTTP 503, code ?)', 503))).toBe(
      true,
    );
    expect(isDependencyOutage(withCode('23505', 'duplicate key'))).toBe(false);
    expect(isDependencyOutage(new TypeError('x is undefined'))).toBe(false);
  });

  it('with the database unreachable: readiness 503, a request 503 with Retry-After', async () => {
    // A pool aimed at a port where nothing listens: every query fails to connect.
    const pool = new pg.Pool({ host: '127.0.0.1', port: 1, connectionTimeoutMillis: 500 });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    const database: Database = {
      db,
      engine: 'postgres',
      applyMigration: () => Promise.reject(new Error('unused')),
      runScript: () => Promise.reject(new Error('unused')),
      withExclusiveLock: () => Promise.reject(new Error('unused')),
      close: () => db.destroy(),
      poolStats: () => null,
    };
    const app = await createApp(createDeps(testConfig(), database), {
      logger: false,
      webDist: '/nonexistent',
    });
    try {
      const ready = await app.inject({ method: 'GET', url: '/api/health/ready' });
      expect([ready.statusCode, ready.json().checks.database]).toEqual([503, 'failing']);
      const response = await app.inject({
        method: 'POST',
        url: '/api/auth/prelogin',
        headers: jsonHeaders,
        payload: JSON.stringify({ email: 'iemand@example.nl' }),
      });
      expect(response.statusCode).toBe(503);
      expect(response.json().error.code).toBe('service_unavailable');
      expect(response.headers['retry-after']).toBe('30');
    } finally {
      await app.close();
      await database.close();
    }
  });

  describe('with the SMS provider down', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(async () => {
      await t.close();
    });

    it('a guest asking for a code gets 503, and no code is sent another way', async () => {
      const { admin } = await createOrganisationWithAdmin(t);
      const sender = await enrolKeys(admin);
      const sent = await sendSecureMessage(t, sender, {
        subject: 'Onderwerp',
        bodyHtml: '<p>Tekst</p>',
        guests: [{ address: 'sms-gast@example.nl', method: 'sms', phone: '+31612345678' }],
      });
      expect(sent.response.statusCode, sent.response.body).toBe(201);
      t.sms.send = () =>
        Promise.reject(new SmsSendError('CM.com refused the message (HTTP 503, code ?)', 503));
      const mailsBefore = t.mailer.sent.length;
      const guest = new Browser(t.app);
      const response = await guest.post(`/api/guest/${sent.guests[0]!.recipientId}/sms`);
      expect(response.statusCode).toBe(503);
      expect(response.json().error.code).toBe('service_unavailable');
      expect(t.mailer.sent.length).toBe(mailsBefore);
    });
  });
});
