import { describe, expect, it } from 'vitest';
import { deriveAccountSecrets, type KdfParams } from './account-keys.ts';
import { toHex } from './bytes.ts';
import { KeyUnwrapError, MalformedInputError, UnsupportedVersionError } from './errors.ts';
import { generateKeyPair } from './hpke.ts';
import { unwrapPrivateKey, wrapPrivateKey } from './private-key-wrap.ts';

const cheap: KdfParams = { algorithm: 'argon2id', memoryKiB: 256, iterations: 2, parallelism: 1 };
const salt = new Uint8Array(16).fill(4);

describe('private key wrapping with the key-wrapping key', () => {
  it('wraps in the browser and unwraps at the next sign-in with the same password', async () => {
    const { privateKey } = await generateKeyPair();
    const { keyWrappingKey } = await deriveAccountSecrets('correct horse', salt, cheap);
    const wrapped = await wrapPrivateKey(privateKey, keyWrappingKey, 'user-1');
    expect(wrapped.length).toBe(1 + 12 + 32 + 16);
    const again = await deriveAccountSecrets('correct horse', salt, cheap);
    expect(toHex(await unwrapPrivateKey(wrapped, again.keyWrappingKey, 'user-1'))).toBe(toHex(privateKey));
  });

  it('fails with KeyUnwrapError for a wrong password, another user id, or altered bytes', async () => {
    const { privateKey } = await generateKeyPair();
    const { keyWrappingKey } = await deriveAccountSecrets('correct horse', salt, cheap);
    const wrapped = await wrapPrivateKey(privateKey, keyWrappingKey, 'user-1');
    const wrong = await deriveAccountSecrets('correct horsf', salt, cheap);
    await expect(unwrapPrivateKey(wrapped, wrong.keyWrappingKey, 'user-1')).rejects.toBeInstanceOf(
      KeyUnwrapError,
    );
    await expect(unwrapPrivateKey(wrapped, keyWrappingKey, 'user-2')).rejects.toBeInstanceOf(KeyUnwrapError);
    for (const offset of [1, 13, wrapped.length - 1]) {
      const altered = wrapped.slice();
      altered[offset]! ^= 1;
      await expect(unwrapPrivateKey(altered, keyWrappingKey, 'user-1')).rejects.toBeInstanceOf(
        KeyUnwrapError,
      );
    }
  });

  it('rejects an unknown version byte and a wrong length', async () => {
    const { keyWrappingKey } = await deriveAccountSecrets('pw', salt, cheap);
    const wrapped = await wrapPrivateKey(new Uint8Array(32).fill(1), keyWrappingKey, 'user-1');
    const future = wrapped.slice();
    future[0] = 2;
    await expect(unwrapPrivateKey(future, keyWrappingKey, 'user-1')).rejects.toBeInstanceOf(
      UnsupportedVersionError,
    );
    await expect(unwrapPrivateKey(wrapped.subarray(0, 30), keyWrappingKey, 'user-1')).rejects.toBeInstanceOf(
      MalformedInputError,
    );
  });
});
