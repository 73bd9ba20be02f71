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

/** A subject tag: printable, no control characters, e.g. `[vertrouwelijk]`. */
const SubjectTag = Type.String({ minLength: 2, maxLength: 40, pattern: '^[^\\u0000-\\u001f\\u007f]+$' });

/** The organisation's gateway rules. */
export const GatewaySettings = Type.Object(
  {
    alwaysSecure: Type.Boolean(),
    subjectTags: Type.Array(SubjectTag, { maxItems: 10, uniqueItems: true }),
  },
  strict,
);
export type GatewaySettings = Static<typeof GatewaySettings>;

/** `PATCH /api/admin/gateway/settings`. */
export const UpdateGatewaySettingsRequest = Type.Partial(GatewaySettings, { ...strict, minProperties: 1 });
export type UpdateGatewaySettingsRequest = Static<typeof UpdateGatewaySettingsRequest>;

/** One mail the gateway received: what it decided and why (rule names and counts), per recipient. */
export const GatewayDecision = Type.Object(
  {
    id: Uuid,
    receivedAt: Type.String({ format: 'date-time' }),
    sender: Type.String(),
    outcome: Type.Union([Type.Literal('secure'), Type.Literal('relay')]),
    reasons: Type.Record(Type.String(), Type.Integer()),
    recipients: Type.Array(
      Type.Object(
        { address: Type.String(), route: Type.String(), reason: Type.Union([Type.String(), Type.Null()]) },
        strict,
      ),
    ),
  },
  strict,
);
export type GatewayDecision = Static<typeof GatewayDecision>;

/** `GET /api/admin/gateway`: the rules and the most recent decisions. */
export const GatewayOverview = Type.Object(
  { settings: GatewaySettings, decisions: Type.Array(GatewayDecision) },
  strict,
);
export type GatewayOverview = Static<typeof GatewayOverview>;
