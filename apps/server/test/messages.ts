import type { GuestConversation, MessageContent, RecipientInput } from '@zegel/protocol/api';
import {
  createGuestInvitation,
  createTeamKeys,
  decryptContent,
  decryptItem,
  deriveAccessCodeSecrets,
  deriveGuestKeyPair,
  encodeLinkSecret,
  encryptContent,
  encryptGuestReply,
  encryptItem,
  fromBase64Url,
  generateContentKey,
  generateKeyPair,
  type KeyPair,
  parseLinkSecret,
  toBase64Url,
  unwrapTeamPrivateKey,
  utf8,
  wrapPrivateKey,
} from '@zegel/protocol/crypto';
import { type TestUser, uniqueEmail } from './factories.ts';
import { type Browser, rememberGuestLink, type TestApp } from './harness.ts';

/**
 * The browser's side of secure messages, played with the real crypto from
 * `@zegel/protocol/crypto`, so server tests exercise the whole journey.
 */

export const TEST_ARGON = { algorithm: 'argon2id' as const, memoryKiB: 256, iterations: 1, parallelism: 1 };

export interface StaffWithKeys extends TestUser {
  keys: KeyPair;
}

/** The browser's first full sign-in: make a key pair, wrap the private key, upload both. */
export async function enrolKeys(user: TestUser): Promise<StaffWithKeys> {
  const keys = await generateKeyPair();
  const keyWrappingKey = crypto.getRandomValues(new Uint8Array(32));
  const wrapped = await wrapPrivateKey(keys.privateKey, keyWrappingKey, user.id);
  const response = await user.browser.put('/api/account/keys', {
    publicKey: toBase64Url(keys.publicKey),
    wrappedPrivateKey: toBase64Url(wrapped),
  });
  if (response.statusCode !== 201) throw new Error(`keys: ${response.body}`);
  return { ...user, keys };
}

/** An admin makes a team; its first member's browser creates and wraps the team key for all. */
export async function createTeamWithKeys(
  admin: TestUser,
  members: StaffWithKeys[],
  name = `Team ${crypto.randomUUID().slice(0, 8)}`,
) {
  const team = (await admin.browser.post('/api/admin/teams', { name, description: '' })).json() as {
    id: string;
  };
  for (const m of members)
    await admin.browser.put(`/api/teams/${team.id}/members/${m.id}`, { role: 'member' });
  const first = members[0] as StaffWithKeys;
  const { keyPair, wrappedKeys } = await createTeamKeys(
    team.id,
    members.map((m) => ({ userId: m.id, publicKey: m.keys.publicKey })),
  );
  const response = await first.browser.put(`/api/teams/${team.id}/keys`, {
    publicKey: toBase64Url(keyPair.publicKey),
    wraps: wrappedKeys.map((w) => ({
      userId: w.userId,
      wrappedPrivateKey: toBase64Url(w.wrappedPrivateKey),
    })),
  });
  if (response.statusCode !== 201) throw new Error(`team keys: ${response.body}`);
  return { id: team.id, keys: keyPair };
}

/** PUT of a raw body with the browser's cookies. */
export async function putBytes(t: TestApp, browser: Browser, url: string, bytes: Uint8Array) {
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return t.app.inject({
    method: 'PUT',
    url,
    remoteAddress: browser.ip,
    headers: {
      'content-type': 'application/octet-stream',
      'x-zegel-csrf': '1',
      ...(cookie ? { cookie } : {}),
    },
    payload: Buffer.from(bytes),
  });
}

export interface AttachmentInput {
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** Encrypts and uploads attachments; returns the manifest entries. */
export async function uploadAttachments(
  t: TestApp,
  browser: Browser,
  files: AttachmentInput[],
  uploadPath: string,
) {
  const manifest: MessageContent['attachments'] = [];
  for (const file of files) {
    const id = crypto.randomUUID();
    const key = generateContentKey();
    const ciphertext = await encryptContent(key, file.bytes, { associatedData: id });
    const response = await putBytes(t, browser, `${uploadPath}/${id}`, ciphertext);
    if (response.statusCode !== 201) throw new Error(`upload: ${response.body}`);
    manifest.push({ id, name: file.name, type: file.type, size: file.bytes.length, key: toBase64Url(key) });
  }
  return manifest;
}

/** A large file in the encrypted manifest (the web app's `files` entry): the key travels only here. */
export interface LargeFileEntry {
  id: string;
  key: string;
  name: string;
  type: string;
  size: number;
}

export interface GuestSpec {
  address: string;
  method: 'sms' | 'access_code' | 'email_only';
  phone?: string;
  accessCode?: string;
  hint?: string;
  role?: 'to' | 'cc' | 'bcc';
}

/** Composes, encrypts and sends a message the way the web app does. */
export async function sendSecureMessage(
  t: TestApp,
  sender: StaffWithKeys,
  options: {
    subject: string;
    bodyHtml: string;
    attachments?: AttachmentInput[];
    users?: StaffWithKeys[];
    teams?: { id: string; keys: KeyPair }[];
    guests?: GuestSpec[];
    expiresAt?: string;
    /** Large files already uploaded with tus: manifest entries, and the ids go into `files`. */
    files?: LargeFileEntry[];
    /** The conversation id to use (large files are uploaded with it as `messageId` first). */
    conversationId?: string;
  },
) {
  const conversationId = options.conversationId ?? crypto.randomUUID();
  const itemId = crypto.randomUUID();
  const manifest = await uploadAttachments(t, sender.browser, options.attachments ?? [], '/api/uploads');
  const recipients: RecipientInput[] = [];
  const keyRecipients: { recipientId: string; publicKey: Uint8Array }[] = [
    { recipientId: sender.id, publicKey: sender.keys.publicKey },
  ];
  for (const user of options.users ?? []) {
    recipients.push({ kind: 'user', userId: user.id, role: 'to' });
    keyRecipients.push({ recipientId: user.id, publicKey: user.keys.publicKey });
  }
  for (const team of options.teams ?? []) {
    recipients.push({ kind: 'team', teamId: team.id, role: 'cc' });
    keyRecipients.push({ recipientId: team.id, publicKey: team.keys.publicKey });
  }
  const guests: { recipientId: string; address: string; linkSecret: string; accessCode?: string }[] = [];
  for (const guest of options.guests ?? []) {
    const recipientId = crypto.randomUUID();
    const invitation = await createGuestInvitation({
      guestId: recipientId,
      ...(guest.accessCode ? { accessCode: guest.accessCode, kdfParams: TEST_ARGON } : {}),
    });
    const linkSecret = encodeLinkSecret(invitation.linkSecret);
    rememberGuestLink(recipientId, linkSecret);
    recipients.push({
      kind: 'guest',
      recipientId,
      address: guest.address,
      role: guest.role ?? 'to',
      method: guest.method,
      ...(guest.phone === undefined ? {} : { phone: guest.phone }),
      ...(invitation.accessCode
        ? {
            accessCode: {
              salt: toBase64Url(invitation.accessCode.salt),
              params: { ...invitation.accessCode.params, algorithm: 'argon2id' as const },
              verifierHash: toBase64Url(invitation.accessCode.verifierHash),
            },
          }
        : {}),
      ...(guest.hint ? { accessCodeHint: guest.hint } : {}),
      serverShare: toBase64Url(invitation.serverShare),
      publicKey: toBase64Url(invitation.publicKey),
      linkSecret,
    });
    keyRecipients.push({ recipientId, publicKey: invitation.publicKey });
    guests.push({
      recipientId,
      address: guest.address,
      linkSecret,
      ...(guest.accessCode ? { accessCode: guest.accessCode } : {}),
    });
  }
  const content: MessageContent & { files?: LargeFileEntry[] } = {
    v: 1,
    subject: options.subject,
    bodyHtml: options.bodyHtml,
    attachments: manifest,
    ...(options.files ? { files: options.files } : {}),
  };
  const encrypted = await encryptItem({
    itemId,
    plaintext: utf8.encode(JSON.stringify(content)),
    recipients: keyRecipients,
  });
  const response = await sender.browser.post('/api/messages', {
    conversationId,
    itemId,
    item: toBase64Url(encrypted.ciphertext),
    attachments: manifest.map((a) => ({ id: a.id })),
    ...(options.files ? { files: options.files.map((f) => ({ id: f.id })) } : {}),
    recipients,
    wrappedKeys: encrypted.wrappedKeys.map((k) => ({
      holderId: k.recipientId,
      wrappedKey: toBase64Url(k.wrappedKey),
    })),
    ...(options.expiresAt ? { expiresAt: options.expiresAt } : {}),
  });
  return { response, conversationId, itemId, guests, manifest };
}

/** Sends a message to one new SMS guest (and staff `users`), delivers the mail, returns the guest's link. */
export async function sendToSmsGuest(
  t: TestApp,
  sender: StaffWithKeys,
  phone: string,
  users: StaffWithKeys[] = [],
) {
  const address = uniqueEmail('gast');
  const sent = await sendSecureMessage(t, sender, {
    subject: 's',
    bodyHtml: 'b',
    guests: [{ address, method: 'sms', phone }],
    users,
  });
  if (sent.response.statusCode !== 201) throw new Error(`send failed: ${sent.response.body}`);
  await t.deps.jobs.runDueJobs();
  return { address, ...guestLinkFromMail(t, address), conversationId: sent.conversationId };
}

/** The guest link (`/g/<id>#<secret>`) from the last notification mail to an address. */
export function guestLinkFromMail(t: TestApp, address: string) {
  const mail = t.mailer.sent.findLast((m) => m.to === address);
  if (!mail) throw new Error(`no mail to ${address}`);
  const match = /\/g\/([0-9a-f-]{36})#([A-Za-z0-9_-]{43})/.exec(mail.text);
  if (!match?.[1] || !match[2]) throw new Error('no guest link in mail');
  rememberGuestLink(match[1], match[2]);
  return { recipientId: match[1], linkSecret: match[2] };
}

/** The guest's browser after verification: derive the key pair and decrypt everything. */
export async function readAsGuest(
  browser: Browser,
  link: { recipientId: string; linkSecret: string },
  accessCode?: string,
) {
  const conversation = (
    await browser.get(`/api/guest/${link.recipientId}/conversation`)
  ).json() as GuestConversation;
  let codeKey: Uint8Array | undefined;
  if (accessCode) {
    const landing = (await browser.get(`/api/guest/${link.recipientId}`)).json();
    codeKey = (
      await deriveAccessCodeSecrets(
        accessCode,
        fromBase64Url(landing.accessCode.salt),
        landing.accessCode.params,
      )
    ).codeKey;
  }
  const keyPair = await deriveGuestKeyPair({
    guestId: link.recipientId,
    linkSecret: parseLinkSecret(link.linkSecret),
    serverShare: fromBase64Url(conversation.serverShare),
    ...(codeKey ? { codeKey } : {}),
  });
  if (toBase64Url(keyPair.publicKey) !== conversation.guestPublicKey)
    throw new Error('derived guest key does not match');
  const items = [];
  for (const item of conversation.items) {
    const plaintext = await decryptItem({
      itemId: item.id,
      ciphertext: fromBase64Url(item.ciphertext),
      wrappedKey: fromBase64Url(item.wrappedKeys[0]?.wrappedKey ?? ''),
      privateKey: keyPair.privateKey,
    });
    items.push({ id: item.id, content: JSON.parse(utf8.decode(plaintext)) as MessageContent });
  }
  const downloads = new Map<string, Uint8Array>();
  for (const item of items) {
    for (const a of item.content.attachments) {
      const response = await browser.get(`/api/guest/${link.recipientId}/attachments/${a.id}`);
      if (response.statusCode !== 200) throw new Error(`download: ${response.body}`);
      downloads.set(
        a.name,
        await decryptContent(fromBase64Url(a.key), response.rawPayload, { associatedData: a.id }),
      );
    }
  }
  return { conversation, keyPair, items, downloads };
}

/** The body of a guest reply (attachments uploaded first), encrypted to the staff side and itself. */
export async function guestReplyBody(
  t: TestApp,
  browser: Browser,
  guest: {
    recipientId: string;
    publicKey: Uint8Array;
    replyRecipients: GuestConversation['replyRecipients'];
  },
  content: Omit<MessageContent, 'v' | 'attachments'>,
  files: AttachmentInput[] = [],
) {
  const manifest = await uploadAttachments(t, browser, files, `/api/guest/${guest.recipientId}/uploads`);
  const itemId = crypto.randomUUID();
  const encrypted = await encryptGuestReply({
    itemId,
    plaintext: utf8.encode(JSON.stringify({ v: 1, ...content, attachments: manifest })),
    staffRecipients: guest.replyRecipients.map((r) => ({
      recipientId: r.holderId,
      publicKey: fromBase64Url(r.publicKey),
    })),
    guest: { recipientId: guest.recipientId, publicKey: guest.publicKey },
  });
  return {
    itemId,
    item: toBase64Url(encrypted.ciphertext),
    attachments: manifest.map((a) => ({ id: a.id })),
    wrappedKeys: encrypted.wrappedKeys.map((k) => ({
      holderId: k.recipientId,
      wrappedKey: toBase64Url(k.wrappedKey),
    })),
  };
}

/** A reply from the guest's browser, with attachments, encrypted to the staff side and itself. */
export async function replyAsGuest(
  t: TestApp,
  browser: Browser,
  guest: { recipientId: string; keyPair: KeyPair; conversation: GuestConversation },
  text: string,
  files: AttachmentInput[] = [],
) {
  const body = await guestReplyBody(
    t,
    browser,
    {
      recipientId: guest.recipientId,
      publicKey: guest.keyPair.publicKey,
      replyRecipients: guest.conversation.replyRecipients,
    },
    { subject: 'Re', bodyHtml: text },
    files,
  );
  return browser.post(`/api/guest/${guest.recipientId}/replies`, body);
}

/** The body of a staff reply or follow-up, encrypted to the given key holders (and keys). */
export async function staffItemBody(
  holders: { holderId: string; publicKey: string | Uint8Array }[],
  content: Omit<MessageContent, 'v' | 'attachments'>,
) {
  const itemId = crypto.randomUUID();
  const encrypted = await encryptItem({
    itemId,
    plaintext: utf8.encode(JSON.stringify({ v: 1, ...content, attachments: [] })),
    recipients: holders.map((h) => ({
      recipientId: h.holderId,
      publicKey: typeof h.publicKey === 'string' ? fromBase64Url(h.publicKey) : h.publicKey,
    })),
  });
  return {
    itemId,
    item: toBase64Url(encrypted.ciphertext),
    attachments: [],
    wrappedKeys: encrypted.wrappedKeys.map((k) => ({
      holderId: k.recipientId,
      wrappedKey: toBase64Url(k.wrappedKey),
    })),
  };
}

/** Decrypts a conversation's items as a staff member (own key, or a team key via its wrap). */
export async function readAsStaff(user: StaffWithKeys, conversationId: string) {
  const detail = (await user.browser.get(`/api/conversations/${conversationId}`)).json();
  const teamKeys = (await user.browser.get('/api/account/team-keys')).json().teams as {
    teamId: string;
    publicKey: string | null;
    wrappedPrivateKey: string | null;
  }[];
  const privateKeys = new Map<string, Uint8Array>([[user.id, user.keys.privateKey]]);
  for (const team of teamKeys) {
    if (team.publicKey && team.wrappedPrivateKey)
      privateKeys.set(
        team.teamId,
        await unwrapTeamPrivateKey(
          fromBase64Url(team.wrappedPrivateKey),
          user.keys.privateKey,
          team.teamId,
          fromBase64Url(team.publicKey),
        ),
      );
  }
  const items: { id: string; authorKind: string; content: MessageContent }[] = [];
  for (const item of detail.items as GuestConversation['items']) {
    const key = item.wrappedKeys.find((k) => privateKeys.has(k.holderId));
    if (!key) continue;
    const plaintext = await decryptItem({
      itemId: item.id,
      ciphertext: fromBase64Url(item.ciphertext),
      wrappedKey: fromBase64Url(key.wrappedKey),
      privateKey: privateKeys.get(key.holderId) as Uint8Array,
    });
    items.push({ id: item.id, authorKind: item.author.kind, content: JSON.parse(utf8.decode(plaintext)) });
  }
  return { detail, items, privateKeys };
}

/** The SMS code last sent to a number. */
export function lastSmsCode(t: TestApp, phone: string): string {
  const sms = t.sms.sent.findLast((s) => s.to === phone);
  const code = sms && /\b(\d{6})\b/.exec(sms.text)?.[1];
  if (!code) throw new Error(`no SMS code to ${phone}`);
  return code;
}
