import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_SECRET } from './harness.ts';

const ZEGEL_BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../bin/zegel.js');

export interface ZegelProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote, for a failure message. */
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** Sends SIGTERM and resolves with the exit code and how long the process took to end. */
  stop(): Promise<{ code: number | null; ms: number }>;
}

/**
 * Starts a real `zegel serve` process on PostgreSQL (`databaseUrl`): the test secret, cheap
 * Argon2 settings, a short job poll. `env` adds or replaces variables (SMTP_URL, TRUST_PROXY, …).
 */
export function startZegelProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
  port = 0,
): Promise<ZegelProcess> {
  const child = spawn(process.execPath, [ZEGEL_BIN, 'serve', '--port', String(port)], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      ZEGEL_SECRET: TEST_SECRET,
      ZEGEL_EMBEDDED: 'true',
      ZEGEL_SEED_DEMO: 'false',
      ZEGEL_KDF_MEMORY_KIB: '256',
      ZEGEL_KDF_ITERATIONS: '1',
      ZEGEL_JOB_POLL_MS: '100',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return new Promise((done, fail) => {
    const timeout = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`zegel serve did not start: ${output}`));
    }, 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      // It prints its public URL; with a port given, the process itself is reached there.
      const match = /Zegel is running at (https?:\/\/\S+)/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timeout);
      done({
        url: port
          ? `http://127.0.0.1:${port}`
          : match[1].replace('//localhost:', '//127.0.0.1:').replace(/\/$/, ''),
        child,
        output: () => output,
        exited,
        async stop() {
          const started = Date.now();
          if (child.exitCode === null) child.kill('SIGTERM');
          const code = await exited;
          return { code, ms: Date.now() - started };
        },
      });
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    void exited.then((code) => fail(new Error(`zegel serve exited with ${code}: ${output}`)));
  });
}

/** A free port on 127.0.0.1 (for a process whose public URL must name its port). */
export function freePort(): Promise<number> {
  return new Promise((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}
