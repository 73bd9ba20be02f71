import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCmSms, createTwilioSms, SmsSendError } from './sms.ts';

/** A small local server that speaks the CM.com and Twilio message APIs, recording what arrives. */
interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}
let server: Server;
let base: string;
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body });
      response.setHeader('content-type', 'application/json');
      if (request.url === '/cm') {
        const token = JSON.parse(body).messages?.authentication?.producttoken;
        response.statusCode = token === 'good-token' ? 200 : 400;
        response.end(
          JSON.stringify(
            token === 'good-token'
              ? { details: 'Created 1 message(s)', errorCode: 0 }
              : { details: 'No account found', errorCode: 101 },
          ),
        );
        return;
      }
      if (request.url === '/2010-04-01/Accounts/AC123/Messages.json') {
        const ok =
          request.headers.authorization === `Basic ${Buffer.from('AC123:secret').toString('base64')}`;
        response.statusCode = ok ? 201 : 401;
        response.end(
          JSON.stringify(
            ok ? { sid: 'SM1', status: 'queued' } : { code: 20003, message: 'Authenticate', status: 401 },
          ),
        );
        return;
      }
      response.statusCode = 404;
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('CM.com adapter', () => {
  it('posts the business messaging JSON with the product token and a 00-number', async () => {
    const sms = createCmSms({ productToken: 'good-token', sender: 'Gemeente', apiUrl: `${base}/cm` });
    await sms.send({ to: '+31612345678', text: 'Uw code: 123456' });
    const request = received.findLast((r) => r.path === '/cm') as Received;
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({
      messages: {
        authentication: { producttoken: 'good-token' },
        msg: [
          {
            from: 'Gemeente',
            to: [{ number: '0031612345678' }],
            body: { type: 'auto', content: 'Uw code: 123456' },
          },
        ],
      },
    });
  });

  it('reports a refusal without the message text', async () => {
    const sms = createCmSms({ productToken: 'bad', sender: 'Gemeente', apiUrl: `${base}/cm` });
    const error = await sms.send({ to: '+31612345678', text: 'Uw code: 654321' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmsSendError);
    expect(String((error as Error).message)).toContain('101');
    expect(String((error as Error).message)).not.toContain('654321');
  });
});

describe('Twilio-compatible adapter', () => {
  it('posts a form with To, From and Body under HTTP Basic', async () => {
    const sms = createTwilioSms({
      accountSid: 'AC123',
      authToken: 'secret',
      sender: '+3197010203040',
      apiUrl: base,
    });
    await sms.send({ to: '+31612345678', text: 'Uw code: 123456' });
    const request = received.findLast((r) => r.path.includes('/Messages.json')) as Received;
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      To: '+31612345678',
      From: '+3197010203040',
      Body: 'Uw code: 123456',
    });
  });

  it('reports a refusal with the provider code', async () => {
    const sms = createTwilioSms({ accountSid: 'AC123', authToken: 'wrong', sender: 'x', apiUrl: base });
    await expect(sms.send({ to: '+31612345678', text: 'x' })).rejects.toThrow(/20003/);
  });
});
