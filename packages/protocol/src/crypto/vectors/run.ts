import { deriveAccountSecrets } from '../account-keys.ts';
import { fromHex, sha256, toHex } from '../bytes.ts';
import {
  CONTENT_RECORD_SIZE,
  createPayloadKeysWithSalt,
  decryptContent,
  encryptContentWithKeys,
} from '../content-format.ts';
import { createEncryptionTransform } from '../content-stream.ts';
import {
  deriveAccessCodeSecrets,
  deriveGuestKeyPair,
  deriveLinkProof,
  hashAccessCodeProof,
  hashLinkProof,
  verifyLinkProof,
} from '../guest-keys.ts';
import { deriveKeyPair, openWithPrivateKey, sealToPublicKeyWithSeed, type WrapPurpose } from '../hpke.ts';
import { unwrapPrivateKey, wrapPrivateKeyWithNonce } from '../private-key-wrap.ts';
import { checkProofOfWork, solveProofOfWork } from '../proof-of-work.ts';
import type { KnownAnswerVectors, PatternedBytes, VectorResult } from './types.ts';

/**
 * Checks every known-answer vector against this implementation and reports each result; it never
 * throws. Plain WebCrypto and no Node APIs, so the Chromium e2e suite runs the very same checks
 * (e2e/crypto-vectors.test.ts) as Node does (vectors.test.ts).
 */
export async function runKnownAnswerVectors(vectors: KnownAnswerVectors): Promise<VectorResult[]> {
  const results: VectorResult[] = [];
  const check = async (
    section: VectorResult['section'],
    name: string,
    run: (expect: Expect) => Promise<void>,
  ) => {
    const problems: string[] = [];
    const expect: Expect = (label, actual, expected) => {
      if (actual !== expected)
        problems.push(`${label}: got ${short(String(actual))}, expected ${short(String(expected))}`);
    };
    try {
      await run(expect);
    } catch (error) {
      problems.push(`threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
    results.push(
      problems.length === 0
        ? { section, name, ok: true }
        : { section, name, ok: false, detail: problems.join('; ') },
    );
  };

  await check('content', 'record size', async (expect) => {
    expect('record size', vectors.recordSize, CONTENT_RECORD_SIZE);
  });
  for (const v of vectors.content) {
    await check('content', v.name, async (expect) => {
      const key = fromHex(v.contentKey);
      const plaintext = 'hex' in v.plaintext ? fromHex(v.plaintext.hex) : createPatternedBytes(v.plaintext);
      const keys = await createPayloadKeysWithSalt(key, fromHex(v.salt), {
        associatedData: v.associatedData,
      });
      expect('header', toHex(keys.header), v.header);
      const ciphertext = await encryptContentWithKeys(keys, plaintext);
      expect('ciphertext length', ciphertext.length, v.ciphertextLength);
      expect('ciphertext sha256', toHex(await sha256(ciphertext)), v.ciphertextSha256);
      if (v.ciphertext !== undefined) expect('ciphertext', toHex(ciphertext), v.ciphertext);
      const streamed = await collect(plaintext, createEncryptionTransform(Promise.resolve(keys)));
      expect('streamed ciphertext sha256', toHex(await sha256(streamed)), v.ciphertextSha256);
      const decrypted = await decryptContent(key, ciphertext, { associatedData: v.associatedData });
      expect('decrypted sha256', toHex(await sha256(decrypted)), toHex(await sha256(plaintext)));
    });
  }
  for (const v of vectors.hpke) {
    await check('hpke', v.name, async (expect) => {
      const recipient = await deriveKeyPair(fromHex(v.recipientIkm));
      expect('recipient public key', toHex(recipient.publicKey), v.recipientPublicKey);
      expect('recipient private key', toHex(recipient.privateKey), v.recipientPrivateKey);
      const ephemeral = await deriveKeyPair(fromHex(v.ikmE));
      expect('ephemeral public key', toHex(ephemeral.publicKey), v.ephemeralPublicKey);
      const context = { purpose: v.purpose as WrapPurpose, id: v.id };
      const wrapped = await sealToPublicKeyWithSeed(
        fromHex(v.secret),
        recipient.publicKey,
        context,
        fromHex(v.ikmE),
      );
      expect('wrapped', toHex(wrapped), v.wrapped);
      expect('enc is the ephemeral public key', toHex(wrapped.subarray(1, 33)), v.ephemeralPublicKey);
      expect(
        'opened',
        toHex(await openWithPrivateKey(fromHex(v.wrapped), recipient.privateKey, context)),
        v.secret,
      );
    });
  }
  for (const v of vectors.privateKeyWrap) {
    await check('privateKeyWrap', v.name, async (expect) => {
      const kwk = fromHex(v.keyWrappingKey);
      const wrapped = await wrapPrivateKeyWithNonce(fromHex(v.privateKey), kwk, v.userId, fromHex(v.nonce));
      expect('wrapped', toHex(wrapped), v.wrapped);
      expect('unwrapped', toHex(await unwrapPrivateKey(fromHex(v.wrapped), kwk, v.userId)), v.privateKey);
    });
  }
  for (const v of vectors.guest) {
    await check('guest', v.name, async (expect) => {
      let codeKey: Uint8Array | undefined;
      if (v.accessCode !== undefined) {
        const secrets = await deriveAccessCodeSecrets(
          v.accessCode.code,
          fromHex(v.accessCode.salt),
          v.accessCode.params,
        );
        expect('code key', toHex(secrets.codeKey), v.accessCode.codeKey);
        expect('proof', toHex(secrets.proof), v.accessCode.proof);
        expect('verifier hash', toHex(await hashAccessCodeProof(secrets.proof)), v.accessCode.verifierHash);
        codeKey = secrets.codeKey;
      }
      const pair = await deriveGuestKeyPair({
        guestId: v.guestId,
        linkSecret: fromHex(v.linkSecret),
        serverShare: fromHex(v.serverShare),
        ...(codeKey === undefined ? {} : { codeKey }),
      });
      expect('public key', toHex(pair.publicKey), v.publicKey);
      expect('private key', toHex(pair.privateKey), v.privateKey);
      const linkProof = await deriveLinkProof(fromHex(v.linkSecret), v.guestId);
      expect('link proof', toHex(linkProof), v.linkProof);
      expect('link proof hash', toHex(await hashLinkProof(linkProof)), v.linkProofHash);
      expect('link proof verifies', await verifyLinkProof(linkProof, fromHex(v.linkProofHash)), true);
    });
  }
  for (const v of vectors.account) {
    await check('account', v.name, async (expect) => {
      const secrets = await deriveAccountSecrets(v.password, fromHex(v.salt), v.params);
      expect('login secret', secrets.loginSecret, v.loginSecret);
      expect('key-wrapping key', toHex(secrets.keyWrappingKey), v.keyWrappingKey);
    });
  }
  for (const v of vectors.proofOfWork) {
    await check('proofOfWork', v.name, async (expect) => {
      expect('nonce', await solveProofOfWork(v.challenge, v.difficulty), v.nonce);
      expect('digest', toHex(await sha256(new TextEncoder().encode(`${v.challenge}${v.nonce}`))), v.digest);
      expect('check', await checkProofOfWork(v.challenge, v.nonce, v.difficulty), true);
      expect('check one bit harder', await checkProofOfWork(v.challenge, v.nonce, v.difficulty + 8), false);
    });
  }
  return results;
}

type Expect = (label: string, actual: unknown, expected: unknown) => void;

function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 40)}…${text.slice(-16)} (${text.length} chars)` : text;
}

/** byte i = (31·i + seed) mod 251: cheap, deterministic, and no two adjacent records alike. */
export function createPatternedBytes(spec: PatternedBytes): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(spec.length);
  for (let i = 0; i < spec.length; i++) bytes[i] = (31 * i + spec.seed) % 251;
  return bytes;
}

async function collect(
  input: Uint8Array,
  transform: TransformStream<Uint8Array, Uint8Array>,
): Promise<Uint8Array> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      // Uneven chunks, so record boundaries never line up with write boundaries.
      for (let offset = 0; offset < input.length; offset += 300_007) {
        controller.enqueue(input.slice(offset, offset + 300_007));
      }
      controller.close();
    },
  });
  return new Uint8Array(await new Response(source.pipeThrough(transform)).arrayBuffer());
}
