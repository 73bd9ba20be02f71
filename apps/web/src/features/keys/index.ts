/**
 * The account's and its teams' key material in this tab: derived from the password at sign-in,
 * held in memory only, opened by the keys gate and forgotten at sign-out.
 */
export { deriveAccountSecretsInWorker, deriveLoginSecret } from './derive-account-secrets.ts';
export { forgetKeys, holdKeyWrappingKey, type UnlockedKeys } from './key-store.ts';
export { KeysGate } from './keys-gate.tsx';
export { toPrivateKeyMap } from './private-keys.ts';
export { makeTeamKey } from './team-key-setup.ts';
