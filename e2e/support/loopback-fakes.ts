import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** Polls until `find` returns something, or fails after `timeoutMs` with `what` in the message. */
export async function waitFor<T>(what: string, find: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface SmtpSink {
  url: string;
  mails: { to: string[]; parsed: ParsedMail }[];
  stop: () => Promise<void>;
}

/** A real SMTP server on loopback (no TLS, no auth) that keeps every mail it accepts, parsed. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: SmtpSink['mails'] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          mails.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()), parsed });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface FakeSmsProvider {
  /** The CM.com business messaging endpoint to set as CM_API_URL. */
  cmApiUrl: string;
  messages: { to: string; text: string; productToken: string }[];
  stop: () => Promise<void>;
}

/** A small local server speaking CM.com's JSON messaging API: records each text and answers OK. */
export async function startFakeCmSms(): Promise<FakeSmsProvider> {
  const messages: FakeSmsProvider['messages'] = [];
  const server: Server = createHttpServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      try {
        const json = JSON.parse(body) as {
          messages: {
            authentication: { producttoken: string };
            msg: { to: { number: string }[]; body: { content: string } }[];
          };
        };
        for (const msg of json.messages.msg)
          for (const to of msg.to)
            messages.push({
              to: to.number,
              text: msg.body.content,
              productToken: json.messages.authentication.producttoken,
            });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ errorCode: 0, details: 'Created 1 message(s)' }));
      } catch {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ errorCode: 999, details: 'bad request' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    cmApiUrl: `http://127.0.0.1:${port}/v1.0/message`,
    messages,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
