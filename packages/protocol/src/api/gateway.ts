import { type Static, Type } from 'typebox';
import { strict, Uuid } from './common.ts';

/** An app password as listed on the account page: never the password itself. */
export const AppPasswordSummary = Type.Object(
  {
    id: Uuid,
    label: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  strict,
);
export type AppPasswordSummary = Static<typeof AppPasswordSummary>;

/** `GET /api/account/app-passwords`. */
export const AppPasswordList = Type.Object({ appPasswords: Type.Array(AppPasswordSummary) }, strict);
export type AppPasswordList = Static<typeof AppPasswordList>;

/** `POST /api/account/app-passwords`: a name to recognise the mail client by. */
export const CreateAppPasswordRequest = Type.Object(
  { label: Type.String({ minLength: 1, maxLength: 80 }) },
  strict,
);
export type CreateAppPasswordRequest = Static<typeof CreateAppPasswordRequest>;

/** The new password, shown once; the server keeps only its hash. */
export const CreateAppPasswordResponse = Type.Object(
  { appPassword: AppPasswordSummary, password: Type.String() },
  strict,
);
export type CreateAppPasswordResponse = Static<typeof CreateAppPasswordResponse>;
