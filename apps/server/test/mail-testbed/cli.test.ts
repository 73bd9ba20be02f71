import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailcheckCommand } from '../../src/cli/mailcheck.ts';
import { type MailTestbed, startMailTestbed } from './testbed.ts';

let testbed: MailTestbed;
let caFile: string;
beforeAll(async () => {
  testbed = await startMailTestbed(4);
  caFile = join(testbed.dir, 'ca-for-cli.pem');
  writeFileSync(caFile, testbed.pki.caPem);
});
afterAll(async () => {
  await testbed?.stop();
});

async function mailcheck(...args: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  out.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  const code = await mailcheckCommand.run(
    [...args, '--resolver', `${testbed.resolver.host}:53`, '--ca', caFile],
    { out, err, in: new PassThrough() },
  );
  return { code, stdout };
}

describe('zegel mailcheck on the test bed', () => {
  it('exits 0 and prints the JSON the issue asks for on a domain that passes', async () => {
    const { code, stdout } = await mailcheck('good.test', '--json', '--selector', 'sel1');
    expect(code).toBe(0);
    const [report] = JSON.parse(stdout) as {
      domain: string;
      score: number;
      delivery: string;
      checks: { id: string; status: string; detail: string }[];
    }[];
    expect(report).toMatchObject({ domain: 'good.test', score: 100, delivery: 'dane' });
    expect(report?.checks.find((c) => c.id === 'dkim')?.detail).toMatch(/sel1/);
    for (const check of report?.checks ?? [])
      expect(Object.keys(check).sort()).toEqual(['detail', 'id', 'status']);
  });

  it('exits 1 when a scored check fails, and prints a readable report with advice', async () => {
    const { code, stdout } = await mailcheck('tls10.test', 'good.test');
    expect(code).toBe(1);
    expect(stdout).toMatch(/tls10\.test: score 83\/100, delivery none/);
    expect(stdout).toMatch(/\[FAIL\] tls_version/);
    expect(stdout).toMatch(/good\.test: score 100\/100, delivery dane/);
  });

  it('fails a missing DKIM selector', async () => {
    const { code, stdout } = await mailcheck('good.test', '--json', '--selector', 'nope');
    expect(code).toBe(1);
    expect(stdout).toMatch(/selector nope: no key record/);
  });
});
