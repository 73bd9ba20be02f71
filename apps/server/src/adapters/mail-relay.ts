import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { DB } from '../db/schema.ts';

/** Ordinary mail the gateway passes on unchanged: the envelope and the message as submitted. */
export interface RelayedMail {
  from: string;
  to: string[];
  raw: Buffer;
  /** For embedded mode's outbox, which shows a subject and text instead of raw MIME. */
  subject: string;
  text: string;
}

export interface MailRelay {
  relay(mail: RelayedMail): Promise<void>;
}

/** Passes mail on through the organisation's relay (SMTP_URL), envelope and bytes unchanged. */
export function createSmtpRelay(smtpUrl: string): MailRelay {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async relay(mail) {
      await transport.sendMail({ envelope: { from: mail.from, to: mail.to }, raw: mail.raw });
    },
  };
}

/** Embedded mode: ordinary gateway mail lands in the outbox like every other mail. */
export function createOutboxRelay(db: Kysely<DB>): MailRelay {
  return {
    async relay(mail) {
      await db
        .insertInto('outbox')
        .values(
          mail.to.map((to) => ({
            id: crypto.randomUUID(),
            channel: 'mail' as const,
            recipient: to,
            subject: mail.subject,
            text_body: mail.text,
            html_body: '',
          })),
        )
        .execute();
    },
  };
}
