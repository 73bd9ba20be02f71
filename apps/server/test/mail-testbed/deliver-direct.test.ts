import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkMailDomain,
  createMailCheckContext,
  deliverDirect,
  type MailCheckContext,
} from '../../src/features/mail-security/index.ts';
import { type MailTestbed, startMailTestbed } from './testbed.ts';

let testbed: MailTestbed;
let context: MailCheckContext;
beforeAll(async () => {
  testbed = await startMailTestbed(2);
  context = createMailCheckContext({
    resolver: testbed.resolver,
    extraCa: testbed.extraCa,
    smtpTimeouts: { connectMs: 2000, greetingMs: 2000, commandMs: 2000, handshakeMs: 2000 },
  });
});
afterAll(async () => {
  await testbed?.stop();
});

const message = (to: string) => ({
  from: 'noreply@zegel.test',
  to: [to],
  data: 'Subject: test\r\n\r\nConfidential body\r\n.leading dot\r\n',
});

describe('direct delivery enforces the delivery decision', () => {
  it('delivers over DANE-verified TLS to a domain that passes', async () => {
    const report = await checkMailDomain('good.test', { context });
    expect(report.delivery).toBe('dane');
    const result = await deliverDirect({
      domain: 'good.test',
      decision: report.delivery,
      message: message('a@good.test'),
      context,
    });
    expect(result).toMatchObject({ status: 'delivered', host: 'mx1.good.test', mode: 'dane' });
    const received = testbed.received('mxGood').find((m) => m.rcptTo.includes('a@good.test'));
    expect(received?.isTls).toBe(true);
    expect(received?.data).toContain('.leading dot');
  });

  it('refuses and defers when the DANE server presents a certificate that does not match TLSA, before MAIL FROM', async () => {
    const before = testbed.smtp.mxGood?.commands.length ?? 0;
    const result = await deliverDirect({
      domain: 'mismatch.test',
      decision: 'dane',
      message: message('b@mismatch.test'),
      context,
    });
    expect(result.status).toBe('deferred');
    if (result.status !== 'deferred') return;
    expect(result.attempts[0]?.reason).toMatch(/DANE verification failed/);
    const commands = testbed.smtp.mxGood?.commands.slice(before) ?? [];
    expect(commands).toContain('STARTTLS');
    expect(commands.filter((c) => c.includes('MAIL') || c.includes('RCPT') || c.includes('DATA'))).toEqual(
      [],
    );
    expect(testbed.received('mxGood').some((m) => m.rcptTo.includes('b@mismatch.test'))).toBe(false);
  });

  it('refuses and defers when the TLSA answer is bogus, without connecting', async () => {
    const before = testbed.smtp.mxGood?.connections ?? 0;
    const result = await deliverDirect({
      domain: 'bogustlsa.test',
      decision: 'dane',
      message: message('c@bogustlsa.test'),
      context,
    });
    expect(result.status).toBe('deferred');
    if (result.status !== 'deferred') return;
    expect(result.attempts[0]?.reason).toMatch(/TLSA records are bogus/);
    expect(testbed.smtp.mxGood?.connections).toBe(before);
  });

  it('delivers under MTA-STS when the certificate is trusted and the MX is in the policy', async () => {
    const report = await checkMailDomain('unsigned.test', { context });
    expect(report.delivery).toBe('mta-sts');
    const result = await deliverDirect({
      domain: 'unsigned.test',
      decision: 'mta-sts',
      message: message('d@unsigned.test'),
      context,
    });
    expect(result).toMatchObject({ status: 'delivered', mode: 'mta-sts' });
  });

  it('defers under MTA-STS when the MX certificate is self-signed', async () => {
    const result = await deliverDirect({
      domain: 'stsselfsigned.test',
      decision: 'mta-sts',
      message: message('e@stsselfsigned.test'),
      context,
    });
    expect(result.status).toBe('deferred');
    if (result.status === 'deferred') expect(result.attempts[0]?.reason).toMatch(/not trusted/);
    expect(testbed.received('mxSelfSigned')).toEqual([]);
  });

  it('never falls back to plaintext when STARTTLS is missing', async () => {
    const result = await deliverDirect({
      domain: 'plain.test',
      decision: 'dane',
      message: message('f@plain.test'),
      context,
    });
    expect(result.status).toBe('deferred');
    expect(testbed.smtp.mxPlain?.commands.some((c) => c === 'MAIL')).toBe(false);
    expect(testbed.received('mxPlain')).toEqual([]);
  });

  it('refuses e-mail outright when the decision is none', async () => {
    const result = await deliverDirect({
      domain: 'tls10.test',
      decision: 'none',
      message: message('g@tls10.test'),
      context,
    });
    expect(result.status).toBe('refused');
    expect(testbed.smtp.mxTls10?.connections).toBe(0);
  });
});
