import { deriveAccountSecrets, fromBase64Url, type KdfParams } from '@zegel/protocol/crypto';

export interface DeriveRequest {
  password: string;
  kdfSalt: string;
  kdfParams: KdfParams;
}

export type DeriveResponse = { loginSecret: string } | { error: string };

/**
 * Argon2id takes a second or more at 64 MiB; running it here keeps the page responsive.
 * Only the login secret goes back: the key-wrapping key is for later message work.
 */
self.addEventListener('message', (event: MessageEvent<DeriveRequest>) => {
  const { password, kdfSalt, kdfParams } = event.data;
  const reply = (message: DeriveResponse) =>
    (self as unknown as { postMessage(message: DeriveResponse): void }).postMessage(message);
  deriveAccountSecrets(password, fromBase64Url(kdfSalt), kdfParams).then(
    (secrets) => reply({ loginSecret: secrets.loginSecret }),
    (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
  );
});
