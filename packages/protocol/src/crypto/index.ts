/**
 * The only door to Zegel's cryptography. Browser and server import from here
 * (`@zegel/protocol/crypto`); nothing else in the project touches WebCrypto or HPKE directly.
 */
export { type AccountSecrets, defaultKdfParams, deriveAccountSecrets, type KdfParams } from './account-keys.ts';
export { fromBase64Url, toBase64Url, utf8 } from './encoding.ts';
