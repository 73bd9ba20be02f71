import type { KdfParams } from '@zegel/protocol/crypto';
import type { DeriveRequest, DeriveResponse } from './derive-worker.ts';

/**
 * Derives the login secret from the password with the account's Argon2id salt and cost, in a
 * Web Worker so the page keeps painting its progress message. Only the result leaves the
 * worker; the password is never sent to the server.
 */
export async function deriveLoginSecret(
  password: string,
  kdfSalt: string,
  kdfParams: KdfParams,
): Promise<string> {
  return (await deriveAccountSecretsInWorker(password, kdfSalt, kdfParams)).loginSecret;
}

/** Both account secrets: the login secret (for the server) and the key-wrapping key (memory only). */
export function deriveAccountSecretsInWorker(
  password: string,
  kdfSalt: string,
  kdfParams: KdfParams,
): Promise<{ loginSecret: string; keyWrappingKey: Uint8Array }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./derive-worker.ts', import.meta.url), { type: 'module' });
    worker.addEventListener('message', (event: MessageEvent<DeriveResponse>) => {
      worker.terminate();
      if ('loginSecret' in event.data) resolve(event.data);
      else reject(new Error(event.data.error));
    });
    worker.addEventListener('error', (event) => {
      worker.terminate();
      reject(new Error(event.message || 'derivation failed'));
    });
    const request: DeriveRequest = { password, kdfSalt, kdfParams };
    worker.postMessage(request);
  });
}
