import dgram from 'node:dgram';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from './command.ts';
import { mailcheckCommand } from './mailcheck.ts';

function captureIo() {
  const out = new PassThrough();
  let stdout = '';
  out.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  return { io: { out, err: new PassThrough(), in: new PassThrough() }, stdout: () => stdout };
}

/** A "resolver" that receives queries and never answers. */
let silentResolver: dgram.Socket;
let silentPort = 0;
beforeAll(async () => {
  silentResolver = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => silentResolver.bind(0, '127.0.0.1', resolve));
  silentPort = silentResolver.address().port;
});
afterAll(() => silentResolver.close());

describe('zegel mailcheck', () => {
  it('documents its options and exit codes', () => {
    expect(mailcheckCommand.name).toBe('mailcheck');
    expect(mailcheckCommand.help).toMatch(/--resolver HOST:PORT/);
    expect(mailcheckCommand.help).toMatch(/Exit status: 0 .* 1 when any fails/s);
  });

  it.each([['not a domain'], ['nodot'], ['bad-.nl'], ['a..b.nl'], ['127.0.0.1'], [`${'x'.repeat(64)}.nl`]])(
    'refuses the invalid domain %j as a usage error (exit 2) before any query',
    async (domain) => {
      const { io, stdout } = captureIo();
      await expect(
        mailcheckCommand.run([domain, '--resolver', `127.0.0.1:${silentPort}`], io),
      ).rejects.toBeInstanceOf(UsageError);
      expect(stdout()).toBe('');
    },
  );

  it('needs a domain, a well-formed resolver and known options', async () => {
    await expect(mailcheckCommand.run([], captureIo().io)).rejects.toThrow(/at least one domain/);
    await expect(
      mailcheckCommand.run(['example.nl', '--resolver', 'dns.example:53'], captureIo().io),
    ).rejects.toThrow(/--resolver/);
    await expect(mailcheckCommand.run(['example.nl', '--bogus-flag'], captureIo().io)).rejects.toMatchObject({
      code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION',
    });
  });

  it('reports every check as error and exits 2 when the resolver does not answer; an IDN is shown in A-label form', async () => {
    const { io, stdout } = captureIo();
    const code = await mailcheckCommand.run(
      ['bücher.nl', '--json', '--resolver', `127.0.0.1:${silentPort}`],
      io,
    );
    expect(code).toBe(2);
    const [report] = JSON.parse(stdout()) as {
      domain: string;
      input: string;
      score: number;
      delivery: string;
      checks: { status: string }[];
    }[];
    expect(report?.domain).toBe('xn--bcher-kva.nl');
    expect(report?.input).toBe('bücher.nl');
    expect(report?.delivery).toBe('none');
    expect(report?.score).toBe(0);
    expect(new Set(report?.checks.map((c) => c.status))).toEqual(new Set(['error']));
  });
});
