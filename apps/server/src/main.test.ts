import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_KDF, TEST_SECRET } from '../test/harness.ts';
import { loadConfig } from './config.ts';
import { type RunningServer, startServer } from './main.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'zegel-main-'));
let blocker: Server | undefined;
let server: RunningServer | undefined;
afterAll(async () => {
  await server?.close();
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('embedded start', () => {
  it('starts the gateway listener on another port when 2525 is taken, with STARTTLS', async () => {
    // Hold 2525 ourselves; if another program already holds it, it is taken all the same.
    blocker = await new Promise<Server | undefined>((resolve) => {
      const held = createServer();
      held.once('error', () => resolve(undefined));
      held.listen(2525, '127.0.0.1', () => resolve(held));
    });
    const config = loadConfig(
      {
        embedded: true,
        port: await freePort(),
        dataDir,
        secret: TEST_SECRET,
        logLevel: 'silent',
        seedDemo: false,
        ...TEST_KDF,
      },
      {},
    );
    server = await startServer(config);
    expect(server.smtpPort).toBeGreaterThan(0);
    expect(server.smtpPort).not.toBe(2525);
    const verified = nodemailer.createTransport({
      host: '127.0.0.1',
      port: server.smtpPort,
      requireTLS: true,
      tls: { rejectUnauthorized: false },
    });
    await expect(verified.verify()).resolves.toBe(true);
  }, 90_000);
});
