import type { AddressInfo } from 'node:net';
import { ErrorCode } from '@zegel/protocol/errors';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { MailRelay } from '../../adapters/mail-relay.ts';
import type { TlsIdentity } from '../../adapters/smtp-tls.ts';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { checkSmtpLogin } from './app-passwords.ts';
import type { DirectDelivery } from './direct.ts';
import { isOwnLoopHeader, LOOP_HEADER } from './loop.ts';
import { allowedSenderAddresses } from './senders.ts';
import { type GatewayDeps, GatewayRefusal, type SubmittedMail, submitMail } from './submit.ts';

export interface GatewayListenerOptions {
  host: string;
  port: number;
  tls: TlsIdentity;
  relay: MailRelay;
  /** Direct TLS delivery (DANE / MTA-STS) with a DKIM key; without it external mail goes by secure link. */
  direct?: DirectDelivery | undefined;
  maxBytes: number;
  maxRecipients: number;
  /** Told of an unexpected failure (answered 451); gets the error only, never the mail. */
  onError?: (error: unknown) => void;
}

/** Recipients of one mail; beyond this the listener answers 452 per RCPT (RFC 5321 asks for 100). */
export const GATEWAY_MAX_RECIPIENTS = 100;

export interface GatewayListener {
  port: number;
  close(): Promise<void>;
}

const refusal = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

const originOf = (session: SMTPServerSession): RequestOrigin => ({
  ip: session.remoteAddress,
  userAgent: `smtp:${session.clientHostname}`.slice(0, 300),
});

/**
 * Reads the DATA stream up to `maxBytes`, keeping nothing past it: an over-large mail is drained
 * and refused with 552 without ever being held whole.
 */
function readBounded(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      if (!tooLarge) chunks.push(chunk);
    });
    stream.once('error', reject);
    stream.once('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
  });
}

/** The one `From:` address of a parsed mail, or null for none, several, or a malformed one. */
function singleFrom(parsed: Awaited<ReturnType<typeof simpleParser>>): string | null {
  const list = parsed.from?.value ?? [];
  if (list.length !== 1) return null;
  const address = list[0]?.address?.trim().toLowerCase() ?? '';
  return /^[^@\s<>"]+@[^@\s<>"]+$/.test(address) ? address : null;
}

async function parseSubmission(
  raw: Buffer,
  session: SMTPServerSession,
): Promise<{ from: string | null; loop: string | undefined; mail: SubmittedMail }> {
  const parsed = await simpleParser(raw, {
    skipHtmlToText: false,
    skipTextToHtml: true,
    skipImageLinks: true,
  });
  const sensitivity = parsed.headers.get('sensitivity');
  const loop = parsed.headers.get(LOOP_HEADER.toLowerCase());
  return {
    from: singleFrom(parsed),
    loop: typeof loop === 'string' ? loop : undefined,
    mail: {
      envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address.toLowerCase() : '',
      recipients: [...new Set(session.envelope.rcptTo.map((r) => r.address.toLowerCase()))],
      subject: parsed.subject ?? '',
      sensitivity: typeof sensitivity === 'string' ? sensitivity : undefined,
      text: parsed.text ?? '',
      attachments: parsed.attachments.map((a) => ({
        name: a.filename ?? 'attachment',
        type: a.contentType ?? 'application/octet-stream',
        content: new Uint8Array(a.content),
      })),
      raw,
      size: raw.length,
    },
  };
}

/** Known refusals become their SMTP answer; anything else a temporary failure without details. */
function smtpAnswerFor(error: unknown, onError: ((error: unknown) => void) | undefined): Error {
  if (error instanceof GatewayRefusal) return refusal(error.responseCode, error.message);
  if (error instanceof AppError) {
    if (error.code === ErrorCode.payloadTooLarge)
      return refusal(552, '5.3.4 A part of this mail is too large for Zegel');
    return refusal(554, `5.6.0 Zegel cannot accept this mail: ${error.message}`);
  }
  onError?.(error);
  return refusal(451, '4.3.0 Zegel could not process this mail; try again later');
}

async function handleData(
  deps: GatewayDeps,
  options: GatewayListenerOptions,
  stream: SMTPServerDataStream,
  session: SMTPServerSession,
) {
  const raw = await readBounded(stream, options.maxBytes);
  if (!raw) throw refusal(552, `5.3.4 The mail is larger than ${options.maxBytes} bytes`);
  const actor = session.user as unknown as Actor;
  const { from, loop, mail } = await parseSubmission(raw, session);
  if (loop && isOwnLoopHeader(deps.config.secret, loop))
    throw refusal(554, '5.4.6 Routing loop: Zegel has processed this mail before');
  const allowed = await allowedSenderAddresses(deps, actor);
  if (!from || !allowed.has(from)) throw refusal(550, '5.7.1 You may not send as this From: address');
  try {
    await submitMail(deps, actor, from, mail, originOf(session));
  } catch (error) {
    throw smtpAnswerFor(error, options.onError);
  }
}

/**
 * The SMTP submission listener: STARTTLS with the given certificate, AUTH PLAIN/LOGIN only over
 * TLS with app passwords, the `From:` checked against the user's own and team addresses, the size
 * enforced while reading, and `250` only once `submitMail` has committed (or relayed) the mail.
 */
export async function startGatewayListener(
  base: Deps,
  options: GatewayListenerOptions,
): Promise<GatewayListener> {
  const deps: GatewayDeps = { ...base, relay: options.relay, direct: options.direct };
  const server = new SMTPServer({
    name: 'zegel',
    banner: 'Zegel secure mail gateway',
    key: options.tls.key,
    cert: options.tls.cert,
    secure: false,
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: false,
    size: options.maxBytes,
    maxRecipients: options.maxRecipients,
    logger: false,
    disabledCommands: [],
    onAuth(auth, session, callback) {
      if (!session.secure) return callback(refusal(530, '5.7.0 Must issue a STARTTLS command first'));
      checkSmtpLogin(deps, auth.username ?? '', auth.password ?? '', originOf(session)).then(
        (result) => {
          if (result.ok) return callback(null, { user: result.actor as never });
          if (result.reason === 'limited')
            return callback(refusal(454, '4.7.0 Too many failed attempts; try again later'));
          return callback(refusal(535, '5.7.8 Authentication credentials invalid'));
        },
        () => callback(refusal(454, '4.7.0 Temporary authentication failure')),
      );
    },
    onMailFrom(address, session, callback) {
      const actor = session.user as unknown as Actor | undefined;
      if (!actor) return callback(refusal(530, '5.7.0 Authentication required'));
      allowedSenderAddresses(deps, actor).then(
        (allowed) =>
          allowed.has(address.address.toLowerCase())
            ? callback()
            : callback(refusal(550, '5.7.1 You may not send as this address')),
        () => callback(refusal(451, '4.3.0 Try again later')),
      );
    },
    onData(stream, session, callback) {
      handleData(deps, options, stream, session).then(
        () => callback(null, '2.0.0 Accepted by Zegel'),
        (error: Error) => {
          stream.resume();
          callback(error);
        },
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  server.on('error', () => {});
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
