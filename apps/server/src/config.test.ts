import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, renderConfigTable, variables } from './config.ts';

describe('configuration', () => {
  it('has working defaults in embedded mode', () => {
    const config = loadConfig({}, { ZEGEL_EMBEDDED: 'true' });
    expect(config).toMatchObject({
      embedded: true,
      port: 8080,
      host: '127.0.0.1',
      dataDir: '.zegel-data',
      publicUrl: 'http://localhost:8080',
    });
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig(
        {},
        {
          PORT: 'eighty',
          LOG_LEVEL: 'loud',
          DATABASE_URL: 'mysql://x',
          ZEGEL_SECRET: 'short',
          SESSION_IDLE_MINUTES: '0',
        },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('PORT must be a whole number'),
        expect.stringContaining('LOG_LEVEL must be one of'),
        expect.stringContaining('DATABASE_URL must start with postgres:'),
        expect.stringContaining('ZEGEL_SECRET must be at least 32 characters'),
        expect.stringContaining('SESSION_IDLE_MINUTES'),
        expect.stringContaining('SMTP_URL is required'),
      ]),
    );
    expect((error as Error).message).toContain('Invalid configuration:');
  });

  it('needs a secret and a mail relay in production', () => {
    expect(() => loadConfig({}, { DATABASE_URL: 'postgres://db/zegel', SMTP_URL: 'smtp://relay' })).toThrow(
      /ZEGEL_SECRET is required/,
    );
    expect(
      loadConfig(
        {},
        { DATABASE_URL: 'postgres://db/zegel', SMTP_URL: 'smtp://relay', ZEGEL_SECRET: 's'.repeat(40) },
      ).embedded,
    ).toBe(false);
  });

  it('lets tools run without a mail relay', () => {
    expect(loadConfig({}, {}, { forServing: false }).smtpUrl).toBeUndefined();
  });

  it('trusts X-Forwarded-For only from listed proxy addresses', () => {
    const trustProxy = (value: string) =>
      loadConfig({}, { TRUST_PROXY: value }, { forServing: false }).trustProxy;
    expect(trustProxy('')).toBe(false);
    expect(trustProxy('false')).toBe(false);
    expect(trustProxy('10.0.0.0/8, 192.0.2.10,2001:db8::/32,loopback')).toEqual([
      '10.0.0.0/8',
      '192.0.2.10',
      '2001:db8::/32',
      'loopback',
    ]);
    for (const refused of ['true', 'yes', '1', '2']) {
      expect(() => trustProxy(refused)).toThrow(/list the addresses of your load balancers/);
    }
    expect(() => trustProxy('10.0.0.0/33,proxy.example.nl')).toThrow(
      /not understood: 10\.0\.0\.0\/33, proxy\.example\.nl/,
    );
  });

  it('keeps embedded mode on loopback unless told otherwise', () => {
    const embeddedOn = (HOST: string, extra: Record<string, string> = {}) =>
      loadConfig({}, { ZEGEL_EMBEDDED: 'true', HOST, ...extra }).host;
    for (const loopback of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]']) {
      expect(embeddedOn(loopback)).toBe(loopback);
    }
    for (const network of ['0.0.0.0', '::', '192.168.1.10', 'zegel.example.nl']) {
      expect(() => embeddedOn(network)).toThrow(/Embedded mode listens on loopback only/);
    }
    expect(embeddedOn('0.0.0.0', { ZEGEL_EMBEDDED_ALLOW_NETWORK: 'true' })).toBe('0.0.0.0');
    expect(
      loadConfig({}, { HOST: '0.0.0.0', SMTP_URL: 'smtp://relay', ZEGEL_SECRET: 's'.repeat(40) }).host,
    ).toBe('0.0.0.0');
  });

  it('documents every variable in the README table', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(renderConfigTable());
    for (const v of variables) expect(readme).toContain(`\`${v.env}\``);
  });
});
