import { deriveAccountSecrets, fromBase64Url, type KdfParams } from '@zegel/protocol/crypto';

export interface DeriveRequest {
  password: string;
  kdfSalt: string;
  kdfParams: KdfParams;
}

export type DeriveResponse = { loginSecret: string; keyWrappingKey: Uint8Array } | { error: string };

/**
 * Argon2id takes a second or more at 64 MiB; running it here keeps the page responsive.
 * The login secret goes to the server; the key-wrapping key stays in this tab's memory
 * (features/messages/key-store.ts) to unwrap the account's private key.
 */
self.addEventListener('message', (event: MessageEvent<DeriveRequest>) => {
  const { password, kdfSalt, kdfParams } = event.data;
  const reply = (message: DeriveResponse) =>
    (self as unknown as { postMessage(message: DeriveResponse): void }).postMessage(message);
  deriveAccountSecrets(password, fromBase64Url(kdfSalt), kdfParams).then(
    (secrets) => reply({ loginSecret: secrets.loginSecret, keyWrappingKey: secrets.keyWrappingKey }),
    (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
  );
});
