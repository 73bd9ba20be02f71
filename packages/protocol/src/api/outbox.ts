import { type Static, Type } from 'typebox';
import { Timestamp, Uuid } from './common.ts';

/** A mail or text message kept by embedded mode instead of being sent. */
export const OutboxItem = Type.Object({
  id: Uuid,
  channel: Type.Union([Type.Literal('mail'), Type.Literal('sms')]),
  recipient: Type.String(),
  subject: Type.String(),
  textBody: Type.String(),
  htmlBody: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
});
export type OutboxItem = Static<typeof OutboxItem>;
