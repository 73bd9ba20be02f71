import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxRelay } from '../../src/adapters/mail-relay.ts';
import { embeddedTlsIdentity } from '../../src/adapters/smtp-tls.ts';
import { type GatewayListener, startGatewayListener } from '../../src/features/gateway/index.ts';
import { createMailCheckContext } from '../../src/features/mail-security/index.ts';
import { createOrganisationWithAdmin } from '../factories.ts';
import { createTestApp, type TestApp } from '../harness.ts';
import { enrolKeys, type StaffWithKeys } from '../messages.ts';
import { type MailTestbed, startMailTestbed } from './testbed.ts';
import { sh } from './tools.ts';

/**
 * The gateway's direct route against the offline mail world: a tagged mail to a DANE domain
 * (direct delivery allowed, a fresh check) reaches its MX over DANE-verified TLS, signed with
 * DKIM for the sender's domain; a domain without a verified path falls back (here: held).
 */
let testbed: MailTestbed;
let t: TestApp;
let sender: StaffWithKeys;
let gateway: GatewayListener;
let password: string;
let tlsCert: string;
let dkimPublicKey: string;
const attachment = Buffer.from(`%PDF-1.4 ${'\u0000\u00ff binary '.repeat(100)}`, 'latin1');

beforeAll(async () => {
  testbed = await startMailTestbed(6);
  t = await createTestApp({
    config: {
      dnsResolver: `${testbed.resolver.host}:${testbed.resolver.port}`,
      mailcheckCa: testbed.pki.caPath,
    },
  });
  const { admin } = await createOrganisationWithAdmin(t, 'Gemeente Gateway');
  sender = await enrolKeys(admin);
  expect(
    (await admin.browser.post('/api/admin/mail-security/checks', { domain: 'good.test' })).json(),
  ).toMatchObject({
    delivery: 'dane',
  });
  await admin.browser.patch('/api/admin/mail-security/settings', { allowDirectDelivery: true });
  password = (await admin.browser.post('/api/account/app-passwords', { label: 'test' })).json().password;

  const keyDir = mkdtempSync(join(tmpdir(), 'zegel-gw-dkim-'));
  sh('openssl genrsa -out dkim.key 2048 2>/dev/null', keyDir);
  const privateKey = readFileSync(join(keyDir, 'dkim.key'), 'utf8');
  dkimPublicKey = sh('openssl rsa -in dkim.key -pubout -outform DER 2>/dev/null | base64 -w0', keyDir).trim();
  const tls = await embeddedTlsIdentity(keyDir);
  tlsCert = tls.cert;
  gateway = await startGatewayListener(t.deps, {
    host: '127.0.0.1',
    port: 0,
    tls,
    relay: createOutboxRelay(t.deps.db),
    direct: {
      context: createMailCheckContext({
        resolver: testbed.resolver,
        extraCa: testbed.extraCa,
        smtpTimeouts: { connectMs: 2000, greetingMs: 2000, commandMs: 2000, handshakeMs: 2000 },
      }),
      dkim: { domain: 'example.nl', selector: 'zegel', privateKey },
    },
    maxBytes: 1024 * 1024,
    maxRecipients: 100,
  });
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await t?.close();
  await testbed?.stop();
});

describe('gateway direct delivery', () => {
  it('delivers a tagged mail to a DANE domain over verified TLS with an aligned DKIM signature', async () => {
    const info = await nodemailer
      .createTransport({
        host: '127.0.0.1',
        port: gateway.port,
        requireTLS: true,
        tls: { ca: tlsCert, servername: 'localhost' },
        auth: { user: sender.email, pass: password },
      })
      .sendMail({
        from: sender.email,
        to: ['a@good.test', 'b@tls10.test'],
        subject: '[secure] Overdracht',
        text: 'Vertrouwelijke inhoud',
        attachments: [{ filename: 'verslag.pdf', content: attachment, contentType: 'application/pdf' }],
      });
    expect(info.response).toMatch(/^250 /);
    const routes = await t.deps.db
      .selectFrom('gateway_recipients')
      .select(['address', 'route', 'reason'])
      .execute();
    expect(Object.fromEntries(routes.map((r) => [r.address, r.route]))).toEqual({
      'a@good.test': 'direct_dane',
      'b@tls10.test': 'held',
    });

    const received = testbed.received('mxGood').find((m) => m.rcptTo.includes('a@good.test'));
    expect(received?.isTls).toBe(true);
    expect(received?.rcptTo).toEqual(['a@good.test']);
    const parsed = await simpleParser(received?.data ?? '');
    expect(parsed.subject).toBe('Overdracht');
    expect(parsed.headers.get('x-zegel-processed')).toMatch(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
    expect(parsed.attachments[0]?.content.equals(attachment)).toBe(true);

    const verified = await dkimVerify(Buffer.from(received?.data ?? ''), {
      resolver: async (name: string, type: string) => {
        if (name === 'zegel._domainkey.example.nl' && type === 'TXT')
          return [[`v=DKIM1; k=rsa; p=${dkimPublicKey}`]];
        throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      },
    });
    expect(verified.results[0]?.signingDomain).toBe('example.nl');
    expect(verified.results[0]?.status.result).toBe('pass');
    expect(sender.email.endsWith('@example.nl')).toBe(true);
  });
});
