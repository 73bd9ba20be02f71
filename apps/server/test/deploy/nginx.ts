import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const NGINX_CONF = resolve(fileURLToPath(import.meta.url), '../../../../../deploy/nginx/zegel.conf');
export const NGINX_BIN = process.env.ZEGEL_NGINX ?? '/usr/sbin/nginx';

/** A self-signed certificate for 127.0.0.1 (and zegel.test), made with openssl. */
export function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=zegel.test',
      '-addext',
      'subjectAltName=DNS:zegel.test,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

/**
 * deploy/nginx/zegel.conf as shipped, with only what a test machine must change: the listen
 * ports (unprivileged, loopback), the certificate paths and the upstream ports. Each
 * replacement must match, so the test fails when the shipped file changes shape.
 */
export async function testNginxConfig(options: {
  httpsPort: number;
  httpPort: number;
  upstreams: number[];
  cert: string;
  key: string;
}): Promise<string> {
  let conf = await readFile(NGINX_CONF, 'utf8');
  const replace = (from: RegExp, to: string) => {
    if (!from.test(conf)) throw new Error(`deploy/nginx/zegel.conf no longer has ${from}`);
    conf = conf.replace(from, to);
  };
  replace(/^\s*listen \[::\]:80;\n/m, '');
  replace(/^\s*listen \[::\]:443 ssl http2;\n/m, '');
  replace(/listen 80;/, `listen 127.0.0.1:${options.httpPort};`);
  replace(/listen 443 ssl http2;/, `listen 127.0.0.1:${options.httpsPort} ssl http2;`);
  replace(/ssl_certificate {5}\S+;/, `ssl_certificate     ${options.cert};`);
  replace(/ssl_certificate_key \S+;/, `ssl_certificate_key ${options.key};`);
  const servers = /(?:^\s*server 127\.0\.0\.1:808\d [^\n]*\n)+/m;
  replace(
    servers,
    options.upstreams.map((port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=5s;\n`).join(''),
  );
  return conf;
}

export interface RunningNginx {
  stop(): Promise<void>;
  errorLog(): Promise<string>;
  /** `METHOD STATUS UPSTREAM` per request. */
  accessLog(): Promise<string>;
}

/** Runs nginx in the foreground with its own prefix: no system paths, no privileged ports. */
export async function startNginx(dir: string, siteConf: string): Promise<RunningNginx> {
  for (const sub of ['temp', 'logs']) await mkdir(join(dir, sub), { recursive: true });
  // Workers run as an unprivileged user and must reach the temp folders.
  await chmod(dir, 0o755);
  await writeFile(join(dir, 'zegel.conf'), siteConf);
  const temp = (name: string) => `${name}_temp_path ${join(dir, 'temp', name)};`;
  await writeFile(
    join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'logs/error.log')} warn;`,
      'events { worker_connections 512; }',
      'http {',
      // Which process served each request, so a test can see both get traffic.
      "  log_format upstreams '$request_method $status $upstream_addr';",
      `  access_log ${join(dir, 'logs/access.log')} upstreams;`,
      `  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}`,
      `  include ${join(dir, 'zegel.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  const args = ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'logs/error.log')];
  execFileSync(NGINX_BIN, [...args, '-t'], { stdio: 'pipe' });
  const child: ChildProcess = spawn(NGINX_BIN, args, { stdio: 'ignore' });
  const exited = new Promise((done) => child.on('exit', done));
  await waitForPid(join(dir, 'nginx.pid'), exited);
  return {
    async stop() {
      if (child.exitCode === null) child.kill('SIGQUIT');
      await exited;
    },
    errorLog: () => readFile(join(dir, 'logs/error.log'), 'utf8').catch(() => ''),
    accessLog: () => readFile(join(dir, 'logs/access.log'), 'utf8').catch(() => ''),
  };
}

async function waitForPid(path: string, exited: Promise<unknown>): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (let i = 0; i < 100; i++) {
    if (gone) throw new Error('nginx exited at start');
    try {
      await readFile(path, 'utf8');
      // The pid file is written just before the workers listen.
      await new Promise((done) => setTimeout(done, 100));
      return;
    } catch {
      await new Promise((done) => setTimeout(done, 50));
    }
  }
  throw new Error('nginx did not start');
}
