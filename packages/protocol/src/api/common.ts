import { type Static, Type } from 'typebox';

/** Every object schema rejects unknown fields: a typo in a field name is an error, not a silent no-op. */
export const strict = { additionalProperties: false } as const;

export const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 });
export const Uuid = Type.String({ format: 'uuid' });
/** A base64url value (tokens, salts, login secrets). */
export const Base64Url = (maxLength: number) =>
  Type.String({ pattern: '^[A-Za-z0-9_-]+$', minLength: 16, maxLength });
export const Timestamp = Type.String({ format: 'date-time' });

export const IdParams = Type.Object({ id: Uuid }, strict);

export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    requestId: Type.String(),
    details: Type.Optional(Type.Unknown()),
  }),
});
export type ErrorResponse = Static<typeof ErrorResponse>;

export const Ok = Type.Object({ ok: Type.Literal(true) });

export const Health = Type.Object({
  status: Type.Literal('ok'),
  database: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
  version: Type.String(),
});
export type Health = Static<typeof Health>;
