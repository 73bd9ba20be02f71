import type { ConversationDetail, DeliveryReport, Participant } from '@zegel/protocol/api';
import {
  decryptContent,
  encryptContent,
  encryptItem,
  fromBase64Url,
  generateContentKey,
  toBase64Url,
  utf8,
} from '@zegel/protocol/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, createOrganisationWithAdmin, uniqueEmail } from '../../../test/factories.ts';
import { Browser, createTestApp, type TestApp } from '../../../test/harness.ts';
import {
  createTeamWithKeys,
  enrolKeys,
  guestLinkFromMail,
  type LargeFileEntry,
  lastSmsCode,
  readAsGuest,
  readAsStaff,
  type StaffWithKeys,
  sendSecureMessage,
} from '../../../test/messages.ts';
import { cookieOf, send, tusClient } from '../../../test/tus-client.ts';
import { purgeAbandonedUploads } from '../files/jobs.ts';
import { selectUsage } from '../files/store.ts';
import { purgeExpiredConversations } from './expiry.ts';

/**
 * Large files (tus uploads) sent with messages: linked at send time, downloaded by colleagues,
 * team members and verified guests (streamed, with Range), receipts per file, and deleted
 * (blobs, rows, quota) when revoke or expiry shreds the key material.
 */

const MiB = 1024 * 1024;
const DAY_MS = 86_400_000;
const PHONE = '06 12345678';

let t: TestApp;
let base: string;
let organisationId: string;
let sender: StaffWithKeys;
let colleague: StaffWithKeys;
let teamMember: StaffWithKeys;
let stranger: StaffWithKeys;
let team: Awaited<ReturnType<typeof createTeamWithKeys>>;

beforeAll(async () => {
  t = await createTestApp();
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  const { org, admin } = await createOrganisationWithAdmin(t);
  organisationId = org.id;
  sender = await enrolKeys(admin);
  colleague = await enrolKeys(await createMember(t, admin));
  teamMember = await enrolKeys(await createMember(t, admin));
  stranger = await enrolKeys(await createMember(t, admin));
  team = await createTeamWithKeys(admin, [teamMember]);
});
afterAll(async () => {
  await t.close();
});

function plaintext(length: number, seed = 7): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * seed + (i >> 11)) & 0xff;
  return bytes;
}

/** The large files in a decrypted item (the manifest the web app puts in the content). */
function manifestOf(item: { content: unknown } | undefined): LargeFileEntry[] {
  const files = (item?.content as { files?: LargeFileEntry[] } | undefined)?.files;
  if (!files) throw new Error('no large files in the item');
  return files;
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

interface Uploaded {
  entry: LargeFileEntry;
  plain: Uint8Array;
  cipher: Uint8Array;
}

/** The web app's upload: encrypt with a fresh key bound to the file id, tus with messageId. */
async function uploadLargeFile(
  user: StaffWithKeys,
  conversationId: string,
  size: number,
  options: { complete?: boolean } = {},
): Promise<Uploaded> {
  const id = crypto.randomUUID();
  const key = generateContentKey();
  const plain = plaintext(size, 7 + (size % 13));
  const cipher = await encryptContent(key, plain, { associatedData: id });
  const tus = tusClient(base, cookieOf(user.browser.cookies));
  if (options.complete === false) {
    expect((await tus.create(id, cipher.length, conversationId)).status).toBe(201);
    expect((await tus.patch(id, 0, cipher.subarray(0, Math.floor(cipher.length / 2)))).status).toBe(204);
  } else {
    const result = await tus.upload(id, cipher, MiB + 17, conversationId);
    expect(result.status).toBe(204);
  }
  return {
    entry: { id, key: toBase64Url(key), name: `bestand-${size}.bin`, type: 'application/octet-stream', size },
    plain,
    cipher,
  };
}

/** A GET over real HTTP (the response is streamed by the server), with a browser's cookies. */
function download(browser: Browser, path: string, range?: string) {
  return send(`${base}${path}`, 'GET', {
    cookie: cookieOf(browser.cookies),
    ...(range ? { range } : {}),
  });
}

const blobKeysOf = (fileId: string) =>
  [...t.blobs.blobs.keys()].filter((key) => key.startsWith(`files/${fileId.slice(0, 2)}/${fileId}/`));

async function fileRow(id: string) {
  return t.deps.db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
}

async function verifySmsGuest(address: string) {
  await t.deps.jobs.runDueJobs();
  const link = guestLinkFromMail(t, address);
  const guest = new Browser(t.app, undefined, '203.0.113.50');
  expect((await guest.post(`/api/guest/${link.recipientId}/sms`)).statusCode).toBe(200);
  const verified = await guest.post(`/api/guest/${link.recipientId}/verify`, {
    code: lastSmsCode(t, '+31612345678'),
  });
  expect(verified.statusCode, verified.body).toBe(200);
  return { guest, link };
}

/** A staff reply or follow-up with large files, wrapped to the conversation's key holders. */
async function replyWithFiles(user: StaffWithKeys, conversationId: string, files: LargeFileEntry[]) {
  const detail = (
    await user.browser.get(`/api/conversations/${conversationId}`)
  ).json() as ConversationDetail;
  const itemId = crypto.randomUUID();
  const encrypted = await encryptItem({
    itemId,
    plaintext: utf8.encode(JSON.stringify({ v: 1, subject: 'Re', bodyHtml: 'hier', attachments: [], files })),
    recipients: detail.keyHolders.map((h) => ({
      recipientId: h.holderId,
      publicKey: fromBase64Url(h.publicKey),
    })),
  });
  return user.browser.post(`/api/conversations/${conversationId}/items`, {
    itemId,
    item: toBase64Url(encrypted.ciphertext),
    attachments: [],
    files: files.map((f) => ({ id: f.id })),
    wrappedKeys: encrypted.wrappedKeys.map((k) => ({
      holderId: k.recipientId,
      wrappedKey: toBase64Url(k.wrappedKey),
    })),
  });
}

describe('send files: colleague, team member and verified guest download and decrypt', () => {
  const conversationId = crypto.randomUUID();
  const guestAddress = uniqueEmail('ontvanger');
  let big: Uploaded;
  let tiny: Uploaded;
  let guest: Awaited<ReturnType<typeof verifySmsGuest>>;

  it('links complete uploads to the message and lists them with their ciphertext size', async () => {
    big = await uploadLargeFile(sender, conversationId, 2 * MiB + 100);
    tiny = await uploadLargeFile(sender, conversationId, 1);
    const sent = await sendSecureMessage(t, sender, {
      conversationId,
      subject: 'Dossier',
      bodyHtml: '<p>De stukken</p>',
      users: [colleague],
      teams: [team],
      guests: [{ address: guestAddress, method: 'sms', phone: PHONE }],
      files: [big.entry, tiny.entry],
    });
    expect(sent.response.statusCode, sent.response.body).toBe(201);
    expect((await fileRow(big.entry.id))?.item_id).toBe(sent.itemId);
    const detail = (await colleague.browser.get(`/api/conversations/${conversationId}`)).json();
    expect(detail.items[0].files).toHaveLength(2);
    expect(detail.items[0].files).toEqual(
      expect.arrayContaining([
        { id: big.entry.id, size: big.cipher.length },
        { id: tiny.entry.id, size: tiny.cipher.length },
      ]),
    );
    expect(typeof detail.items[0].files[0].size).toBe('number');
  });

  it('a colleague downloads the ciphertext (whole and ranges) and decrypts it with the manifest key', async () => {
    const read = await readAsStaff(colleague, conversationId);
    const manifest = manifestOf(read.items[0]);
    const entry = manifest.find((f) => f.id === big.entry.id) as LargeFileEntry;
    const path = `/api/conversations/${conversationId}/files/${entry.id}`;
    const whole = await download(colleague.browser, path);
    expect(whole.status).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.headers['content-length']).toBe(String(big.cipher.length));
    expect(whole.headers['cache-control']).toBe('no-store');
    const decrypted = await decryptContent(fromBase64Url(entry.key), new Uint8Array(whole.body), {
      associatedData: entry.id,
    });
    expect(same(decrypted, big.plain)).toBe(true);

    const tail = await download(colleague.browser, path, 'bytes=1000000-');
    expect(tail.status).toBe(206);
    expect(tail.headers['content-range']).toBe(`bytes 1000000-${big.cipher.length - 1}/${big.cipher.length}`);
    expect(tail.headers['accept-ranges']).toBe('bytes');
    expect(same(tail.body, big.cipher.subarray(1_000_000))).toBe(true);
    const middle = await download(colleague.browser, path, 'bytes=10-19');
    expect([middle.status, middle.headers['content-range']]).toEqual([
      206,
      `bytes 10-19/${big.cipher.length}`,
    ]);
    expect(same(middle.body, big.cipher.subarray(10, 20))).toBe(true);
    const suffix = await download(colleague.browser, path, 'bytes=-100');
    expect(suffix.status).toBe(206);
    expect(same(suffix.body, big.cipher.subarray(big.cipher.length - 100))).toBe(true);
    const outside = await download(colleague.browser, path, `bytes=${big.cipher.length}-`);
    expect(outside.status).toBe(416);
    expect(JSON.parse(outside.body.toString()).error.code).toBe('range_not_satisfiable');

    // Resuming where a dropped download stopped gives the same plaintext.
    const first = await download(colleague.browser, path, 'bytes=0-999999');
    const rest = await download(colleague.browser, path, 'bytes=1000000-');
    const joined = new Uint8Array(Buffer.concat([first.body, rest.body]));
    expect(
      same(await decryptContent(fromBase64Url(entry.key), joined, { associatedData: entry.id }), big.plain),
    ).toBe(true);
  });

  it('a team member downloads through the team key', async () => {
    const read = await readAsStaff(teamMember, conversationId);
    const manifest = manifestOf(read.items[0]);
    const entry = manifest.find((f) => f.id === tiny.entry.id) as LargeFileEntry;
    const response = await download(
      teamMember.browser,
      `/api/conversations/${conversationId}/files/${entry.id}`,
    );
    expect(response.status).toBe(200);
    const decrypted = await decryptContent(fromBase64Url(entry.key), new Uint8Array(response.body), {
      associatedData: entry.id,
    });
    expect(same(decrypted, tiny.plain)).toBe(true);
  });

  it('a guest is refused before verification and downloads after it', async () => {
    await t.deps.jobs.runDueJobs();
    const { recipientId } = guestLinkFromMail(t, guestAddress);
    const early = await download(new Browser(t.app), `/api/guest/${recipientId}/files/${big.entry.id}`);
    expect(early.status).toBe(401);
    expect(JSON.parse(early.body.toString()).error.code).toBe('guest_session_required');

    guest = await verifySmsGuest(guestAddress);
    const read = await readAsGuest(guest.guest, guest.link);
    expect(read.conversation.items[0]?.files).toHaveLength(2);
    const manifest = manifestOf(read.items[0]);
    for (const [entry, expected] of [
      [manifest.find((f) => f.id === big.entry.id), big.plain],
      [manifest.find((f) => f.id === tiny.entry.id), tiny.plain],
    ] as const) {
      if (!entry) throw new Error('file missing from the manifest');
      const response = await download(guest.guest, `/api/guest/${recipientId}/files/${entry.id}`);
      expect(response.status).toBe(200);
      expect(response.headers['accept-ranges']).toBe('bytes');
      const decrypted = await decryptContent(fromBase64Url(entry.key), new Uint8Array(response.body), {
        associatedData: entry.id,
      });
      expect(same(decrypted, expected)).toBe(true);
    }
    const range = await download(guest.guest, `/api/guest/${recipientId}/files/${big.entry.id}`, 'bytes=5-');
    expect(range.status).toBe(206);
    expect(same(range.body, big.cipher.subarray(5))).toBe(true);
  });

  it('receipts show each file download per participant with its time; resumed ranges are not new downloads', async () => {
    const detail = (
      await sender.browser.get(`/api/conversations/${conversationId}`)
    ).json() as ConversationDetail;
    const byKind = (kind: Participant['kind']) =>
      detail.participants.find((p) => p.kind === kind) as Participant;
    const at = t.clock.now().toISOString();
    const colleagueDownloads = detail.participants.find((p) => p.refId === colleague.id);
    // The colleague: one whole download and one range from byte 0 (the resume test's first part).
    expect(colleagueDownloads?.fileDownloads).toEqual([
      { fileId: big.entry.id, at },
      { fileId: big.entry.id, at },
    ]);
    expect(byKind('team').fileDownloads).toEqual([{ fileId: tiny.entry.id, at }]);
    expect(byKind('guest').fileDownloads).toEqual(
      expect.arrayContaining([
        { fileId: big.entry.id, at },
        { fileId: tiny.entry.id, at },
      ]),
    );
    expect(byKind('guest').fileDownloads).toHaveLength(2);
    // Attachment receipts stay separate.
    for (const p of detail.participants) expect(p.downloads).toEqual([]);

    const report = (
      await sender.browser.get(`/api/conversations/${conversationId}/report`)
    ).json() as DeliveryReport;
    const fileEvents = report.events.filter((e) => e.type === 'downloaded');
    expect(fileEvents).toHaveLength(5);
    expect(fileEvents.every((e) => e.fileId && e.attachmentId === null)).toBe(true);
    const pdf = await sender.browser.get(`/api/conversations/${conversationId}/report.pdf`);
    expect([pdf.statusCode, pdf.headers['content-type']]).toEqual([200, 'application/pdf']);
    // Audited like attachment downloads: staff with the file as object, guests in the details.
    const audit = await t.deps.db
      .selectFrom('audit_events')
      .select(['object_type', 'object_id', 'actor_role', 'details'])
      .where('action', '=', 'file.downloaded')
      .execute();
    const ofBig = audit.filter(
      (a) => a.object_id === big.entry.id || (a.details as { fileId?: string }).fileId === big.entry.id,
    );
    expect(ofBig.filter((a) => a.object_type === 'file')).toHaveLength(2);
    expect(ofBig.filter((a) => a.actor_role === 'guest')).toHaveLength(1);
  });

  it('a staff reply carries files too', async () => {
    const more = await uploadLargeFile(colleague, conversationId, 3000);
    const response = await replyWithFiles(colleague, conversationId, [more.entry]);
    expect(response.statusCode, response.body).toBe(201);
    const detail = (
      await sender.browser.get(`/api/conversations/${conversationId}`)
    ).json() as ConversationDetail;
    expect(detail.items[1]?.files).toEqual([{ id: more.entry.id, size: more.cipher.length }]);
    const got = await download(sender.browser, `/api/conversations/${conversationId}/files/${more.entry.id}`);
    expect(got.status).toBe(200);
    expect(
      same(
        await decryptContent(fromBase64Url(more.entry.key), new Uint8Array(got.body), {
          associatedData: more.entry.id,
        }),
        more.plain,
      ),
    ).toBe(true);
  });

  it('refuses bad files at send and reply, and stores nothing', async () => {
    const otherConversation = crypto.randomUUID();
    const foreign = await uploadLargeFile(colleague, otherConversation, 10);
    const half = await uploadLargeFile(sender, otherConversation, 2 * MiB, { complete: false });
    const fine = await uploadLargeFile(sender, otherConversation, 10);
    const cases: [string, LargeFileEntry[], string][] = [
      ['another user’s file', [foreign.entry], foreign.entry.id],
      ['an incomplete upload', [half.entry], half.entry.id],
      ['an already attached file', [fine.entry, big.entry], big.entry.id],
      ['a forged id', [{ ...fine.entry, id: crypto.randomUUID() }], ''],
      ['a file listed twice', [fine.entry, fine.entry], fine.entry.id],
    ];
    for (const [label, files, fileId] of cases) {
      const sent = await sendSecureMessage(t, sender, {
        conversationId: otherConversation,
        subject: 's',
        bodyHtml: 'b',
        users: [colleague],
        files,
      });
      expect([400, 422], `${label}: ${sent.response.body}`).toContain(sent.response.statusCode);
      const error = sent.response.json().error;
      expect(error.code, label).toBe('validation_failed');
      expect(error.details.fileId, label).toBe(fileId || (files[0] as LargeFileEntry).id);
      expect((await sender.browser.get(`/api/conversations/${otherConversation}`)).statusCode).toBe(404);
    }
    // Nothing got linked by the refused sends.
    expect((await fileRow(fine.entry.id))?.item_id).toBeNull();
    const reply = await replyWithFiles(sender, conversationId, [foreign.entry]);
    expect(reply.statusCode).toBe(400);
    expect(reply.json().error.details.fileId).toBe(foreign.entry.id);
    const tooMany = await replyWithFiles(
      sender,
      conversationId,
      Array.from({ length: 51 }, () => ({ ...fine.entry, id: crypto.randomUUID() })),
    );
    expect(tooMany.statusCode).toBe(400);
  });

  it('answers 404 for a file that is not in the conversation, on every download route', async () => {
    const elsewhere = crypto.randomUUID();
    const other = await uploadLargeFile(sender, elsewhere, 20);
    const otherSent = await sendSecureMessage(t, sender, {
      conversationId: elsewhere,
      subject: 's',
      bodyHtml: 'b',
      users: [stranger],
      files: [other.entry],
    });
    expect(otherSent.response.statusCode).toBe(201);
    const unsent = await uploadLargeFile(sender, conversationId, 20);
    const { recipientId } = guest.link;
    for (const [browser, path] of [
      // a file of another conversation (the colleague is only in this one)
      [colleague.browser, `/api/conversations/${conversationId}/files/${other.entry.id}`],
      // the sender is in both conversations, but the file belongs to the other one
      [sender.browser, `/api/conversations/${conversationId}/files/${other.entry.id}`],
      // a complete upload never sent
      [sender.browser, `/api/conversations/${conversationId}/files/${unsent.entry.id}`],
      // a forged id
      [colleague.browser, `/api/conversations/${conversationId}/files/${crypto.randomUUID()}`],
      // a colleague who is not in the conversation
      [stranger.browser, `/api/conversations/${conversationId}/files/${big.entry.id}`],
      // the guest asks for another conversation's file
      [guest.guest, `/api/guest/${recipientId}/files/${other.entry.id}`],
      [guest.guest, `/api/guest/${recipientId}/files/${unsent.entry.id}`],
    ] as const) {
      const response = await download(browser, path);
      expect(response.status, path).toBe(404);
      expect(JSON.parse(response.body.toString()).error.code).toBe('not_found');
    }
    expect(
      (await download(colleague.browser, `/api/conversations/${conversationId}/files/nope`)).status,
    ).toBe(400);
    expect(
      (await download(new Browser(t.app), `/api/conversations/${conversationId}/files/${big.entry.id}`))
        .status,
    ).toBe(401);
  });
});

describe('revoke and expiry delete the key material, then the blobs and rows', () => {
  it('revoking every recipient of a guest-only transfer deletes its files', async () => {
    const conversationId = crypto.randomUUID();
    const address = uniqueEmail('intrekken');
    const file = await uploadLargeFile(sender, conversationId, MiB + 5);
    const usageBefore = await selectUsage(t.deps.db, organisationId);
    const sent = await sendSecureMessage(t, sender, {
      conversationId,
      subject: 's',
      bodyHtml: 'b',
      guests: [{ address, method: 'sms', phone: PHONE }],
      files: [file.entry],
    });
    expect(sent.response.statusCode, sent.response.body).toBe(201);
    const { guest, link } = await verifySmsGuest(address);
    expect((await download(guest, `/api/guest/${link.recipientId}/files/${file.entry.id}`)).status).toBe(200);
    expect(blobKeysOf(file.entry.id).length).toBeGreaterThan(0);

    const revoked = await sender.browser.post(`/api/conversations/${conversationId}/revoke`, {});
    expect(revoked.statusCode).toBe(200);
    const keys = await t.deps.db
      .selectFrom('item_keys')
      .select('holder_id')
      .where('holder_id', '=', link.recipientId)
      .execute();
    expect(keys).toEqual([]);
    expect(blobKeysOf(file.entry.id)).toEqual([]);
    expect(await fileRow(file.entry.id)).toBeUndefined();
    expect(
      await t.deps.db
        .selectFrom('file_segments')
        .select('file_id')
        .where('file_id', '=', file.entry.id)
        .execute(),
    ).toEqual([]);
    expect(await selectUsage(t.deps.db, organisationId)).toBe(usageBefore - file.cipher.length);
    expect((await download(guest, `/api/guest/${link.recipientId}/files/${file.entry.id}`)).status).toBe(410);
    expect(
      (await download(sender.browser, `/api/conversations/${conversationId}/files/${file.entry.id}`)).status,
    ).toBe(404);
    const detail = (
      await sender.browser.get(`/api/conversations/${conversationId}`)
    ).json() as ConversationDetail;
    expect(detail.items[0]?.files).toEqual([]);
    // The receipt stays for the proof of delivery.
    expect(detail.participants.find((p) => p.kind === 'guest')?.fileDownloads).toEqual([
      { fileId: file.entry.id, at: t.clock.now().toISOString() },
    ]);
  });

  it('revoking a guest while a colleague still reads keeps the files until expiry', async () => {
    const conversationId = crypto.randomUUID();
    const file = await uploadLargeFile(sender, conversationId, 100);
    const sent = await sendSecureMessage(t, sender, {
      conversationId,
      subject: 's',
      bodyHtml: 'b',
      users: [colleague],
      guests: [{ address: uniqueEmail('half'), method: 'email_only' }],
      files: [file.entry],
    });
    expect(sent.response.statusCode).toBe(201);
    expect((await sender.browser.post(`/api/conversations/${conversationId}/revoke`, {})).statusCode).toBe(
      200,
    );
    expect(blobKeysOf(file.entry.id).length).toBeGreaterThan(0);
    const got = await download(
      colleague.browser,
      `/api/conversations/${conversationId}/files/${file.entry.id}`,
    );
    expect(got.status).toBe(200);
    expect(same(got.body, file.cipher)).toBe(true);
  });

  it('expiry shreds the guests’ keys and deletes every file of the conversation', async () => {
    const conversationId = crypto.randomUUID();
    const address = uniqueEmail('vervalt');
    const first = await uploadLargeFile(sender, conversationId, 3 * MiB);
    const second = await uploadLargeFile(sender, conversationId, 0);
    const sent = await sendSecureMessage(t, sender, {
      conversationId,
      subject: 's',
      bodyHtml: 'b',
      users: [colleague],
      guests: [{ address, method: 'email_only' }],
      files: [first.entry],
      expiresAt: new Date(t.clock.now().getTime() + 2 * DAY_MS).toISOString(),
    });
    expect(sent.response.statusCode, sent.response.body).toBe(201);
    expect((await replyWithFiles(colleague, conversationId, [])).statusCode).toBe(201);
    expect((await replyWithFiles(sender, conversationId, [second.entry])).statusCode).toBe(201);
    const usageBefore = await selectUsage(t.deps.db, organisationId);
    const recipientId = sent.guests[0]?.recipientId as string;

    // The expiry passes (moved in the database: advancing the clock would end the staff sessions).
    await t.deps.db
      .updateTable('conversations')
      .set({ expires_at: new Date(t.clock.now().getTime() - 1000) })
      .where('id', '=', conversationId)
      .execute();
    {
      // Files end with the conversation, for staff too, even before the job has run.
      const late = await download(
        colleague.browser,
        `/api/conversations/${conversationId}/files/${first.entry.id}`,
      );
      expect(late.status).toBe(410);
      expect(JSON.parse(late.body.toString()).error.code).toBe('message_expired');
      expect(await purgeExpiredConversations(t.deps)).toBeGreaterThanOrEqual(1);
      const guestRow = await t.deps.db
        .selectFrom('guest_credentials')
        .select('server_share')
        .where('participant_id', '=', recipientId)
        .executeTakeFirstOrThrow();
      expect(guestRow.server_share).toBeNull();
      expect(
        await t.deps.db
          .selectFrom('item_keys')
          .select('holder_id')
          .where('holder_id', '=', recipientId)
          .execute(),
      ).toEqual([]);
      for (const file of [first, second]) {
        expect(blobKeysOf(file.entry.id)).toEqual([]);
        expect(await fileRow(file.entry.id)).toBeUndefined();
      }
      expect(await selectUsage(t.deps.db, organisationId)).toBe(
        usageBefore - first.cipher.length - second.cipher.length,
      );
      const detail = (
        await colleague.browser.get(`/api/conversations/${conversationId}`)
      ).json() as ConversationDetail;
      expect(detail.items.flatMap((i) => i.files)).toEqual([]);
    }
  });

  it('a later run deletes files an interrupted expiry left behind', async () => {
    const conversationId = crypto.randomUUID();
    const file = await uploadLargeFile(sender, conversationId, 50);
    const sent = await sendSecureMessage(t, sender, {
      conversationId,
      subject: 's',
      bodyHtml: 'b',
      users: [colleague],
      files: [file.entry],
    });
    expect(sent.response.statusCode).toBe(201);
    // As if the run crashed after shredding and marking the conversation purged.
    await t.deps.db
      .updateTable('conversations')
      .set({ purged_at: t.clock.now() })
      .where('id', '=', conversationId)
      .execute();
    await purgeExpiredConversations(t.deps);
    expect(await fileRow(file.entry.id)).toBeUndefined();
    expect(blobKeysOf(file.entry.id)).toEqual([]);
  });
});

describe('uploads never sent', () => {
  it('the files sweep deletes a complete upload not sent within the abandon time, never a sent file', async () => {
    const conversationId = crypto.randomUUID();
    const sentFile = await uploadLargeFile(sender, conversationId, 40);
    const unsent = await uploadLargeFile(sender, conversationId, 40);
    const sent = await sendSecureMessage(t, sender, {
      conversationId,
      subject: 's',
      bodyHtml: 'b',
      users: [colleague],
      files: [sentFile.entry],
    });
    expect(sent.response.statusCode).toBe(201);
    const usageBefore = await selectUsage(t.deps.db, organisationId);
    // Last in this file: the clock moves on and ends every session.
    t.clock.advance((t.deps.config.uploadAbandonHours + 1) * 3600_000);
    expect(await purgeAbandonedUploads(t.deps)).toBeGreaterThanOrEqual(1);
    expect(await fileRow(unsent.entry.id)).toBeUndefined();
    expect(blobKeysOf(unsent.entry.id)).toEqual([]);
    expect((await fileRow(sentFile.entry.id))?.item_id).toBe(sent.itemId);
    expect(blobKeysOf(sentFile.entry.id).length).toBeGreaterThan(0);
    expect(await selectUsage(t.deps.db, organisationId)).toBeLessThanOrEqual(
      usageBefore - unsent.cipher.length,
    );
  });
});
