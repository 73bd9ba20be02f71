import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, createOrganisationWithAdmin } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import {
  createTeamWithKeys,
  enrolKeys,
  type StaffWithKeys,
  sendSecureMessage,
} from '../../../test/messages.ts';

let t: TestApp;
let sender: StaffWithKeys;
let anna: StaffWithKeys;
let bram: StaffWithKeys;
let outsider: StaffWithKeys;
let team: Awaited<ReturnType<typeof createTeamWithKeys>>;
let conversationId: string;
let otherConversationId: string;

beforeAll(async () => {
  t = await createTestApp();
  const { admin } = await createOrganisationWithAdmin(t);
  sender = await enrolKeys(admin);
  anna = await enrolKeys(await createMember(t, admin));
  bram = await enrolKeys(await createMember(t, admin));
  outsider = await enrolKeys(await createMember(t, admin));
  team = await createTeamWithKeys(admin, [anna, bram], 'Jeugdzaken');
  const sent = await sendSecureMessage(t, sender, { subject: 's', bodyHtml: 'b', teams: [team] });
  expect(sent.response.statusCode).toBe(201);
  conversationId = sent.conversationId;
  const other = await sendSecureMessage(t, sender, { subject: 's', bodyHtml: 'b', users: [outsider] });
  otherConversationId = other.conversationId;
});
afterAll(async () => {
  await t.close();
});

const url = (suffix: string, conversation = conversationId) =>
  `/api/teams/${team.id}/conversations/${conversation}/${suffix}`;

describe('team mailbox work', () => {
  it('starts unassigned and open', async () => {
    const response = await anna.browser.get(url('handling'));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ assignee: null, isDone: false, doneAt: null, events: [] });
  });

  it('lets a member assign to a colleague and mark done, recording who did what', async () => {
    const assigned = await anna.browser.put(url('assignee'), { userId: bram.id });
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json().assignee).toEqual({ userId: bram.id, name: expect.any(String) });
    t.clock.advance(1000);
    const done = await bram.browser.put(url('done'), { isDone: true });
    expect(done.json().isDone).toBe(true);
    const handling = (await anna.browser.get(url('handling'))).json();
    expect(
      handling.events.map((e: { type: string; actor: { userId: string } }) => [e.type, e.actor.userId]),
    ).toEqual([
      ['assigned', anna.id],
      ['done', bram.id],
    ]);
    expect(handling.events[0].target.userId).toBe(bram.id);
    t.clock.advance(1000);
    const reopened = await anna.browser.put(url('done'), { isDone: false });
    expect(reopened.json()).toMatchObject({ isDone: false, doneAt: null });
    const unassigned = await anna.browser.put(url('assignee'), { userId: null });
    expect(unassigned.json().assignee).toBeNull();
    const audit = await t.deps.db
      .selectFrom('audit_events')
      .select(['action', 'actor_user_id'])
      .where('action', 'in', ['team.conversation_assigned', 'team.conversation_done'])
      .execute();
    expect(audit).toHaveLength(4);
  });

  it('refuses non-members, assignment to a non-member, and conversations outside the mailbox', async () => {
    expect((await outsider.browser.get(url('handling'))).statusCode).toBe(403);
    expect((await outsider.browser.put(url('done'), { isDone: true })).statusCode).toBe(403);
    expect((await anna.browser.put(url('assignee'), { userId: outsider.id })).statusCode).toBe(400);
    expect((await anna.browser.get(url('handling', otherConversationId))).statusCode).toBe(404);
    expect((await anna.browser.put(url('done'), { isDone: 'yes' })).statusCode).toBe(400);
  });

  it('lists the state of the listed conversations for the team mailbox, to members only', async () => {
    const list = (ids: string) => `/api/teams/${team.id}/handling?conversationIds=${ids}`;
    await anna.browser.put(url('assignee'), { userId: bram.id });
    await anna.browser.put(url('done'), { isDone: true });
    const response = await bram.browser.get(list(`${conversationId},${otherConversationId}`));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().conversations).toEqual([
      { conversationId, assignee: { userId: bram.id, name: expect.any(String) }, isDone: true },
    ]);
    expect((await outsider.browser.get(list(conversationId))).statusCode).toBe(403);
    expect((await anna.browser.get(list('not-an-id'))).statusCode).toBe(400);
    const tooMany = Array.from({ length: 51 }, () => crypto.randomUUID()).join(',');
    expect((await anna.browser.get(list(tooMany))).statusCode).toBe(400);
  });
});
