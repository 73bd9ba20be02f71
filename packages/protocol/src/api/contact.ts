import { type Static, Type } from 'typebox';
import { MultilineText, strict, Text, Timestamp, Uuid } from './common.ts';
import { KeyHolder, PublicKey, Secret32 } from './messages.ts';
import { GuestReplyRequest } from './verification.ts';

/** Which verification a person who starts a conversation from the contact page must pass. */
export const ContactVerification = Type.Union([Type.Literal('email'), Type.Literal('sms')]);
export type ContactVerification = Static<typeof ContactVerification>;

/** Who is told about a new conversation: every member, or the team's own address. */
export const ContactNotify = Type.Union([Type.Literal('members'), Type.Literal('address')]);
export type ContactNotify = Static<typeof ContactNotify>;

const ShortText = Text({ maxLength: 200 });
const LongText = MultilineText({ maxLength: 2000 });
/** An address as people type it; no whitespace or control characters. */
const ADDRESS_PART = '[^\\s@<>\\u0000-\\u001f\\u007f]+';

/** A team's contact-page settings as its members and admins see them. */
export const TeamContactSettings = Type.Object({
  teamId: Uuid,
  /** False: the team only replies to what it sends (as the courts do) and is not on the contact page. */
  acceptsNewConversations: Type.Boolean(),
  description: LongText,
  region: ShortText,
  responseTime: ShortText,
  autoReply: LongText,
  officeHours: LongText,
  guestVerification: ContactVerification,
  notify: ContactNotify,
  notifyAddress: Type.Union([Type.String({ maxLength: 254 }), Type.Null()]),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
});
export type TeamContactSettings = Static<typeof TeamContactSettings>;

export const UpdateTeamContactSettingsRequest = Type.Object(
  {
    acceptsNewConversations: Type.Optional(Type.Boolean()),
    description: Type.Optional(LongText),
    region: Type.Optional(ShortText),
    responseTime: Type.Optional(ShortText),
    autoReply: Type.Optional(LongText),
    officeHours: Type.Optional(LongText),
    guestVerification: Type.Optional(ContactVerification),
    notify: Type.Optional(ContactNotify),
    notifyAddress: Type.Optional(
      Type.Union([
        Type.String({ minLength: 3, maxLength: 254, pattern: `^${ADDRESS_PART}@${ADDRESS_PART}$` }),
        Type.Null(),
      ]),
    ),
  },
  { ...strict, minProperties: 1 },
);
export type UpdateTeamContactSettingsRequest = Static<typeof UpdateTeamContactSettingsRequest>;

/** A team as the public contact page shows it: nothing about members or addresses. */
export const ContactTeam = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Type.String(),
  region: Type.String(),
  responseTime: Type.String(),
  officeHours: Type.String(),
  guestVerification: ContactVerification,
});
export type ContactTeam = Static<typeof ContactTeam>;

/** The public contact page of one organisation. */
export const ContactPage = Type.Object({
  organisation: Type.Object({
    name: Type.String(),
    slug: Type.String(),
    branding: Type.Record(Type.String(), Type.String()),
    hasLogo: Type.Boolean(),
  }),
  teams: Type.Array(ContactTeam),
});
export type ContactPage = Static<typeof ContactPage>;

export const ContactSlugParams = Type.Object(
  { slug: Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9-]+$' }) },
  strict,
);
export const ContactTeamParams = Type.Object(
  { slug: Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9-]+$' }), teamId: Uuid },
  strict,
);

/**
 * The contact form's proof of work: find a nonce (decimal digits) such that
 * SHA-256(UTF-8(challenge + nonce)) starts with `difficulty` zero bits. About 2^difficulty hashes.
 */
export const ContactLimits = {
  proofOfWorkBits: 16,
  challengeLifetimeMinutes: 10,
  emailCodeLength: 6,
  emailCodeLifetimeMinutes: 10,
  maxWrongCodes: 5,
  sendTokenLifetimeMinutes: 60,
} as const;

/** True when `hash` starts with at least `bits` zero bits (both sides use this). */
export function hasLeadingZeroBits(hash: Uint8Array, bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const byte = hash[i >> 3] ?? 0xff;
    if ((byte >> (7 - (i & 7))) & 1) return false;
  }
  return true;
}

export const ContactChallenge = Type.Object({
  challenge: Type.String(),
  difficulty: Type.Integer(),
  expiresAt: Type.String(),
});
export type ContactChallenge = Static<typeof ContactChallenge>;

const Email = Type.String({
  minLength: 3,
  maxLength: 254,
  pattern: `^${ADDRESS_PART}@${ADDRESS_PART}\\.${ADDRESS_PART}$`,
});

export const ContactCodeRequest = Type.Object(
  {
    email: Email,
    phone: Type.Optional(Text({ minLength: 6, maxLength: 32 })),
    challenge: Text({ minLength: 20, maxLength: 100 }),
    nonce: Type.String({ minLength: 1, maxLength: 20, pattern: '^[0-9]+$' }),
  },
  strict,
);
export type ContactCodeRequest = Static<typeof ContactCodeRequest>;

export const ContactCodeResponse = Type.Object({ verificationId: Uuid, expiresAt: Type.String() });
export type ContactCodeResponse = Static<typeof ContactCodeResponse>;

export const ContactVerifyRequest = Type.Object(
  { verificationId: Uuid, code: Text({ minLength: 1, maxLength: 12 }) },
  strict,
);
export type ContactVerifyRequest = Static<typeof ContactVerifyRequest>;

/** A single-use token that proves the address when the conversation is sent. */
export const ContactVerifyResponse = Type.Object({ sendToken: Type.String(), expiresAt: Type.String() });
export type ContactVerifyResponse = Static<typeof ContactVerifyResponse>;

/** Team mailbox work: who handles a conversation for the team, whether it is done, and who did what. */
export const TeamConversationParams = Type.Object({ teamId: Uuid, conversationId: Uuid }, strict);

export const TeamHandlingEvent = Type.Object({
  type: Type.Union([
    Type.Literal('assigned'),
    Type.Literal('unassigned'),
    Type.Literal('done'),
    Type.Literal('reopened'),
  ]),
  actor: Type.Object({ userId: Uuid, name: Type.String() }),
  target: Type.Union([Type.Object({ userId: Uuid, name: Type.String() }), Type.Null()]),
  occurredAt: Type.String(),
});

export const TeamConversationHandling = Type.Object({
  teamId: Uuid,
  conversationId: Uuid,
  assignee: Type.Union([Type.Object({ userId: Uuid, name: Type.String() }), Type.Null()]),
  isDone: Type.Boolean(),
  doneAt: Type.Union([Type.String(), Type.Null()]),
  events: Type.Array(TeamHandlingEvent),
});
export type TeamConversationHandling = Static<typeof TeamConversationHandling>;

/** `GET /api/teams/:teamId/handling?conversationIds=a,b`: the state of up to 50 listed conversations. */
export const TeamHandlingListParams = Type.Object({ teamId: Uuid }, strict);
export const TeamHandlingListQuery = Type.Object(
  {
    conversationIds: Type.String({
      pattern: '^[0-9a-fA-F-]{36}(,[0-9a-fA-F-]{36}){0,49}$',
      description: 'Up to 50 conversation ids, comma-separated.',
    }),
  },
  strict,
);
export const TeamHandlingList = Type.Object({
  conversations: Type.Array(Type.Pick(TeamConversationHandling, ['conversationId', 'assignee', 'isDone'])),
});
export type TeamHandlingList = Static<typeof TeamHandlingList>;

export const AssignTeamConversationRequest = Type.Object({ userId: Type.Union([Uuid, Type.Null()]) }, strict);
export const MarkTeamConversationDoneRequest = Type.Object({ isDone: Type.Boolean() }, strict);

/**
 * `POST /api/contact/:slug/teams/:teamId/conversations`: spends the send token and opens the
 * conversation with the person as its guest starter. The browser made the guest key
 * (`createGuestInvitation`) and keeps the link secret; the answer sets the guest session cookie
 * so the browser can upload attachments and post the first message.
 */
export const ContactStartRequest = Type.Object(
  {
    sendToken: Text({ minLength: 20, maxLength: 100 }),
    conversationId: Uuid,
    recipientId: Uuid,
    publicKey: PublicKey,
    serverShare: Secret32,
  },
  strict,
);
export type ContactStartRequest = Static<typeof ContactStartRequest>;

export const ContactStartResponse = Type.Object({
  conversationId: Uuid,
  recipientId: Uuid,
  /** The team key the first message is wrapped to (besides the guest's own key). */
  replyRecipients: Type.Array(KeyHolder),
  expiresAt: Timestamp,
});
export type ContactStartResponse = Static<typeof ContactStartResponse>;

/**
 * `POST /api/guest/:recipientId/first-message`: the opening message of a contact conversation
 * (a guest reply plus the link secret, which the confirmation mail carries once).
 */
export const ContactFirstMessageRequest = Type.Object(
  { ...GuestReplyRequest.properties, linkSecret: Secret32 },
  strict,
);
export type ContactFirstMessageRequest = Static<typeof ContactFirstMessageRequest>;
