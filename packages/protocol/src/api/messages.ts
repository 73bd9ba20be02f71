import { type Static, Type } from 'typebox';
import { MessageLimits } from '../limits.ts';
import { KdfParams } from './accounts.ts';
import { Email, MultilineText, strict, Text, Timestamp, Uuid } from './common.ts';

/**
 * Secure messages: account keys, team keys, the key directory, compose/send, conversations,
 * receipts, revoke and expiry. The design note is docs/messages.md; the guest side is in
 * verification.ts. Every binary value on the wire is base64url without padding.
 */

/** Base64url of at most `maxBytes` bytes (no padding). */
export const Bytes = (maxBytes: number, minBytes = 1) =>
  Type.String({
    pattern: '^[A-Za-z0-9_-]*$',
    minLength: Math.ceil((minBytes * 4) / 3),
    maxLength: Math.ceil((maxBytes * 4) / 3),
  });
/** An X25519 public key (32 bytes). */
export const PublicKey = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' });
/** A 32-byte secret (server share, link secret, access-code proof). */
export const Secret32 = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' });
/** A content key wrapped with HPKE (`0x01 ‖ enc ‖ ciphertext`, 81 bytes; room for later versions). */
export const WrappedKey = Bytes(256, 32);
/** A private key wrapped with the key-wrapping key or HPKE (≈ 61–81 bytes; room for later versions). */
export const WrappedPrivateKey = Bytes(256, 32);

export const RecipientRole = Type.Union([Type.Literal('to'), Type.Literal('cc'), Type.Literal('bcc')]);
export type RecipientRole = Static<typeof RecipientRole>;

/** How a guest proves who they are before the server releases its share of the guest key. */
export const VerificationMethod = Type.Union([
  Type.Literal('sms'),
  Type.Literal('access_code'),
  Type.Literal('email_only'),
]);
export type VerificationMethod = Static<typeof VerificationMethod>;

// ── Account and team keys ──────────────────────────────────────────────────────────────

/** The signed-in user's key pair: public key and the private key wrapped with the key-wrapping key. */
export const AccountKeys = Type.Object(
  { publicKey: PublicKey, wrappedPrivateKey: WrappedPrivateKey },
  strict,
);
export type AccountKeys = Static<typeof AccountKeys>;

/** `GET /api/account/keys`: null until the browser made and uploaded a key pair. */
export const AccountKeysResponse = Type.Object({ keys: Type.Union([AccountKeys, Type.Null()]) });
export type AccountKeysResponse = Static<typeof AccountKeysResponse>;

/** One team of the signed-in user with its key and the members whose browsers still need a wrap. */
export const MyTeamKey = Type.Object({
  teamId: Uuid,
  teamName: Type.String(),
  /** The team's current public key; null until a member's browser made the team key pair. */
  publicKey: Type.Union([PublicKey, Type.Null()]),
  /** The team private key wrapped to my public key (HPKE, purpose team-private-key); null if not yet. */
  wrappedPrivateKey: Type.Union([WrappedPrivateKey, Type.Null()]),
  /** Members with a public key but no wrap of the current team key: wrap for them when you can. */
  membersWithoutKey: Type.Array(Type.Object({ userId: Uuid, publicKey: PublicKey })),
});
export type MyTeamKey = Static<typeof MyTeamKey>;
/** `GET /api/account/team-keys`. */
export const MyTeamKeysResponse = Type.Object({ teams: Type.Array(MyTeamKey) });
export type MyTeamKeysResponse = Static<typeof MyTeamKeysResponse>;

/** One member's wrap of a team private key. */
export const TeamKeyWrap = Type.Object({ userId: Uuid, wrappedPrivateKey: WrappedPrivateKey }, strict);

/** `PUT /api/teams/:id/keys`: a member creates the team key pair (only while the team has none). */
export const CreateTeamKeysRequest = Type.Object(
  { publicKey: PublicKey, wraps: Type.Array(TeamKeyWrap, { minItems: 1, maxItems: 1000 }) },
  strict,
);
/** `POST /api/teams/:id/keys/wraps`: a member who holds the team key wraps it for more members. */
export const AddTeamKeyWrapsRequest = Type.Object(
  {
    /** The team public key these wraps belong to; refused if it is no longer the current one. */
    publicKey: PublicKey,
    wraps: Type.Array(TeamKeyWrap, { minItems: 1, maxItems: 1000 }),
  },
  strict,
);

/** `GET /api/directory/keys?q=`: staff and teams of my organisation to compose to. */
export const DirectoryKeysQuery = Type.Object(
  {
    q: Type.Optional(Text({ maxLength: 200 })),
    /** Specific users or teams by id (comma-separated), e.g. to refresh a draft's recipients. */
    ids: Type.Optional(Text({ maxLength: 2000 })),
  },
  strict,
);
/** Public keys for composing; `publicKey` null means the person or team cannot receive yet. */
export const DirectoryKeysResponse = Type.Object({
  users: Type.Array(
    Type.Object({
      id: Uuid,
      name: Type.String(),
      email: Type.String(),
      publicKey: Type.Union([PublicKey, Type.Null()]),
    }),
  ),
  teams: Type.Array(
    Type.Object({ id: Uuid, name: Type.String(), publicKey: Type.Union([PublicKey, Type.Null()]) }),
  ),
});
export type DirectoryKeysResponse = Static<typeof DirectoryKeysResponse>;

// ── Recipient directory (remembered verification per external address) ───────────────

/** What the organisation remembers about an external address; never an access code itself. */
export const RecipientDirectoryEntry = Type.Object({
  address: Type.String(),
  method: VerificationMethod,
  /** E.164, e.g. +31612345678 (sms only). */
  phone: Type.Union([Type.String(), Type.Null()]),
  accessCodeHint: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Timestamp,
});
export type RecipientDirectoryEntry = Static<typeof RecipientDirectoryEntry>;
/** `GET /api/recipient-directory?address=`. */
export const RecipientDirectoryQuery = Type.Object({ address: Email }, strict);
export const RecipientDirectoryResponse = Type.Object({
  entry: Type.Union([RecipientDirectoryEntry, Type.Null()]),
});
export type RecipientDirectoryResponse = Static<typeof RecipientDirectoryResponse>;

/**
 * `POST /api/admin/recipient-directory/import`: CSV with a header line
 * `address,method,phone,hint` (comma or semicolon; phone in any form libphonenumber reads,
 * Dutch numbers without country code allowed). All or nothing: with any error nothing is imported.
 */
export const RecipientDirectoryImportRequest = Type.Object(
  { csv: MultilineText({ minLength: 1, maxLength: 900 * 1024 }) },
  strict,
);
export const RecipientDirectoryImportResponse = Type.Object({
  /** Lines written (0 when there were errors). */
  imported: Type.Integer(),
  /** One entry per bad line; `line` counts from 1 with the header as line 1. */
  errors: Type.Array(Type.Object({ line: Type.Integer(), message: Type.String() })),
});
export type RecipientDirectoryImportResponse = Static<typeof RecipientDirectoryImportResponse>;

// ── Organisation message settings ─────────────────────────────────────────────────────

/** `GET /api/message-settings` (any member) and `PATCH /api/admin/message-settings`. */
export const MessageSettings = Type.Object({
  defaultExpiryDays: Type.Integer({
    minimum: MessageLimits.minExpiryDays,
    maximum: MessageLimits.maxExpiryDays,
  }),
  /** Whether senders may choose `email_only` (the link alone opens the message). */
  allowEmailOnly: Type.Boolean(),
  /** Days a guest may let a browser be remembered; 0 turns "remember this browser" off. */
  guestRememberDays: Type.Integer({ minimum: 0, maximum: 90 }),
});
export type MessageSettings = Static<typeof MessageSettings>;
export const UpdateMessageSettingsRequest = Type.Object(
  {
    defaultExpiryDays: Type.Optional(MessageSettings.properties.defaultExpiryDays),
    allowEmailOnly: Type.Optional(Type.Boolean()),
    guestRememberDays: Type.Optional(MessageSettings.properties.guestRememberDays),
  },
  { ...strict, minProperties: 1 },
);

// ── Plaintext inside an item (encrypted in the browser; the server never sees it) ──────

/**
 * The JSON a browser encrypts as a message or reply item (UTF-8, then `encryptItem` with the
 * item id). Each attachment is `encryptContent(key, bytes, { associatedData: attachment id })`
 * with its own fresh content key, which travels only here.
 */
export const MessageContent = Type.Object(
  {
    v: Type.Literal(1),
    subject: Type.String({ maxLength: MessageLimits.maxSubjectLength }),
    /** Sanitised HTML (the composer sanitises before encrypting; readers sanitise again). */
    bodyHtml: Type.String(),
    attachments: Type.Array(
      Type.Object(
        {
          id: Uuid,
          name: Type.String({ minLength: 1, maxLength: MessageLimits.maxFileNameLength }),
          type: Type.String({ maxLength: 255 }),
          size: Type.Integer({ minimum: 0 }),
          /** The attachment's 32-byte content key. */
          key: Secret32,
        },
        strict,
      ),
      { maxItems: MessageLimits.maxAttachments },
    ),
  },
  strict,
);
export type MessageContent = Static<typeof MessageContent>;

// ── Uploads (attachment ciphertexts) ───────────────────────────────────────────────────

/**
 * `PUT /api/uploads/:id` with `Content-Type: application/octet-stream` and the ciphertext as
 * body (at most `MessageLimits.maxAttachmentCiphertextBytes`). The id is chosen by the browser
 * (a random UUID) because it is the ciphertext's associated data; a taken id is a 409.
 */
export const UploadResponse = Type.Object({ id: Uuid, size: Type.Integer() });
export type UploadResponse = Static<typeof UploadResponse>;

// ── Send ───────────────────────────────────────────────────────────────────────────────

export const StaffRecipientInput = Type.Object(
  { kind: Type.Literal('user'), userId: Uuid, role: RecipientRole },
  strict,
);
export const TeamRecipientInput = Type.Object(
  { kind: Type.Literal('team'), teamId: Uuid, role: RecipientRole },
  strict,
);
/** What the server keeps to check an access code (from `createGuestInvitation`); never the code. */
export const AccessCodeVerifierInput = Type.Object(
  { salt: Bytes(16, 16), params: KdfParams, verifierHash: Secret32 },
  strict,
);
/**
 * An external recipient. The browser made `recipientId` (random UUID), the link secret and the
 * server share (`createGuestInvitation({ guestId: recipientId, accessCode })`), derived the
 * guest public key and wrapped the item key to it. Fields a method needs are optional here so
 * that the server can list everything missing at once (`recipients_incomplete`).
 */
export const GuestRecipientInput = Type.Object(
  {
    kind: Type.Literal('guest'),
    recipientId: Uuid,
    /** Checked by the send service, which names every recipient's problem at once (`recipients_incomplete`). */
    address: Type.String({ maxLength: 254 }),
    role: RecipientRole,
    method: VerificationMethod,
    /** For `sms`: any form libphonenumber reads; Dutch numbers may omit +31. Stored as E.164. */
    phone: Type.Optional(Type.String({ maxLength: 40 })),
    /** For `access_code`. */
    accessCode: Type.Optional(AccessCodeVerifierInput),
    accessCodeHint: Type.Optional(Text({ maxLength: MessageLimits.maxAccessCodeHintLength })),
    serverShare: Secret32,
    publicKey: PublicKey,
    /**
     * The link secret. It goes into the notification mail's link fragment and is then forgotten:
     * never stored in plaintext (sealed in the delivery job until the mail left, then erased).
     * See docs/security.md, "Messages and guests".
     */
    linkSecret: Secret32,
    /** Remember method, phone and hint for this address in the organisation (default true). */
    remember: Type.Optional(Type.Boolean()),
  },
  strict,
);
export const RecipientInput = Type.Union([StaffRecipientInput, TeamRecipientInput, GuestRecipientInput]);
export type RecipientInput = Static<typeof RecipientInput>;

/** A wrapped content key filed under a holder: a user id, a team id or a guest recipient id. */
export const WrappedKeyInput = Type.Object({ holderId: Uuid, wrappedKey: WrappedKey }, strict);
export const AttachmentRef = Type.Object({ id: Uuid }, strict);
/**
 * A large file: a completed tus upload (`POST /api/files/uploads`, metadata `messageId` = the
 * conversation id) by the same user, not yet linked to an item. Its content key, name, type and
 * size travel only inside the encrypted item. See docs/files.md.
 */
export const FileRef = Type.Object({ id: Uuid }, strict);
/** Optional large files of a message or staff reply (refused with `validation_failed`, `details.fileId`). */
export const FileRefs = Type.Array(FileRef, { maxItems: MessageLimits.maxFiles });

/**
 * `POST /api/messages`: a new conversation with its first item. `wrappedKeys` must hold exactly
 * one key per holder: the sender's own user id, every user, team and guest recipient.
 * Ids are random UUIDs made by the browser (they are bound into the ciphertexts).
 */
export const SendMessageRequest = Type.Object(
  {
    conversationId: Uuid,
    itemId: Uuid,
    /** `encryptItem({ itemId, plaintext: JSON(MessageContent) })` ciphertext. */
    item: Bytes(MessageLimits.maxItemCiphertextBytes),
    attachments: Type.Array(AttachmentRef, { maxItems: MessageLimits.maxAttachments }),
    /** Large files (completed tus uploads of the sender), linked to this item. */
    files: Type.Optional(FileRefs),
    recipients: Type.Array(RecipientInput, { minItems: 1, maxItems: MessageLimits.maxRecipients }),
    wrappedKeys: Type.Array(WrappedKeyInput, { minItems: 1, maxItems: MessageLimits.maxRecipients + 1 }),
    /** Defaults to now + the organisation's default expiry. */
    expiresAt: Type.Optional(Timestamp),
  },
  strict,
);
export type SendMessageRequest = Static<typeof SendMessageRequest>;
export const SendMessageResponse = Type.Object({ conversationId: Uuid, itemId: Uuid, expiresAt: Timestamp });
export type SendMessageResponse = Static<typeof SendMessageResponse>;

/** One problem with one recipient, in `error.details.recipients` of `recipients_incomplete` (422). */
export const RecipientProblem = Type.Object({
  /** Position in `recipients`. */
  index: Type.Integer(),
  address: Type.Optional(Type.String()),
  field: Type.Union([
    Type.Literal('address'),
    Type.Literal('phone'),
    Type.Literal('accessCode'),
    Type.Literal('method'),
    Type.Literal('publicKey'),
    Type.Literal('wrappedKey'),
    Type.Literal('recipient'),
  ]),
  problem: Type.Union([
    Type.Literal('missing'),
    Type.Literal('invalid'),
    Type.Literal('not_allowed'),
    Type.Literal('duplicate'),
    Type.Literal('unknown'),
  ]),
  message: Type.String(),
});
export type RecipientProblem = Static<typeof RecipientProblem>;

/** `POST /api/conversations/:id/items`: a staff reply or follow-up, wrapped to every key holder. */
export const AddItemRequest = Type.Object(
  {
    itemId: Uuid,
    item: Bytes(MessageLimits.maxItemCiphertextBytes),
    attachments: Type.Array(AttachmentRef, { maxItems: MessageLimits.maxAttachments }),
    /** Large files (completed tus uploads of the author), linked to this item. */
    files: Type.Optional(FileRefs),
    wrappedKeys: Type.Array(WrappedKeyInput, { minItems: 1, maxItems: MessageLimits.maxRecipients + 1 }),
  },
  strict,
);

// ── Conversations (staff side) ─────────────────────────────────────────────────────────

export const ParticipantState = Type.Union([
  Type.Literal('active'),
  Type.Literal('expired'),
  Type.Literal('revoked'),
  Type.Literal('locked'),
]);
export type ParticipantState = Static<typeof ParticipantState>;

const NullableTime = Type.Union([Timestamp, Type.Null()]);

/** One recipient of a conversation with its receipts, each with a time (null: not yet). */
export const Participant = Type.Object({
  id: Uuid,
  kind: Type.Union([Type.Literal('user'), Type.Literal('team'), Type.Literal('guest')]),
  role: Type.Union([RecipientRole, Type.Literal('sender')]),
  /** User or team id; null for guests. */
  refId: Type.Union([Uuid, Type.Null()]),
  /** Person's or team's name, or the guest's address. */
  name: Type.String(),
  address: Type.Union([Type.String(), Type.Null()]),
  method: Type.Union([VerificationMethod, Type.Null()]),
  /** Masked phone number for SMS guests, e.g. "+31 6 ●●●● ●●78". */
  phoneHint: Type.Union([Type.String(), Type.Null()]),
  state: ParticipantState,
  sentAt: NullableTime,
  /** The mail server accepted the notification mail. */
  deliveredAt: NullableTime,
  bouncedAt: NullableTime,
  bounceReason: Type.Union([Type.String(), Type.Null()]),
  verifiedAt: NullableTime,
  /** First time the recipient read the conversation. */
  openedAt: NullableTime,
  lastOpenedAt: NullableTime,
  revokedAt: NullableTime,
  /** When the latest lock after wrong codes began; `state` is `locked` while it runs. */
  lockedAt: NullableTime,
  /** When that lock ends (or ended); the sender may end it sooner (`…/unlock`). */
  lockedUntil: NullableTime,
  /** The guest said "I don't have the code". */
  noCodeAt: NullableTime,
  downloads: Type.Array(Type.Object({ attachmentId: Uuid, at: Timestamp })),
  /** Downloads of the conversation's large files, one entry per download (like `downloads`). */
  fileDownloads: Type.Array(Type.Object({ fileId: Uuid, at: Timestamp })),
});
export type Participant = Static<typeof Participant>;

/**
 * Who started a conversation: a staff user, or (`userId` null) a person on the contact page, whose
 * address is the name.
 */
export const ConversationStarter = Type.Object({
  userId: Type.Union([Uuid, Type.Null()]),
  name: Type.String(),
});

/** An encrypted item as a reader gets it, with the wrapped keys the reader can open. */
export const Item = Type.Object({
  id: Uuid,
  author: Type.Object({
    kind: Type.Union([Type.Literal('user'), Type.Literal('guest')]),
    /** User id or guest recipient id (for guests, a team item names the team here). */
    id: Uuid,
    name: Type.String(),
    /** A member's item in their team's name; guests see only the team. */
    team: Type.Optional(Type.Object({ id: Uuid, name: Type.String() })),
  }),
  createdAt: Timestamp,
  ciphertext: Type.String(),
  /** The reader's wrapped keys: under their user id, a team id, or (guests) their recipient id. */
  wrappedKeys: Type.Array(Type.Object({ holderId: Uuid, wrappedKey: Type.String() })),
  attachments: Type.Array(Type.Object({ id: Uuid, size: Type.Integer() })),
  /**
   * Large files linked to this item: id and ciphertext size in bytes. Download with
   * `GET /api/conversations/:id/files/:fileId` (staff) or `GET /api/guest/:recipientId/files/:fileId`.
   */
  files: Type.Array(Type.Object({ id: Uuid, size: Type.Integer({ minimum: 0 }) })),
});
export type Item = Static<typeof Item>;

/** A public key the browser must wrap to when adding an item to the conversation. */
export const KeyHolder = Type.Object({
  holderId: Uuid,
  kind: Type.Union([Type.Literal('user'), Type.Literal('team'), Type.Literal('guest')]),
  name: Type.String(),
  publicKey: PublicKey,
});
export type KeyHolder = Static<typeof KeyHolder>;

export const Mailbox = Type.Union([Type.Literal('inbox'), Type.Literal('sent'), Type.Literal('team')]);
export type Mailbox = Static<typeof Mailbox>;
/** `GET /api/conversations?box=inbox|sent|team[&teamId=]`; newest first, 50 per page. */
export const ConversationListQuery = Type.Object(
  {
    box: Mailbox,
    teamId: Type.Optional(Uuid),
    /** Paging: conversations whose last activity is before this time. */
    before: Type.Optional(Timestamp),
  },
  strict,
);

export const ConversationSummary = Type.Object({
  id: Uuid,
  createdAt: Timestamp,
  lastActivityAt: Timestamp,
  expiresAt: Timestamp,
  sender: ConversationStarter,
  /** The first item, so the list can decrypt and show the subject. */
  firstItem: Item,
  itemCount: Type.Integer(),
  participants: Type.Array(Participant),
});
export type ConversationSummary = Static<typeof ConversationSummary>;
export const ConversationListResponse = Type.Object({ conversations: Type.Array(ConversationSummary) });
export type ConversationListResponse = Static<typeof ConversationListResponse>;

/** `GET /api/conversations/:id`. Bcc recipients are listed to the sender only. */
export const ConversationDetail = Type.Object({
  id: Uuid,
  createdAt: Timestamp,
  expiresAt: Timestamp,
  sender: ConversationStarter,
  participants: Type.Array(Participant),
  items: Type.Array(Item),
  /** Wrap a new item's key to each of these (and nobody else). Revoked/expired guests are left out. */
  keyHolders: Type.Array(KeyHolder),
  canManage: Type.Boolean(),
});
export type ConversationDetail = Static<typeof ConversationDetail>;

/** `POST /api/conversations/:id/revoke`: some guests (by participant id) or, without ids, every guest. */
export const RevokeRequest = Type.Object(
  { participantIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: MessageLimits.maxRecipients })) },
  strict,
);
/** `PATCH /api/conversations/:id`: a new expiry (earlier or later, within the maximum). */
export const UpdateConversationRequest = Type.Object({ expiresAt: Timestamp }, strict);

export const ConversationParams = Type.Object({ id: Uuid }, strict);
/** `POST /api/conversations/:id/participants/:participantId/unlock` (the sender): ends a guest's lock. */
export const ParticipantParams = Type.Object({ id: Uuid, participantId: Uuid }, strict);
export const AttachmentParams = Type.Object({ id: Uuid, attachmentId: Uuid }, strict);
/** `GET /api/conversations/:conversationId/files/:fileId`: a large file's ciphertext, streamed, `Range` allowed. */
export const ConversationFileParams = Type.Object({ conversationId: Uuid, fileId: Uuid }, strict);

/** One line of the proof-of-delivery event log. */
export const DeliveryEvent = Type.Object({
  at: Timestamp,
  type: Type.String(),
  participantId: Type.Union([Uuid, Type.Null()]),
  /** Guest address, user or team name. */
  recipient: Type.Union([Type.String(), Type.Null()]),
  attachmentId: Type.Union([Uuid, Type.Null()]),
  /** The large file of a `downloaded` event (then `attachmentId` is null). */
  fileId: Type.Union([Uuid, Type.Null()]),
});
/** `GET /api/conversations/:id/report` (JSON); `…/report.pdf` gives the same as a tagged PDF. */
export const DeliveryReport = Type.Object({
  conversationId: Uuid,
  generatedAt: Timestamp,
  organisation: Type.String(),
  sender: ConversationStarter,
  createdAt: Timestamp,
  expiresAt: Timestamp,
  participants: Type.Array(Participant),
  events: Type.Array(DeliveryEvent),
});
export type DeliveryReport = Static<typeof DeliveryReport>;
