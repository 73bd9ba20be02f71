import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/** One text message; `to` is E.164. */
export interface Sms {
  to: string;
  text: string;
}

export interface SmsSender {
  send(sms: Sms): Promise<void>;
}

/** Embedded mode: keeps text messages in the database for the /outbox page. */
export function createOutboxSms(db: Kysely<DB>): SmsSender {
  return {
    async send(sms) {
      await db
        .insertInto('outbox')
        .values({
          id: crypto.randomUUID(),
          channel: 'sms',
          recipient: sms.to,
          subject: '',
          text_body: sms.text,
        })
        .execute();
    },
  };
}
