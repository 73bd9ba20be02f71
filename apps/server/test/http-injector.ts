import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { TypedApp } from '../src/http/typed-app.ts';

interface InjectOptions {
  method: string;
  url: string;
  headers?: Record<string, string>;
  payload?: string;
}

export interface RemoteOptions {
  /** Extra CA certificate (PEM) for an HTTPS base URL, e.g. a test proxy's self-signed one. */
  ca?: string | undefined;
  /** The local address to connect from (any 127.x.y.z on loopback), to tell clients apart. */
  localAddress?: string | undefined;
  /** Headers sent with every request (e.g. a forged X-Forwarded-For). */
  headers?: Record<string, string> | undefined;
}

/**
 * An object with the `inject` of a Fastify app that sends each request over real HTTP(S) to
 * `baseUrl` instead: the test `Browser` and the helpers built on it then run unchanged against
 * server processes, or a proxy in front of them. Only what `Browser` uses is answered.
 */
export function remoteApp(baseUrl: string, options: RemoteOptions = {}): TypedApp {
  const inject = (opts: InjectOptions) =>
    new Promise((done, fail) => {
      const url = new URL(opts.url, baseUrl);
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const body = opts.payload === undefined ? undefined : Buffer.from(opts.payload);
      const req = send(
        url,
        {
          method: opts.method,
          headers: {
            ...options.headers,
            ...opts.headers,
            ...(body ? { 'content-length': String(body.length) } : {}),
          },
          ...(options.ca ? { ca: options.ca } : {}),
          ...(options.localAddress ? { localAddress: options.localAddress } : {}),
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', fail);
          res.on('end', () => {
            const raw = Buffer.concat(chunks);
            const text = raw.toString('utf8');
            done({
              rawPayload: raw,
              statusCode: res.statusCode ?? 0,
              headers: res.headers,
              body: text,
              json: () => JSON.parse(text),
              cookies: parseSetCookies(res.headers['set-cookie'] ?? []),
            });
          });
        },
      );
      req.on('error', fail);
      req.end(body);
    });
  return { inject } as unknown as TypedApp;
}

function parseSetCookies(headers: string[]): { name: string; value: string; expires?: Date }[] {
  return headers.map((header) => {
    const [pair = '', ...attributes] = header.split(';');
    const at = pair.indexOf('=');
    const expires = attributes.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('expires='));
    const maxAge = attributes.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('max-age='));
    const cookie = { name: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim() };
    if (maxAge) return { ...cookie, expires: new Date(Date.now() + Number(maxAge.slice(8)) * 1000) };
    return expires ? { ...cookie, expires: new Date(expires.slice(8)) } : cookie;
  });
}
