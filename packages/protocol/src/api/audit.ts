import { type Static, Type } from 'typebox';
import { BoundedInteger, Cursor, strict, Text, Timestamp, Uuid } from './common.ts';

export const AuditQuery = Type.Object(
  {
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
    userId: Type.Optional(Uuid),
    subject: Type.Optional(Text({ maxLength: 200 })),
    action: Type.Optional(Text({ maxLength: 100 })),
    before: Type.Optional(Cursor),
    limit: Type.Optional(BoundedInteger(1, 500)),
  },
  strict,
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditExportQuery = Type.Object(
  {
    format: Type.Union([Type.Literal('csv'), Type.Literal('json')]),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
    userId: Type.Optional(Uuid),
    subject: Type.Optional(Text({ maxLength: 200 })),
    action: Type.Optional(Text({ maxLength: 100 })),
  },
  strict,
);

/** One NEN 7513 event as admins see and export it. */
export const AuditEvent = Type.Object({
  seq: Type.Integer(),
  id: Uuid,
  occurredAt: Timestamp,
  action: Type.String(),
  outcome: Type.Union([Type.Literal('success'), Type.Literal('failure')]),
  actorUserId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  onBehalfOf: Type.Union([Type.String(), Type.Null()]),
  actorRole: Type.Union([Type.String(), Type.Null()]),
  accessIp: Type.Union([Type.String(), Type.Null()]),
  accessUserAgent: Type.Union([Type.String(), Type.Null()]),
  subjectPerson: Type.Union([Type.String(), Type.Null()]),
  objectType: Type.Union([Type.String(), Type.Null()]),
  objectId: Type.Union([Type.String(), Type.Null()]),
  source: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
});
export type AuditEvent = Static<typeof AuditEvent>;
export const AuditPage = Type.Object({
  events: Type.Array(AuditEvent),
  nextBefore: Type.Union([Type.Integer(), Type.Null()]),
});
export type AuditPage = Static<typeof AuditPage>;
