import { describe, expect, it } from 'vitest';
import type { KdfParams } from './account-keys.ts';
import { toHex } from './bytes.ts';
import { decryptContent } from './content-format.ts';
import { ContentTamperedError, KeyUnwrapError, MalformedInputError } from './errors.ts';
import {
  createGuestInvitation,
  createGuestSecrets,
  deriveAccessCodeSecrets,
  deriveGuestKeyPair,
  deriveLinkProof,
  encodeLinkSecret,
  hashAccessCodeProof,
  hashLinkProof,
  parseLinkSecret,
  verifyAccessCodeProof,
  verifyLinkProof,
} from './guest-keys.ts';
import { generateKeyPair, unwrapContentKey } from './hpke.ts';
import { decryptItem, encryptGuestReply, encryptItem } from './items.ts';

const cheap: KdfParams = { algorithm: 'argon2id', memoryKiB: 256, iterations: 2, parallelism: 1 };

describe('guest keys', () => {
  it('needs the link secret and the server share: either alone, or a wrong one, gives another key', async () => {
    const invitation = await createGuestInvitation({ guestId: 'guest-1' });
    expect(invitation.accessCode).toBeUndefined();
    const right = await deriveGuestKeyPair({ guestId: 'guest-1', ...invitation });
    expect(toHex(right.publicKey)).toBe(toHex(invitation.publicKey));
    const zero = new Uint8Array(32);
    const variants = [
      { guestId: 'guest-1', linkSecret: zero, serverShare: invitation.serverShare },
      { guestId: 'guest-1', linkSecret: invitation.linkSecret, serverShare: zero },
      { guestId: 'guest-2', linkSecret: invitation.linkSecret, serverShare: invitation.serverShare },
    ];
    for (const variant of variants) {
      expect(toHex((await deriveGuestKeyPair(variant)).publicKey)).not.toBe(toHex(invitation.publicKey));
    }
  });

  it('with an access code, also needs the code; the server can check the code without the code key', async () => {
    const invitation = await createGuestInvitation({
      guestId: 'guest-1',
      accessCode: 'Tulp-2026',
      kdfParams: cheap,
    });
    const verifier = invitation.accessCode!;
    expect(verifier.salt.length).toBe(16);
    const typed = await deriveAccessCodeSecrets(' Tulp-2026 ', verifier.salt, verifier.params);
    expect(await verifyAccessCodeProof(typed.proof, verifier)).toBe(true);
    // What the server stores is neither the proof nor the code key.
    expect(toHex(verifier.verifierHash)).not.toBe(toHex(typed.proof));
    expect(toHex(verifier.verifierHash)).not.toBe(toHex(typed.codeKey));
    expect(toHex(typed.proof)).not.toBe(toHex(typed.codeKey));

    const withCode = await deriveGuestKeyPair({ guestId: 'guest-1', ...invitation, codeKey: typed.codeKey });
    expect(toHex(withCode.publicKey)).toBe(toHex(invitation.publicKey));
    const withoutCode = await deriveGuestKeyPair({ guestId: 'guest-1', ...invitation });
    expect(toHex(withoutCode.publicKey)).not.toBe(toHex(invitation.publicKey));

    const wrongCode = await deriveAccessCodeSecrets('Tulp-2027', verifier.salt, verifier.params);
    expect(await verifyAccessCodeProof(wrongCode.proof, verifier)).toBe(false);
    expect(await verifyAccessCodeProof(verifier.verifierHash, verifier)).toBe(false);
    expect(await verifyAccessCodeProof(new Uint8Array(5), verifier)).toBe(false);
    const wrongKey = await deriveGuestKeyPair({
      guestId: 'guest-1',
      ...invitation,
      codeKey: wrongCode.codeKey,
    });
    expect(toHex(wrongKey.publicKey)).not.toBe(toHex(invitation.publicKey));
    expect(toHex(await hashAccessCodeProof(typed.proof))).toBe(toHex(verifier.verifierHash));
  });

  it('uses a per-recipient salt, so one code for two guests gives unrelated verifiers', async () => {
    const a = await createGuestInvitation({ guestId: 'g-a', accessCode: '123456', kdfParams: cheap });
    const b = await createGuestInvitation({ guestId: 'g-b', accessCode: '123456', kdfParams: cheap });
    expect(toHex(a.accessCode!.verifierHash)).not.toBe(toHex(b.accessCode!.verifierHash));
  });

  it('puts the link secret in the fragment and rejects a missing or damaged fragment', () => {
    const secret = crypto.getRandomValues(new Uint8Array(32));
    const fragment = `#${encodeLinkSecret(secret)}`;
    expect(toHex(parseLinkSecret(fragment))).toBe(toHex(secret));
    for (const bad of ['', '#', '#abc', `${fragment}A`, `${fragment.slice(0, -2)}!!`]) {
      expect(() => parseLinkSecret(bad)).toThrow(MalformedInputError);
    }
  });

  it('lets the guest read a message and send a reply only the staff side and the guest can open', async () => {
    const staff = await generateKeyPair();
    const team = await generateKeyPair();
    const outsider = await generateKeyPair();
    const invitation = await createGuestInvitation({ guestId: 'guest-1' });
    const message = await encryptItem({
      itemId: 'msg-1',
      plaintext: new TextEncoder().encode('Uw zaak'),
      recipients: [{ recipientId: 'guest-1', publicKey: invitation.publicKey }],
    });
    const guest = await deriveGuestKeyPair({ guestId: 'guest-1', ...invitation });
    const body = await decryptItem({
      itemId: 'msg-1',
      ciphertext: message.ciphertext,
      wrappedKey: message.wrappedKeys[0]!.wrappedKey,
      privateKey: guest.privateKey,
    });
    expect(new TextDecoder().decode(body)).toBe('Uw zaak');

    const reply = await encryptGuestReply({
      itemId: 'reply-1',
      plaintext: new TextEncoder().encode('Dank u'),
      staffRecipients: [
        { recipientId: 'staff-1', publicKey: staff.publicKey },
        { recipientId: 'team-1', publicKey: team.publicKey },
      ],
      guest: { recipientId: 'guest-1', publicKey: guest.publicKey },
    });
    expect(reply.wrappedKeys.map((w) => w.recipientId)).toEqual(['staff-1', 'team-1', 'guest-1']);
    for (const [index, pair] of [staff, team, guest].entries()) {
      const plain = await decryptItem({
        itemId: 'reply-1',
        ciphertext: reply.ciphertext,
        wrappedKey: reply.wrappedKeys[index]!.wrappedKey,
        privateKey: pair.privateKey,
      });
      expect(new TextDecoder().decode(plain)).toBe('Dank u');
    }
    await expect(
      unwrapContentKey(reply.wrappedKeys[0]!.wrappedKey, outsider.privateKey, 'reply-1'),
    ).rejects.toBeInstanceOf(KeyUnwrapError);
    // A reply's ciphertext is bound to its item id.
    const key = await unwrapContentKey(reply.wrappedKeys[0]!.wrappedKey, staff.privateKey, 'reply-1');
    await expect(decryptContent(key, reply.ciphertext, { associatedData: 'reply-2' })).rejects.toBeInstanceOf(
      ContentTamperedError,
    );
    await expect(
      encryptGuestReply({
        itemId: 'r',
        plaintext: new Uint8Array(1),
        staffRecipients: [],
        guest: { recipientId: 'g', publicKey: guest.publicKey },
      }),
    ).rejects.toThrow(RangeError);
  });
});

describe('link proof', () => {
  it('is bound to the link secret and the guest id, and only the right proof verifies', async () => {
    const { linkSecret } = createGuestSecrets();
    const proof = await deriveLinkProof(linkSecret, 'guest-a');
    const stored = await hashLinkProof(proof);
    expect(await verifyLinkProof(proof, stored)).toBe(true);
    expect(await verifyLinkProof(await deriveLinkProof(linkSecret, 'guest-b'), stored)).toBe(false);
    expect(
      await verifyLinkProof(await deriveLinkProof(createGuestSecrets().linkSecret, 'guest-a'), stored),
    ).toBe(false);
    expect(await verifyLinkProof(proof.slice(0, 31), stored)).toBe(false);
    expect(toHex(proof)).not.toBe(toHex(linkSecret));
  });
});
