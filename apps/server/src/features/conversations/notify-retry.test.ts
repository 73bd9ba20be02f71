import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisationWithAdmin, uniqueEmail } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { enrolKeys, type StaffWithKeys, sendSecureMessage } from '../../../test/messages.ts';
import { AuditAction } from '../../platform/audit/index.ts';
import { RETRY_BASE_MS } from '../../platform/jobs/index.ts';

/**
 * A notification whose job fails after the relay took the mail (a crash, a database hiccup) is
 * retried without mailing the recipient twice (issue 13, item 6); the mail has a stable Message-ID.
 */
let t: TestApp;
let sender: StaffWithKeys;

beforeAll(async () => {
  t = await createTestApp();
  sender = await enrolKeys((await createOrganisationWithAdmin(t)).admin);
});
afterAll(async () => {
  await t.close();
});

describe('a notification retried after the mail left', () => {
  it('records the receipt on the retry and sends nothing again', async () => {
    const address = uniqueEmail('gast');
    const sent = await sendSecureMessage(t, sender, {
      subject: 's',
      bodyHtml: 'b',
      guests: [{ address, method: 'email_only' }],
    });
    expect(sent.response.statusCode, sent.response.body).toBe(201);
    const record = t.deps.audit.record.bind(t.deps.audit);
    let failOnce = true;
    t.deps.audit.record = async (event) => {
      if (event.action === AuditAction.messageNotified && failOnce) {
        failOnce = false;
        throw new Error('the process died after the relay took the mail');
      }
      return record(event);
    };
    try {
      await t.deps.jobs.runDueJobs();
      const mails = () => t.mailer.sent.filter((m) => m.to === address);
      expect(mails()).toHaveLength(1);
      expect(mails()[0]?.messageId).toMatch(/^<[0-9a-f-]{36}\.0@zegel\.test>$/);
      t.clock.advance(RETRY_BASE_MS);
      await t.deps.jobs.runDueJobs();
      expect(mails()).toHaveLength(1);
      const guest = await t.deps.db
        .selectFrom('participants')
        .select('delivered_at')
        .where('id', '=', sent.guests[0]?.recipientId as string)
        .executeTakeFirstOrThrow();
      expect(guest.delivered_at).toBeInstanceOf(Date);
    } finally {
      t.deps.audit.record = record;
    }
  });
});
