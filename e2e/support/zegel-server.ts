import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface DemoCredentials {
  email: string;
  password: string;
  totpSecret: string;
}

export interface ZegelServer {
  url: string;
  dataDir: string;
  demo: DemoCredentials;
  /** Everything the server wrote, for a failure message. */
  output: () => string;
  /** The server process's id now (it changes with `restart`), e.g. to read its memory in /proc. */
  pid: () => number;
  /** Kills the process with SIGKILL (no clean shutdown) and starts a new one on the same port and data. */
  restart: () => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * Starts a real `zegel serve --embedded` on a free port and a fresh data directory, with a
 * cheap Argon2 cost so a sign-in takes milliseconds. It serves apps/web/dist, so build first.
 * ZEGEL_E2E_SERVER_ROOT runs the server of another checkout (e.g. a worktree) instead.
 * `env` adds variables (e.g. SMTP_URL and an SMS provider pointing at loopback fakes).
 */
export async function startZegelServer(options: { env?: Record<string, string> } = {}): Promise<ZegelServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'zegel-e2e-'));
  // A port picked here rather than `--port 0`: with 0 the server's public URL (used in mail
  // links) says port 0.
  const port = await findFreePort();
  const spawnServer = () => {
    const child = spawn(
      process.execPath,
      [
        join(process.env.ZEGEL_E2E_SERVER_ROOT ?? repositoryRoot, 'apps/server/bin/zegel.js'),
        'serve',
        '--embedded',
        '--port',
        String(port),
        '--data-dir',
        dataDir,
      ],
      {
        cwd: repositoryRoot,
        env: {
          ...process.env,
          ZEGEL_KDF_MEMORY_KIB: '1024',
          ZEGEL_KDF_ITERATIONS: '1',
          NODE_ENV: 'test',
          ...options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    return child;
  };
  let output = '';
  let child = spawnServer();
  const url = await waitForUrl(child, () => output);
  const demo = JSON.parse(await readFile(join(dataDir, 'demo-credentials.json'), 'utf8')) as DemoCredentials;
  return {
    url,
    dataDir,
    demo,
    output: () => output,
    pid: () => child.pid ?? 0,
    restart: async () => {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
      output += '\n--- restarted ---\n';
      const before = output.length;
      child = spawnServer();
      await waitForUrl(child, () => output.slice(before));
    },
    stop: async () => {
      await stopChild(child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function waitForUrl(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = /Zegel is running at (http:\/\/\S+)/.exec(output());
      if (match?.[1]) {
        child.stdout?.off('data', check);
        child.off('exit', onExit);
        resolve(match[1].replace(/\/$/, ''));
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`zegel serve exited (${code}) before it listened:\n${output()}`));
    child.stdout?.on('data', check);
    child.once('exit', onExit);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
