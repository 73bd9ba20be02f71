import { type Static, Type } from 'typebox';
import { Email, MultilineText, strict, Text, Timestamp, Uuid } from './common.ts';
import { PublicKey, WrappedPrivateKey } from './messages.ts';

/** A member's place in a care network (docs/care-networks.md). */
export const CareRole = Type.Union([
  Type.Literal('client'),
  Type.Literal('representative'),
  Type.Literal('coordinator'),
  Type.Literal('professional'),
  Type.Literal('carer'),
]);
export type CareRole = Static<typeof CareRole>;

/** Why a member may take part: the client themself, a treatment agreement, a legal task, or consent. */
export const CareLegalBasis = Type.Union([
  Type.Literal('behandelovereenkomst'),
  Type.Literal('wettelijke_taak'),
  Type.Literal('toestemming'),
]);
export type CareLegalBasis = Static<typeof CareLegalBasis>;

/** Consent as recorded: digital (a decided request) or a written form the organisation keeps. */
export const CareConsentRecord = Type.Object(
  {
    kind: Type.Union([Type.Literal('digital'), Type.Literal('written')]),
    reference: Type.Optional(Text({ minLength: 1, maxLength: 200 })),
  },
  strict,
);

const Name = Text({ minLength: 1, maxLength: 200 });

/**
 * A new member: a staff account of any organisation on this installation (professional,
 * coordinator) by `userId`, or a person without a staff account (representative, carer) by name
 * and address. The client is named when the network is created.
 */
export const NewCareMember = Type.Object(
  {
    role: Type.Union([Type.Literal('representative'), Type.Literal('professional'), Type.Literal('carer')]),
    userId: Type.Optional(Uuid),
    name: Type.Optional(Name),
    email: Type.Optional(Email),
    function: Type.Optional(Text({ minLength: 1, maxLength: 200 })),
    legalBasis: CareLegalBasis,
    consentRecord: Type.Optional(CareConsentRecord),
    /** A representative: what they act for (e.g. "mentor: zorg en welzijn") and until when. */
    scope: Type.Optional(Text({ minLength: 1, maxLength: 200 })),
    endsAt: Type.Optional(Timestamp),
    /** Why this member should join; shown to the client when the network is locked. */
    reason: Type.Optional(MultilineText({ minLength: 1, maxLength: 1000 })),
  },
  strict,
);
export type NewCareMember = Static<typeof NewCareMember>;

export const CreateCareNetworkRequest = Type.Object(
  {
    name: Name,
    client: Type.Object({ name: Name, email: Email }, strict),
    /** The coordinator's own legal basis (the staff member who creates the network). */
    legalBasis: CareLegalBasis,
    function: Type.Optional(Text({ minLength: 1, maxLength: 200 })),
  },
  strict,
);
export type CreateCareNetworkRequest = Static<typeof CreateCareNetworkRequest>;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const CareMember = Type.Object({
  id: Uuid,
  role: CareRole,
  name: Type.String(),
  kind: Type.Union([Type.Literal('staff'), Type.Literal('person')]),
  organisationName: Nullable(Type.String()),
  function: Nullable(Type.String()),
  legalBasis: Type.Union([CareLegalBasis, Type.Literal('client')]),
  scope: Nullable(Type.String()),
  endsAt: Nullable(Type.String()),
  addedAt: Type.String(),
});
export type CareMember = Static<typeof CareMember>;

export const CareConsentRequest = Type.Object({
  id: Uuid,
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('consented'),
    Type.Literal('declined'),
    Type.Literal('expired'),
  ]),
  requestedBy: Type.String(),
  candidate: Type.Object({
    role: CareRole,
    name: Type.String(),
    organisationName: Nullable(Type.String()),
    function: Nullable(Type.String()),
    legalBasis: CareLegalBasis,
  }),
  reason: Type.String(),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  decidedAt: Nullable(Type.String()),
});
export type CareConsentRequest = Static<typeof CareConsentRequest>;

export const CareNetwork = Type.Object({
  id: Uuid,
  name: Type.String(),
  hostOrganisationName: Type.String(),
  createdAt: Type.String(),
  openUntil: Type.String(),
  isLocked: Type.Boolean(),
  myRole: CareRole,
  members: Type.Array(CareMember),
  /** Requests the viewer may see: the client and representatives, the coordinator, the requester. */
  requests: Type.Array(CareConsentRequest),
});
export type CareNetwork = Static<typeof CareNetwork>;

export const CareNetworkSummary = Type.Object({
  id: Uuid,
  name: Type.String(),
  myRole: CareRole,
  isLocked: Type.Boolean(),
});
export const CareNetworkList = Type.Object({ networks: Type.Array(CareNetworkSummary) });
export type CareNetworkList = Static<typeof CareNetworkList>;

/** Adding a member: they joined (open week), or a consent request waits for the client. */
export const AddCareMemberResponse = Type.Union([
  Type.Object({ outcome: Type.Literal('joined'), member: CareMember }),
  Type.Object({ outcome: Type.Literal('requested'), request: CareConsentRequest }),
]);
export type AddCareMemberResponse = Static<typeof AddCareMemberResponse>;

export const CareDecisionRequest = Type.Object(
  { decision: Type.Union([Type.Literal('consent'), Type.Literal('decline')]) },
  strict,
);
export type CareDecisionRequest = Static<typeof CareDecisionRequest>;

export const CareNetworkParams = Type.Object({ id: Uuid }, strict);
export const CareMemberParams = Type.Object({ id: Uuid, memberId: Uuid }, strict);
export const CareRequestParams = Type.Object({ id: Uuid, requestId: Uuid }, strict);

const KeyWrap = Type.Object({ memberId: Uuid, wrappedPrivateKey: WrappedPrivateKey }, strict);

/** The network's next key, made in a member's browser and wrapped to every member with a key. */
export const NewNetworkKeyRequest = Type.Object(
  { keyId: Uuid, publicKey: PublicKey, wraps: Type.Array(KeyWrap, { minItems: 1, maxItems: 500 }) },
  strict,
);
export type NewNetworkKeyRequest = Static<typeof NewNetworkKeyRequest>;

export const AddKeyWrapsRequest = Type.Object(
  { wraps: Type.Array(KeyWrap, { minItems: 1, maxItems: 500 }) },
  strict,
);
export type AddKeyWrapsRequest = Static<typeof AddKeyWrapsRequest>;

export const NetworkKeys = Type.Object({
  current: Type.Union([
    Type.Object({ id: Uuid, epoch: Type.Integer(), publicKey: Type.String() }),
    Type.Null(),
  ]),
  mine: Type.Array(
    Type.Object({
      keyId: Uuid,
      epoch: Type.Integer(),
      publicKey: Type.String(),
      wrappedPrivateKey: Type.String(),
    }),
  ),
  members: Type.Array(
    Type.Object({
      memberId: Uuid,
      publicKey: Type.Union([Type.String(), Type.Null()]),
      hasCurrentKey: Type.Boolean(),
    }),
  ),
});
export type NetworkKeys = Static<typeof NetworkKeys>;

export const CareKeyParams = Type.Object({ id: Uuid, keyId: Uuid }, strict);

/** A folder right: for a role, or for one member. Uploaders also read. */
export const CareFolderRight = Type.Object(
  {
    role: Type.Optional(
      Type.Union([Type.Literal('professional'), Type.Literal('carer'), Type.Literal('coordinator')]),
    ),
    memberId: Type.Optional(Uuid),
    access: Type.Union([Type.Literal('reader'), Type.Literal('uploader')]),
  },
  strict,
);
export type CareFolderRight = Static<typeof CareFolderRight>;

export const CreateCareFolderRequest = Type.Object(
  { name: Text({ minLength: 1, maxLength: 80 }), rights: Type.Array(CareFolderRight, { maxItems: 100 }) },
  strict,
);
export type CreateCareFolderRequest = Static<typeof CreateCareFolderRequest>;

export const CareFolder = Type.Object({
  id: Uuid,
  name: Type.String(),
  myAccess: Type.Union([Type.Literal('reader'), Type.Literal('uploader'), Type.Literal('manager')]),
  rights: Type.Array(
    Type.Object({
      role: Type.Union([Type.String(), Type.Null()]),
      memberId: Type.Union([Type.String(), Type.Null()]),
      access: Type.String(),
    }),
  ),
});
export type CareFolder = Static<typeof CareFolder>;
export const CareFolderList = Type.Object({ folders: Type.Array(CareFolder) });
export const CareFolderParams = Type.Object({ id: Uuid, folderId: Uuid }, strict);

/** One line of the client's access view, in plain Dutch, with who, role and legal basis. */
export const CareAccessEntry = Type.Object({
  at: Type.String(),
  sentence: Type.String(),
  who: Type.String(),
  organisationName: Type.Union([Type.String(), Type.Null()]),
  role: Type.String(),
  legalBasis: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
});
export const CareAccessLog = Type.Object({ entries: Type.Array(CareAccessEntry) });
export type CareAccessLog = Static<typeof CareAccessLog>;
