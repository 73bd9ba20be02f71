import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, createOrganisationWithAdmin, uniqueEmail } from '../../../test/factories.ts';
import { Browser, createTwoProcesses, type TestApp } from '../../../test/harness.ts';
import {
  enrolKeys,
  guestLinkFromMail,
  guestReplyBody,
  readAsGuest,
  readAsStaff,
  type StaffWithKeys,
  sendSecureMessage,
  staffItemBody,
} from '../../../test/messages.ts';

/**
 * A revoke racing replies (issue 13, item 7): both take the conversation's row lock, so whatever
 * the order, no key stays wrapped to a guest once they are revoked. Two apps on one database
 * stand for two server processes; on PostgreSQL (`npm run test:pg`) the requests truly overlap.
 */
let first: TestApp;
let second: TestApp;
let sender: StaffWithKeys;
let colleague: StaffWithKeys;

beforeAll(async () => {
  [first, second] = await createTwoProcesses();
  const org = await createOrganisationWithAdmin(first);
  sender = await enrolKeys(org.admin);
  colleague = await enrolKeys(await createMember(first, org.admin));
});
afterAll(async () => {
  await second.close();
  await first.close();
});

describe('revoke and append at the same moment', () => {
  it('leaves no key wrapped to the revoked guest, from staff items or from the guest’s own replies', async () => {
    const address = uniqueEmail('gast');
    const sent = await sendSecureMessage(first, sender, {
      subject: 'race',
      bodyHtml: 'b',
      users: [colleague],
      guests: [{ address, method: 'email_only' }],
    });
    expect(sent.response.statusCode, sent.response.body).toBe(201);
    await first.deps.jobs.runDueJobs();
    const link = guestLinkFromMail(first, address);
    const guest = new Browser(second.app, undefined, '192.0.2.40');
    expect((await guest.post(`/api/guest/${link.recipientId}/verify`, {})).statusCode).toBe(200);
    const read = await readAsGuest(guest, link);
    const holders = (await readAsStaff(colleague, sent.conversationId)).detail.keyHolders;
    const staffBodies = await Promise.all(
      [1, 2, 3].map((n) => staffItemBody(holders, { subject: `staff ${n}`, bodyHtml: 'x' })),
    );
    const guestBodies = await Promise.all(
      [1, 2, 3].map((n) =>
        guestReplyBody(
          second,
          guest,
          {
            recipientId: link.recipientId,
            publicKey: read.keyPair.publicKey,
            replyRecipients: read.conversation.replyRecipients,
          },
          { subject: `guest ${n}`, bodyHtml: 'y' },
        ),
      ),
    );
    const url = `/api/conversations/${sent.conversationId}`;
    const [revoke, ...appends] = await Promise.all([
      sender.browser.post(`${url}/revoke`, { participantIds: [link.recipientId] }),
      ...staffBodies.map((body) => colleague.browser.post(`${url}/items`, body)),
      ...guestBodies.map((body) => guest.post(`/api/guest/${link.recipientId}/replies`, body)),
    ]);
    expect(revoke?.statusCode, revoke?.body).toBe(200);
    // Each append either landed before the revoke (its key to the guest was then deleted) or was
    // refused after it: wrapped to someone who is no longer a holder, or by a revoked guest.
    for (const response of appends) expect([201, 400, 410]).toContain(response.statusCode);
    const keysLeft = await first.deps.db
      .selectFrom('item_keys')
      .select('item_id')
      .where('holder_id', '=', link.recipientId)
      .execute();
    expect(keysLeft).toEqual([]);
    expect((await guest.get(`/api/guest/${link.recipientId}/conversation`)).statusCode).toBe(410);
  });
});
