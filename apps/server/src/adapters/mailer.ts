import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { DB } from '../db/schema.ts';

/** One outgoing e-mail. Notification mails never carry message content. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** Sends through an SMTP relay (SMTP_URL). */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail) {
      await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      });
    },
  };
}

/** Embedded mode: keeps mail in the database so the /outbox page can show it. */
export function createOutboxMailer(db: Kysely<DB>): Mailer {
  return {
    async send(mail) {
      await db
        .insertInto('outbox')
        .values({
          id: crypto.randomUUID(),
          channel: 'mail',
          recipient: mail.to,
          subject: mail.subject,
          text_body: mail.text,
          html_body: mail.html,
        })
        .execute();
    },
  };
}

/** Tests: remembers what was sent. */
export function createRecordingMailer(): Mailer & { sent: Mail[] } {
  const sent: Mail[] = [];
  return {
    sent,
    async send(mail) {
      sent.push(mail);
    },
  };
}
