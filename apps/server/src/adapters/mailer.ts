import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { DB } from '../db/schema.ts';

/** One outgoing e-mail. Notification mails never carry message content. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers, e.g. `X-Zegel-Recipient` so a bounce report can be matched to its recipient. */
  headers?: Record<string, string>;
  /** A stable Message-ID (`<id@host>`), the same when a job sends the mail again after a crash. */
  messageId?: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** The relay refused the recipient for good (a 5xx answer): a bounce, not worth retrying. */
export class MailRejectedError extends Error {
  override name = 'MailRejectedError';
  readonly responseCode: number;
  constructor(responseCode: number) {
    super(`the mail server refused the recipient (${responseCode})`);
    this.responseCode = responseCode;
  }
}

export interface DkimOptions {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

/** Sends through an SMTP relay (SMTP_URL), DKIM-signed when configured. */
export function createSmtpMailer(smtpUrl: string, from: string, dkim?: DkimOptions): Mailer {
  const transport = nodemailer.createTransport(smtpUrl, dkim ? { dkim } : {});
  return {
    async send(mail) {
      try {
        const info = await transport.sendMail({
          from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          ...(mail.headers ? { headers: mail.headers } : {}),
          ...(mail.messageId ? { messageId: mail.messageId } : {}),
        });
        if (info.rejected.length > 0 && info.accepted.length === 0) throw new MailRejectedError(550);
      } catch (error) {
        const code = (error as { responseCode?: unknown }).responseCode;
        if (typeof code === 'number' && code >= 500 && code < 600) throw new MailRejectedError(code);
        throw error;
      }
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
