import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './bytes.ts';
import { KeyUnwrapError, MalformedInputError, UnsupportedVersionError } from './errors.ts';
import {
  deriveKeyPair,
  generateKeyPair,
  getPublicKey,
  openWithPrivateKey,
  sealToPublicKey,
  sealToPublicKeyWithSeed,
  unwrapContentKey,
  WrapPurpose,
  wrapContentKey,
} from './hpke.ts';

describe('HPKE key pairs', () => {
  it('derives the RFC 9180 A.1 key pairs (DHKEM(X25519, HKDF-SHA256)) from their ikm', async () => {
    const sender = await deriveKeyPair(
      fromHex('7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234'),
    );
    expect(toHex(sender.privateKey)).toBe('52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736');
    expect(toHex(sender.publicKey)).toBe('37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431');
    const recipient = await deriveKeyPair(
      fromHex('6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037'),
    );
    expect(toHex(recipient.privateKey)).toBe(
      '4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8',
    );
    expect(toHex(recipient.publicKey)).toBe(
      '3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d',
    );
  });

  it('generates distinct pairs whose public half can be recomputed from the private half', async () => {
    const a = await generateKeyPair();
    const b = await generateKeyPair();
    expect(toHex(a.privateKey)).not.toBe(toHex(b.privateKey));
    expect(toHex(await getPublicKey(a.privateKey))).toBe(toHex(a.publicKey));
  });
});

describe('content key wrapping', () => {
  const contentKey = crypto.getRandomValues(new Uint8Array(32));

  it('wraps for a recipient and unwraps with the private key', async () => {
    const recipient = await generateKeyPair();
    const wrapped = await wrapContentKey(contentKey, recipient.publicKey, 'msg-1');
    expect(wrapped.length).toBe(1 + 32 + 32 + 16);
    expect(toHex(await unwrapContentKey(wrapped, recipient.privateKey, 'msg-1'))).toBe(toHex(contentKey));
  });

  it('is randomised: two wraps of the same key differ', async () => {
    const recipient = await generateKeyPair();
    const a = await wrapContentKey(contentKey, recipient.publicKey, 'msg-1');
    const b = await wrapContentKey(contentKey, recipient.publicKey, 'msg-1');
    expect(toHex(a)).not.toBe(toHex(b));
  });

  it('is reproducible with a fixed ephemeral seed (for the known-answer vectors)', async () => {
    const recipient = await deriveKeyPair(new Uint8Array(32).fill(1));
    const context = { purpose: WrapPurpose.contentKey, id: 'msg-1' };
    const seed = new Uint8Array(32).fill(2);
    const a = await sealToPublicKeyWithSeed(contentKey, recipient.publicKey, context, seed);
    const b = await sealToPublicKeyWithSeed(contentKey, recipient.publicKey, context, seed);
    expect(toHex(a)).toBe(toHex(b));
  });

  it('fails with KeyUnwrapError for another item, another purpose, another key or altered bytes', async () => {
    const recipient = await generateKeyPair();
    const other = await generateKeyPair();
    const wrapped = await wrapContentKey(contentKey, recipient.publicKey, 'msg-1');
    await expect(unwrapContentKey(wrapped, recipient.privateKey, 'msg-2')).rejects.toBeInstanceOf(
      KeyUnwrapError,
    );
    await expect(
      openWithPrivateKey(wrapped, recipient.privateKey, { purpose: WrapPurpose.teamPrivateKey, id: 'msg-1' }),
    ).rejects.toBeInstanceOf(KeyUnwrapError);
    await expect(unwrapContentKey(wrapped, other.privateKey, 'msg-1')).rejects.toBeInstanceOf(KeyUnwrapError);
    for (const offset of [1, 40, wrapped.length - 1]) {
      const altered = wrapped.slice();
      altered[offset]! ^= 0x80;
      await expect(unwrapContentKey(altered, recipient.privateKey, 'msg-1')).rejects.toBeInstanceOf(
        KeyUnwrapError,
      );
    }
  });

  it('rejects unknown versions and malformed keys before trying to open', async () => {
    const recipient = await generateKeyPair();
    const wrapped = await wrapContentKey(contentKey, recipient.publicKey, 'msg-1');
    const future = wrapped.slice();
    future[0] = 2;
    await expect(unwrapContentKey(future, recipient.privateKey, 'msg-1')).rejects.toBeInstanceOf(
      UnsupportedVersionError,
    );
    await expect(
      unwrapContentKey(wrapped.subarray(0, 20), recipient.privateKey, 'msg-1'),
    ).rejects.toBeInstanceOf(MalformedInputError);
    await expect(
      sealToPublicKey(contentKey, new Uint8Array(31), { purpose: 'content-key', id: 'x' }),
    ).rejects.toBeInstanceOf(MalformedInputError);
  });
});
