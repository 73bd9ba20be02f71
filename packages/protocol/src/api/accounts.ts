import { type Static, Type } from 'typebox';
import { Base64Url, BoundedInteger, Email, MultilineText, strict, Text, Timestamp, Uuid } from './common.ts';

export const Role = Type.Union([Type.Literal('admin'), Type.Literal('member')]);
export type Role = Static<typeof Role>;

export const KdfParams = Type.Object({
  algorithm: Type.Literal('argon2id'),
  /** Bounds that keep a browser able to run it; the minimum a deployment wants is its own policy. */
  memoryKiB: BoundedInteger(8, 4 * 1024 * 1024),
  iterations: BoundedInteger(1, 100),
  parallelism: BoundedInteger(1, 16),
});

/** The login secret is 32 bytes in base64url: 43 characters. */
export const LoginSecret = Base64Url(64);
/** Tokens from links are 32 random bytes in base64url. */
export const LinkToken = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' });

export const PreLoginRequest = Type.Object({ email: Email }, strict);
export const PreLoginResponse = Type.Object({ kdfSalt: Type.String(), kdfParams: KdfParams });
export type PreLoginResponse = Static<typeof PreLoginResponse>;

/**
 * A solved sign-in challenge: the server asks for one (`proof_of_work_required`, with
 * `details.challenge` and `details.difficulty`) after many failed sign-ins from unknown browsers.
 */
export const SignInProofOfWork = Type.Object(
  {
    challenge: Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9_\\.-]+$' }),
    nonce: Type.String({ pattern: '^[0-9]{1,12}$' }),
  },
  strict,
);
export type SignInProofOfWork = Static<typeof SignInProofOfWork>;
export const SignInRequest = Type.Object(
  { email: Email, loginSecret: LoginSecret, proofOfWork: Type.Optional(SignInProofOfWork) },
  strict,
);
export const SessionStage = Type.Union([
  Type.Literal('full'),
  Type.Literal('second_factor'),
  Type.Literal('enrolment'),
]);
export type SessionStage = Static<typeof SessionStage>;
export const SignInResponse = Type.Object({ stage: SessionStage });
export type SignInResponse = Static<typeof SignInResponse>;

export const SecondFactorRequest = Type.Object(
  { code: Text({ minLength: 6, maxLength: 20 }), trustDevice: Type.Boolean() },
  strict,
);

export const TotpEnrolmentResponse = Type.Object({
  otpauthUri: Type.String(),
  secret: Type.String(),
  qrSvg: Type.String(),
});
export type TotpEnrolmentResponse = Static<typeof TotpEnrolmentResponse>;
export const TotpConfirmRequest = Type.Object(
  { code: Type.String({ pattern: '^\\d{6}$' }), trustDevice: Type.Boolean() },
  strict,
);
export const RecoveryCodesResponse = Type.Object({ recoveryCodes: Type.Array(Type.String()) });
export type RecoveryCodesResponse = Static<typeof RecoveryCodesResponse>;

export const Organisation = Type.Object({
  id: Uuid,
  name: Type.String(),
  slug: Type.String(),
  mailDomains: Type.Array(Type.String()),
  branding: Type.Record(Type.String(), Type.String()),
  hasLogo: Type.Boolean(),
  trustedDeviceDays: Type.Integer(),
});
export type Organisation = Static<typeof Organisation>;

export const Me = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Type.String(),
  role: Role,
  stage: SessionStage,
  organisation: Type.Object({
    id: Uuid,
    name: Type.String(),
    slug: Type.String(),
    branding: Type.Record(Type.String(), Type.String()),
    hasLogo: Type.Boolean(),
    /** How long "trust this browser" lasts; shown next to the checkbox at the code step. */
    trustedDeviceDays: Type.Integer(),
  }),
  teams: Type.Array(
    Type.Object({
      id: Uuid,
      name: Type.String(),
      role: Type.Union([Type.Literal('member'), Type.Literal('admin')]),
    }),
  ),
});
export type Me = Static<typeof Me>;

export const Session = Type.Object({
  id: Uuid,
  createdAt: Timestamp,
  lastSeenAt: Timestamp,
  expiresAt: Timestamp,
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  isCurrent: Type.Boolean(),
});
export type Session = Static<typeof Session>;

export const TrustedDevice = Type.Object({
  id: Uuid,
  label: Type.String(),
  createdAt: Timestamp,
  lastUsedAt: Timestamp,
  expiresAt: Timestamp,
});
export type TrustedDevice = Static<typeof TrustedDevice>;

export const InvitationLookupRequest = Type.Object({ token: LinkToken }, strict);
export const InvitationLookupResponse = Type.Object({
  email: Type.String(),
  name: Type.String(),
  role: Role,
  organisationName: Type.String(),
  kdfSalt: Type.String(),
  kdfParams: KdfParams,
});
export type InvitationLookupResponse = Static<typeof InvitationLookupResponse>;
export const AcceptInvitationRequest = Type.Object(
  { token: LinkToken, name: Text({ minLength: 1, maxLength: 200 }), loginSecret: LoginSecret },
  strict,
);

export const PasswordResetRequest = Type.Object({ email: Email }, strict);
export const PasswordResetLookupResponse = Type.Object({
  email: Type.String(),
  kdfSalt: Type.String(),
  kdfParams: KdfParams,
});
export type PasswordResetLookupResponse = Static<typeof PasswordResetLookupResponse>;
export const PasswordResetCompleteRequest = Type.Object(
  { token: LinkToken, loginSecret: LoginSecret },
  strict,
);

export const User = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Type.String(),
  role: Role,
  status: Type.Union([Type.Literal('active'), Type.Literal('deactivated')]),
  hasSecondFactor: Type.Boolean(),
  createdAt: Timestamp,
});
export type User = Static<typeof User>;
export const UpdateUserRequest = Type.Object(
  {
    role: Type.Optional(Role),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('deactivated')])),
  },
  { ...strict, minProperties: 1 },
);

export const Invitation = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Type.String(),
  role: Role,
  createdAt: Timestamp,
  expiresAt: Timestamp,
  status: Type.Union([
    Type.Literal('open'),
    Type.Literal('used'),
    Type.Literal('revoked'),
    Type.Literal('expired'),
  ]),
});
export type Invitation = Static<typeof Invitation>;
export const CreateInvitationRequest = Type.Object(
  { email: Email, name: Text({ maxLength: 200 }), role: Role },
  strict,
);

export const UpdateOrganisationRequest = Type.Object(
  {
    name: Type.Optional(Text({ minLength: 1, maxLength: 200 })),
    mailDomains: Type.Optional(Type.Array(Text({ maxLength: 253 }), { maxItems: 50 })),
    branding: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z0-9_-]{1,50}$' }), Text({ maxLength: 100 }), {
        additionalProperties: false,
      }),
    ),
    trustedDeviceDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 90 })),
  },
  { ...strict, minProperties: 1 },
);
export const SetLogoRequest = Type.Object(
  { type: Text({ maxLength: 50 }), data: Text({ maxLength: 400_000 }) },
  strict,
);

export const TeamMember = Type.Object({
  userId: Uuid,
  name: Type.String(),
  email: Type.String(),
  role: Type.Union([Type.Literal('member'), Type.Literal('admin')]),
});
export const Team = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Type.String(),
  members: Type.Array(TeamMember),
});
export type Team = Static<typeof Team>;
export const CreateTeamRequest = Type.Object(
  { name: Text({ minLength: 1, maxLength: 200 }), description: MultilineText({ maxLength: 2000 }) },
  strict,
);
export const UpdateTeamRequest = Type.Object(
  {
    name: Type.Optional(Text({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(MultilineText({ maxLength: 2000 })),
  },
  { ...strict, minProperties: 1 },
);
export const TeamMemberParams = Type.Object({ id: Uuid, userId: Uuid }, strict);
export const SetTeamMemberRequest = Type.Object(
  { role: Type.Union([Type.Literal('member'), Type.Literal('admin')]) },
  strict,
);

/** Lock-out storms: accounts with failed or refused sign-ins since `since`, busiest first. */
export const SignInStorms = Type.Object({
  since: Timestamp,
  accounts: Type.Array(
    Type.Object({
      userId: Uuid,
      name: Type.String(),
      email: Type.String(),
      failed: Type.Integer(),
      refused: Type.Integer(),
    }),
  ),
});
export type SignInStorms = Static<typeof SignInStorms>;
