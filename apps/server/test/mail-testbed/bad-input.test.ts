import dgram from 'node:dgram';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMailServer } from '../../src/adapters/smtp-probe/index.ts';
import {
  checkMailDomain,
  createMailCheckContext,
  InvalidDomainError,
  normalizeDomainName,
} from '../../src/features/mail-security/index.ts';
import { type MailTestbed, startMailTestbed } from './testbed.ts';

let testbed: MailTestbed;
beforeAll(async () => {
  testbed = await startMailTestbed(3);
});
afterAll(async () => {
  await testbed?.stop();
});

const shortTimeouts = { connectMs: 1000, greetingMs: 1000, commandMs: 1000, handshakeMs: 1000 };

describe('bad input', () => {
  it.each([
    '',
    ' ',
    'no-dot',
    'under_score.nl',
    'trailing-.nl',
    'a@b.nl',
    'http://x.nl',
    '1.2.3.4',
    `${'a'.repeat(250)}.nl`,
  ])('refuses %j as a domain name before any query', async (input) => {
    const context = createMailCheckContext({ resolver: testbed.resolver });
    await expect(checkMailDomain(input, { context })).rejects.toBeInstanceOf(InvalidDomainError);
    expect(context.dns.stats.sent).toBe(0);
  });

  it('checks an IDN in its A-label form', async () => {
    expect(normalizeDomainName('Bücher.Test.')).toEqual({ ok: true, domain: 'xn--bcher-kva.test' });
    const context = createMailCheckContext({ resolver: testbed.resolver });
    const report = await checkMailDomain('bücher.test', { context });
    expect(report.domain).toBe('xn--bcher-kva.test');
    expect(report.input).toBe('bücher.test');
    expect(report.checks.find((c) => c.id === 'mx')?.detail).toMatch(/does not exist/);
  });

  it('turns a resolver that never answers into error statuses, not a hang', async () => {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, testbed.ip(99), resolve));
    try {
      const context = createMailCheckContext({
        resolver: { host: testbed.ip(99), port: socket.address().port },
        dnsTimeoutMs: 300,
        dnsAttempts: 2,
      });
      const report = await checkMailDomain('good.test', { context });
      expect(report.complete).toBe(false);
      expect(report.delivery).toBe('none');
      expect(report.checks.every((c) => c.status === 'error')).toBe(true);
      expect(report.checks[0]?.detail).toMatch(/did not answer/);
    } finally {
      socket.close();
    }
  });

  it('reports an MX that accepts the connection and then says nothing as a STARTTLS error', async () => {
    const context = createMailCheckContext({ resolver: testbed.resolver, smtpTimeouts: shortTimeouts });
    const report = await checkMailDomain('silent.test', { context });
    const starttls = report.checks.find((c) => c.id === 'starttls');
    expect(starttls?.status).toBe('error');
    expect(starttls?.detail).toMatch(/no greeting within 1000 ms/);
    expect(report.delivery).toBe('none');
  });

  it('reports a server that drops the connection after the greeting, and one that is not listening', async () => {
    const rude = net.createServer((socket) => socket.end('220 hello\r\n'));
    await new Promise<void>((resolve) => rude.listen(2525, testbed.ip(98), resolve));
    try {
      const dropped = await probeMailServer({
        host: 'rude.test',
        address: testbed.ip(98),
        port: 2525,
        timeouts: shortTimeouts,
      });
      expect(dropped.starttls).toBe('protocol_error');
      const closed = await probeMailServer({
        host: 'closed.test',
        address: testbed.ip(97),
        port: 2525,
        timeouts: shortTimeouts,
      });
      expect(closed.starttls).toBe('unreachable');
    } finally {
      rude.close();
    }
  });

  it('stops a scan at its time budget and marks the results partial', async () => {
    const context = createMailCheckContext({
      resolver: testbed.resolver,
      smtpTimeouts: shortTimeouts,
      serverBudgetMs: 1,
    });
    const report = await checkMailDomain('norollover.test', { context });
    expect(report.checks.find((c) => c.id === 'starttls')?.status).toBe('pass');
    expect(report.checks.find((c) => c.id === 'tls_ciphers')?.status).toBe('error');
    expect(report.complete).toBe(false);
  });

  it('stops waiting for a domain at its deadline and says so', async () => {
    const context = createMailCheckContext({
      resolver: testbed.resolver,
      smtpTimeouts: { ...shortTimeouts, greetingMs: 5000 },
    });
    const report = await checkMailDomain('silent.test', { context, deadlineMs: 500 });
    expect(report.checks.find((c) => c.id === 'starttls')?.detail).toMatch(/not finished within/);
    expect(report.complete).toBe(false);
  });
});
