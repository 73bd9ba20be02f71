import {
  decryptItem,
  encryptItem,
  fromBase64Url,
  generateKeyPair,
  type KeyPair,
  toBase64Url,
  unwrapTeamPrivateKey,
  utf8,
  wrapTeamPrivateKey,
} from '@zegel/protocol/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptCareInvitation, careOrganisation, type TestPerson } from '../../../test/care.ts';
import { uniqueEmail } from '../../../test/factories.ts';
import { type Browser, createTestApp, type TestApp } from '../../../test/harness.ts';
import { enrolKeys, type StaffWithKeys } from '../../../test/messages.ts';

type Caller = { browser: Browser; keys: KeyPair };
let t: TestApp;
let coordinator: StaffWithKeys;
let professional: StaffWithKeys;
let outsider: StaffWithKeys;
let client: TestPerson;
let carer: TestPerson;
let networkId: string;
let carerMemberId: string;
let late: StaffWithKeys;
let lateMemberId: string;
const firstKey = { id: crypto.randomUUID(), pair: undefined as unknown as KeyPair };
const url = (path = '') => `/api/care-networks/${networkId}${path}`;

/** A member's browser: make a network key and wrap its private key to the given members. */
async function wrapsFor(caller: Caller, keyId: string, pair: KeyPair, except: string[] = []) {
  const view = (await caller.browser.get(url('/keys'))).json();
  const wraps = [];
  for (const m of view.members as { memberId: string; publicKey: string | null }[]) {
    if (!m.publicKey || except.includes(m.memberId)) continue;
    const wrapped = await wrapTeamPrivateKey(pair.privateKey, fromBase64Url(m.publicKey), keyId);
    wraps.push({ memberId: m.memberId, wrappedPrivateKey: toBase64Url(wrapped) });
  }
  return wraps;
}

/** A member's browser: the network private key of `keyId`, unwrapped with their own key. */
async function networkPrivateKey(caller: Caller, keyId: string) {
  const mine = (await caller.browser.get(url('/keys'))).json().mine as {
    keyId: string;
    publicKey: string;
    wrappedPrivateKey: string;
  }[];
  const wrap = mine.find((k) => k.keyId === keyId);
  if (!wrap) throw new Error('no wrap of this key');
  return unwrapTeamPrivateKey(
    fromBase64Url(wrap.wrappedPrivateKey),
    caller.keys.privateKey,
    keyId,
    fromBase64Url(wrap.publicKey),
  );
}

/** Encrypts `text` to the network key and posts it to `path` (the conversation or a folder). */
async function post(caller: Caller, keyId: string, publicKey: Uint8Array, text: string, path = '/items') {
  const itemId = crypto.randomUUID();
  const sealed = await encryptItem({
    itemId,
    plaintext: utf8.encode(text),
    recipients: [{ recipientId: keyId, publicKey }],
  });
  const response = await caller.browser.post(url(path), {
    itemId,
    item: toBase64Url(sealed.ciphertext),
    attachments: [],
    wrappedKeys: sealed.wrappedKeys.map((k) => ({
      holderId: k.recipientId,
      wrappedKey: toBase64Url(k.wrappedKey),
    })),
  });
  return { response, itemId };
}

async function read(caller: Caller, itemId: string, keyId: string, privateKey: Uint8Array) {
  const items = (await caller.browser.get(url('/items'))).json().items as Array<{
    id: string;
    ciphertext: string;
    wrappedKeys: { holderId: string; wrappedKey: string }[];
  }>;
  const item = items.find((i) => i.id === itemId);
  const wrapped = item?.wrappedKeys.find((k) => k.holderId === keyId);
  if (!item || !wrapped) throw new Error('item or key missing');
  const plain = await decryptItem({
    itemId,
    ciphertext: fromBase64Url(item.ciphertext),
    wrappedKey: fromBase64Url(wrapped.wrappedKey),
    privateKey,
  });
  return utf8.decode(plain);
}

beforeAll(async () => {
  t = await createTestApp();
  const host = await careOrganisation(t, 'Thuiszorg Zuid', 2);
  const other = await careOrganisation(t, 'Fysio Centrum', 1);
  coordinator = await enrolKeys(host.staff[0]!);
  outsider = await enrolKeys(host.staff[1]!);
  professional = await enrolKeys(other.staff[0]!);
  const clientEmail = uniqueEmail('client');
  const carerEmail = uniqueEmail('carer');
  networkId = (
    await coordinator.browser.post('/api/care-networks', {
      name: 'Netwerk Bakker',
      client: { name: 'Truus Bakker', email: clientEmail },
      legalBasis: 'behandelovereenkomst',
    })
  ).json().id;
  await coordinator.browser.post(url('/members'), {
    role: 'professional',
    userId: professional.id,
    legalBasis: 'behandelovereenkomst',
  });
  const added = await coordinator.browser.post(url('/members'), {
    role: 'carer',
    name: 'Zoon Bakker',
    email: carerEmail,
    legalBasis: 'toestemming',
    consentRecord: { kind: 'digital' },
  });
  carerMemberId = added.json().member.id;
  client = await acceptCareInvitation(t, clientEmail);
  carer = await acceptCareInvitation(t, carerEmail);
  firstKey.pair = await generateKeyPair();
});
afterAll(async () => {
  await t.close();
});

describe('the network key', () => {
  it('must be wrapped to every member with a key, and to nobody else', async () => {
    const all = await wrapsFor(coordinator, firstKey.id, firstKey.pair);
    expect(all).toHaveLength(4);
    const body = { keyId: firstKey.id, publicKey: toBase64Url(firstKey.pair.publicKey) };
    const short = await coordinator.browser.post(url('/keys'), { ...body, wraps: all.slice(1) });
    expect(short.statusCode).toBe(422);
    expect((await coordinator.browser.get(url('/keys'))).json().current).toBeNull();
    const created = await coordinator.browser.post(url('/keys'), { ...body, wraps: all });
    expect(created.json()).toEqual({ keyId: firstKey.id, epoch: 1 });
    expect((await outsider.browser.get(url('/keys'))).statusCode).toBe(404);
    expect((await outsider.browser.get(url('/items'))).statusCode).toBe(404);
  });

  it('items are wrapped to it; every member reads them in their own browser', async () => {
    const { response, itemId } = await post(
      coordinator,
      firstKey.id,
      firstKey.pair.publicKey,
      'Dinsdag komt de fysio',
    );
    expect(response.statusCode).toBe(201);
    const carerKey = await networkPrivateKey(carer, firstKey.id);
    expect(await read(carer, itemId, firstKey.id, carerKey)).toBe('Dinsdag komt de fysio');
    const clientKey = await networkPrivateKey(client, firstKey.id);
    expect(await read(client, itemId, firstKey.id, clientKey)).toBe('Dinsdag komt de fysio');
    expect((await post(outsider, firstKey.id, firstKey.pair.publicKey, 'x')).response.statusCode).toBe(404);
    expect((await post(client, firstKey.id, firstKey.pair.publicKey, 'x')).response.statusCode).toBe(403);
  });

  it('is rotated when the client removes a member: the removed carer reads nothing new', async () => {
    const carerOldKey = await networkPrivateKey(carer, firstKey.id);
    expect((await client.browser.delete(url(`/members/${carerMemberId}`))).statusCode).toBe(200);
    const blocked = await post(coordinator, firstKey.id, firstKey.pair.publicKey, 'na verwijdering');
    expect(blocked.response.statusCode).toBe(409);
    expect(blocked.response.json().error.code).toBe('keys_missing');

    const next = { id: crypto.randomUUID(), pair: await generateKeyPair() };
    const body = { keyId: next.id, publicKey: toBase64Url(next.pair.publicKey) };
    const wraps = await wrapsFor(client, next.id, next.pair);
    expect(wraps.map((w) => w.memberId)).not.toContain(carerMemberId);
    const extra = { memberId: carerMemberId, wrappedPrivateKey: wraps[0]!.wrappedPrivateKey };
    expect((await client.browser.post(url('/keys'), { ...body, wraps: [...wraps, extra] })).statusCode).toBe(
      422,
    );
    expect((await client.browser.post(url('/keys'), { ...body, wraps })).json()).toEqual({
      keyId: next.id,
      epoch: 2,
    });

    expect((await post(coordinator, firstKey.id, firstKey.pair.publicKey, 'oud')).response.statusCode).toBe(
      422,
    );
    const { itemId } = await post(
      coordinator,
      next.id,
      next.pair.publicKey,
      'Nieuwe medicatie vanaf maandag',
    );
    const proKey = await networkPrivateKey(professional, next.id);
    expect(await read(professional, itemId, next.id, proKey)).toBe('Nieuwe medicatie vanaf maandag');

    // The carer is out: no route serves them, and even the stored ciphertext with its wrapped key
    // (as a stolen copy would have it) does not open with the old network key they kept.
    expect((await carer.browser.get(url('/items'))).statusCode).toBe(404);
    expect((await carer.browser.get(url('/keys'))).statusCode).toBe(404);
    const stolen = (await professional.browser.get(url('/items')))
      .json()
      .items.find((i: { id: string }) => i.id === itemId);
    await expect(
      decryptItem({
        itemId,
        ciphertext: fromBase64Url(stolen.ciphertext),
        wrappedKey: fromBase64Url(stolen.wrappedKeys[0].wrappedKey),
        privateKey: carerOldKey,
      }),
    ).rejects.toThrow();
  });

  it('a member who joins later gets the current key from a member who holds it', async () => {
    late = await enrolKeys((await careOrganisation(t, 'Apotheek', 1)).staff[0]!);
    const joined = await coordinator.browser.post(url('/members'), {
      role: 'professional',
      userId: late.id,
      legalBasis: 'behandelovereenkomst',
    });
    lateMemberId = joined.json().member.id;
    const view = (await coordinator.browser.get(url('/keys'))).json();
    const current = view.current as { id: string; publicKey: string };
    const networkKey = await networkPrivateKey(coordinator, current.id);
    const lateKey = view.members.find((m: { memberId: string }) => m.memberId === lateMemberId);
    expect(lateKey.hasCurrentKey).toBe(false);
    const wrapped = await wrapTeamPrivateKey(networkKey, fromBase64Url(lateKey.publicKey), current.id);
    const wraps = [{ memberId: lateMemberId, wrappedPrivateKey: toBase64Url(wrapped) }];
    expect((await late.browser.post(url(`/keys/${current.id}/wraps`), { wraps })).statusCode).toBe(403);
    expect((await coordinator.browser.post(url(`/keys/${current.id}/wraps`), { wraps })).statusCode).toBe(
      200,
    );
    const mine = (await late.browser.get(url('/keys'))).json().mine;
    expect(mine.map((k: { keyId: string }) => k.keyId)).toEqual([current.id]);
  });
});

describe('folders and the access view', () => {
  let zorgplan: string;
  let medicatie: string;
  const folders = async (caller: Caller) =>
    (await caller.browser.get(url('/folders'))).json().folders as {
      id: string;
      name: string;
      myAccess: string;
    }[];

  it('the coordinator makes folders with reader and uploader rights; bad names and rights are 4xx and store nothing', async () => {
    const make = (body: unknown) => coordinator.browser.post(url('/folders'), body);
    for (const name of ['Zorg\u0007plan', 'Zorg\nplan', '', 'x'.repeat(81)])
      expect((await make({ name, rights: [] })).statusCode).toBe(400);
    expect(
      (
        await make({
          name: 'Zorgplan',
          rights: [{ role: 'carer', memberId: lateMemberId, access: 'reader' }],
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await make({ name: 'Zorgplan', rights: [{ memberId: carerMemberId, access: 'reader' }] })).statusCode,
    ).toBe(400);
    expect(
      (await professional.browser.post(url('/folders'), { name: 'Eigen map', rights: [] })).statusCode,
    ).toBe(403);
    expect(await folders(coordinator)).toEqual([]);
    const created = await make({
      name: 'Zorgplan',
      rights: [
        { role: 'professional', access: 'reader' },
        { memberId: lateMemberId, access: 'uploader' },
      ],
    });
    expect(created.statusCode).toBe(201);
    zorgplan = created.json().id;
    expect((await make({ name: 'Zorgplan', rights: [] })).statusCode).toBe(409);
    medicatie = (await make({ name: 'Medicatie', rights: [] })).json().id;
    expect((await folders(professional)).map((f) => [f.name, f.myAccess])).toEqual([['Zorgplan', 'reader']]);
    expect((await folders(late)).map((f) => [f.name, f.myAccess])).toEqual([['Zorgplan', 'uploader']]);
    expect((await folders(client)).map((f) => f.name)).toEqual(['Medicatie', 'Zorgplan']);
    expect((await outsider.browser.get(url('/folders'))).statusCode).toBe(404);
  });

  it('a reader cannot upload into a folder and an uploader can; readers open it in their browser', async () => {
    const current = (await coordinator.browser.get(url('/keys'))).json().current as {
      id: string;
      publicKey: string;
    };
    const upload = (caller: Caller, folderId: string, text: string) =>
      post(caller, current.id, fromBase64Url(current.publicKey), text, `/folders/${folderId}/items`);
    expect((await upload(professional, zorgplan, 'mag niet')).response.statusCode).toBe(403);
    expect((await upload(professional, medicatie, 'mag niet')).response.statusCode).toBe(404);
    const uploaded = await upload(late, zorgplan, 'Zorgplan versie 2: twee keer per dag wondzorg');
    expect(uploaded.response.statusCode).toBe(201);
    const opened = (await professional.browser.get(url(`/folders/${zorgplan}/items`))).json().items as Array<{
      id: string;
      ciphertext: string;
      wrappedKeys: { wrappedKey: string }[];
    }>;
    const doc = opened.find((i) => i.id === uploaded.itemId)!;
    const text = await decryptItem({
      itemId: doc.id,
      ciphertext: fromBase64Url(doc.ciphertext),
      wrappedKey: fromBase64Url(doc.wrappedKeys[0]!.wrappedKey),
      privateKey: await networkPrivateKey(professional, current.id),
    });
    expect(utf8.decode(text)).toBe('Zorgplan versie 2: twee keer per dag wondzorg');
    expect((await professional.browser.get(url(`/folders/${medicatie}/items`))).statusCode).toBe(404);
    expect((await outsider.browser.get(url(`/folders/${zorgplan}/items`))).statusCode).toBe(404);
  });

  it("the client's access view lists the professional's opening of the care plan, in plain Dutch", async () => {
    const view = await client.browser.get(url('/access-log'));
    expect(view.statusCode).toBe(200);
    const entries = view.json().entries as { sentence: string; legalBasis: string | null; action: string }[];
    const opening = entries.find(
      (e) => e.action === 'care.folder_opened' && e.sentence.includes('Fysio Centrum'),
    );
    expect(opening?.sentence).toMatch(
      /^Zorgverlener Name of \S+ \(Fysio Centrum\) opende op \d+ \w+ \d{4} om \d\d:\d\d de map “Zorgplan”\.$/,
    );
    expect(opening?.legalBasis).toBe('behandelovereenkomst');
    expect(entries.some((e) => e.sentence.includes('zette op') && e.sentence.includes('“Zorgplan”'))).toBe(
      true,
    );
    expect(entries.some((e) => e.sentence.startsWith('Cliënt'))).toBe(false);
    const proMember = (await client.browser.get(url()))
      .json()
      .members.find((m: { organisationName: string | null }) => m.organisationName === 'Fysio Centrum');
    const filtered = (await client.browser.get(url(`/access-log?memberId=${proMember.id}`))).json()
      .entries as { who: string }[];
    expect(filtered.length).toBeGreaterThan(0);
    expect(new Set(filtered.map((e) => e.who))).toEqual(new Set([proMember.name]));
    const future = new Date(Date.now() + 365 * 86_400_000).toISOString();
    expect((await client.browser.get(url(`/access-log?from=${future}`))).json().entries).toEqual([]);
    expect((await professional.browser.get(url('/access-log'))).statusCode).toBe(403);
    expect((await coordinator.browser.get(url('/access-log'))).statusCode).toBe(403);
    expect((await outsider.browser.get(url('/access-log'))).statusCode).toBe(404);
  });
});
