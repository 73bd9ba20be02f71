import { type Static, Type } from 'typebox';
import { Base64Url, strict, Text, Timestamp, Uuid } from './common.ts';

/**
 * Passkeys (WebAuthn) as staff's second factor (issue 13, item 11). The ceremony options and
 * responses are the WebAuthn JSON forms (what @simplewebauthn/browser takes and gives), bounded.
 */
export const PasskeyName = Text({ minLength: 1, maxLength: 60 });

/** Options for navigator.credentials.create/get, as the library produced them. */
export const PasskeyOptions = Type.Unsafe<Record<string, unknown>>({
  type: 'object',
  additionalProperties: true,
});

const Field = Type.Union([
  Type.String({ maxLength: 16_384, pattern: '^[A-Za-z0-9_=-]*$' }),
  Type.Array(Type.String({ maxLength: 32, pattern: '^[a-z-]*$' }), { maxItems: 10 }),
  // publicKeyAlgorithm (a COSE algorithm number)
  Type.Integer({ minimum: -65_536, maximum: 65_536 }),
]);
/** A credential as the browser returns it (RegistrationResponseJSON or AuthenticationResponseJSON). */
export const PasskeyCredential = Type.Object(
  {
    id: Base64Url(1024),
    rawId: Base64Url(1024),
    type: Type.Literal('public-key'),
    response: Type.Record(Type.String({ pattern: '^[A-Za-z]{1,40}$' }), Field, { maxProperties: 10 }),
    clientExtensionResults: Type.Record(Type.String({ maxLength: 40 }), Type.Unknown(), {
      maxProperties: 10,
    }),
    authenticatorAttachment: Type.Optional(
      Type.Union([Type.Literal('platform'), Type.Literal('cross-platform')]),
    ),
  },
  strict,
);
export type PasskeyCredential = Static<typeof PasskeyCredential>;

export const RegisterPasskeyRequest = Type.Object(
  { name: PasskeyName, credential: PasskeyCredential },
  strict,
);
export const RenamePasskeyRequest = Type.Object({ name: PasskeyName }, strict);
export const PasskeySignInRequest = Type.Object({ credential: PasskeyCredential }, strict);

export const Passkey = Type.Object({
  id: Uuid,
  name: Type.String(),
  createdAt: Timestamp,
  lastUsedAt: Type.Union([Timestamp, Type.Null()]),
});
export type Passkey = Static<typeof Passkey>;
