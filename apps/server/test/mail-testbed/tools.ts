import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

/** The Debian binaries the test bed runs; `.ci/install-mail-testbed.sh` installs them. */
export const requiredTools = [
  '/usr/sbin/nsd',
  '/usr/sbin/unbound',
  '/usr/bin/ldns-keygen',
  '/usr/bin/ldns-signzone',
  '/usr/bin/ldns-dane',
  '/usr/bin/openssl',
  '/usr/bin/delv',
  '/usr/bin/dig',
];

/**
 * Fails loudly (never skips) when the test bed cannot run: it binds ports 25, 53 and 443 on
 * loopback addresses, which needs root, and drives the Debian tools above.
 */
export function assertTestbedPrerequisites(): void {
  const missing = requiredTools.filter((t) => !existsSync(t));
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`missing ${missing.join(', ')}`);
  if (process.getuid?.() !== 0) problems.push('not running as root (ports 25, 53 and 443 are needed)');
  if (problems.length > 0) {
    throw new Error(
      `mail test bed cannot start: ${problems.join('; ')}. Run \`sudo .ci/install-mail-testbed.sh\` and the tests as root.`,
    );
  }
}

export function run(command: string, args: string[], options: { cwd?: string; input?: string } = {}): string {
  return execFileSync(command, args, {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs a shell pipeline (openssl ... | openssl ...); only fixed strings and temp paths are passed in. */
export function sh(script: string, cwd?: string): string {
  return execFileSync('/bin/sh', ['-c', script], { cwd, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

const execFileAsync = promisify(execFile);

/**
 * Like `sh`, but without blocking the event loop: needed whenever the tool talks to a server that
 * lives in this same process (the SMTP and HTTPS servers of the test bed).
 */
export async function shAsync(script: string): Promise<string> {
  try {
    const { stdout, stderr } = await execFileAsync('/bin/sh', ['-c', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    return stdout + stderr;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
  }
}
