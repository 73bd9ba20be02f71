import { describe, expect, it } from 'vitest';
import { deriveAuditChainKeys, importEd25519Seed, verifyAuditSignature } from './audit-chain.ts';
import { fromHex, toHex } from './bytes.ts';
import { fromBase64Url } from './encoding.ts';

// Known answers computed independently with node:crypto (hkdfSync, createHmac, Ed25519 sign).
const SECRET = 'zegel-known-answer-server-secret-0123456789';
const GENESIS = '0'.repeat(64);

describe('audit chain keys (known answers)', () => {
  it('derives the HMAC chain key from the server secret', async () => {
    const keys = await deriveAuditChainKeys(SECRET);
    expect(await keys.macHex(`${GENESIS}\n["a"]`)).toBe(
      '70c97907c2d0ccca232d35d892735b751c0af939f921982d607fcacf8752a840',
    );
    const other = await deriveAuditChainKeys(`${SECRET}!`);
    expect(await other.macHex(`${GENESIS}\n["a"]`)).not.toBe(await keys.macHex(`${GENESIS}\n["a"]`));
  });

  it('derives the Ed25519 checkpoint key and signs deterministically', async () => {
    const keys = await deriveAuditChainKeys(SECRET);
    expect(keys.publicKey).toBe('JM5BeB0HQ25HLERnLACon6qjHqih-98zSuc5qAp6CEQ');
    const signature = await keys.sign('zegel-audit-checkpoint/v1');
    expect(signature).toBe(
      '89LIRSpfCEoW_fL-WVKQwTEYnV-aVpj9jhgIyuAsEUoo6DaFmhNtpMQ4n_4SrYzlKXWl6BDPKilZ-Hu_NEnUDg',
    );
    expect(await verifyAuditSignature(keys.publicKey, 'zegel-audit-checkpoint/v1', signature)).toBe(true);
    expect(await verifyAuditSignature(keys.publicKey, 'zegel-audit-checkpoint/v2', signature)).toBe(false);
    expect(await verifyAuditSignature(keys.publicKey, 'x', 'not base64!')).toBe(false);
  });

  it('imports an Ed25519 seed as RFC 8032 test 1 expects', async () => {
    const { privateKey, publicKey } = await importEd25519Seed(
      fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'),
    );
    expect(toHex(fromBase64Url(publicKey))).toBe(
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    );
    const signature = new Uint8Array(await crypto.subtle.sign('Ed25519', privateKey, new Uint8Array(0)));
    expect(toHex(signature)).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
  });

  it('refuses a short server secret', async () => {
    await expect(deriveAuditChainKeys('short')).rejects.toThrow(RangeError);
  });
});
