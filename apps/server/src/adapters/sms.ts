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

/** The provider refused the message or could not be reached; the message says which, never the text. */
export class SmsSendError extends Error {
  override name = 'SmsSendError';
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

const SMS_TIMEOUT_MS = 10_000;

/**
 * CM.com business messaging (JSON): `POST {apiUrl}` with
 * `{ messages: { authentication: { producttoken }, msg: [{ from, to: [{ number }], body }] } }`;
 * numbers in the international `00…` form.
 */
export function createCmSms(options: { productToken: string; sender: string; apiUrl: string }): SmsSender {
  return {
    async send(sms) {
      const response = await fetch(options.apiUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        signal: AbortSignal.timeout(SMS_TIMEOUT_MS),
        body: JSON.stringify({
          messages: {
            authentication: { producttoken: options.productToken },
            msg: [
              {
                from: options.sender,
                to: [{ number: `00${sms.to.replace(/^\+/, '')}` }],
                body: { type: 'auto', content: sms.text },
              },
            ],
          },
        }),
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { errorCode?: unknown };
        throw new SmsSendError(
          `CM.com refused the message (HTTP ${response.status}, code ${String(body.errorCode ?? '?')})`,
          response.status,
        );
      }
    },
  };
}

/**
 * Twilio's Messages API and compatible ones: `POST {apiUrl}/2010-04-01/Accounts/{sid}/Messages.json`,
 * form-encoded `To`, `From`, `Body`, HTTP Basic with the account SID and auth token.
 */
export function createTwilioSms(options: {
  accountSid: string;
  authToken: string;
  sender: string;
  apiUrl: string;
}): SmsSender {
  const url = `${options.apiUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  return {
    async send(sms) {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          authorization,
        },
        signal: AbortSignal.timeout(SMS_TIMEOUT_MS),
        body: new URLSearchParams({ To: sms.to, From: options.sender, Body: sms.text }).toString(),
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { code?: unknown };
        throw new SmsSendError(
          `Twilio refused the message (HTTP ${response.status}, code ${String(body.code ?? '?')})`,
          response.status,
        );
      }
    },
  };
}

/** Tests: remembers what was sent. */
export function createRecordingSms(): SmsSender & { sent: Sms[] } {
  const sent: Sms[] = [];
  return {
    sent,
    async send(sms) {
      sent.push(sms);
    },
  };
}
