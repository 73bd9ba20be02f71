import https from 'node:https';
import type { LookupFunction } from 'node:net';
import tls from 'node:tls';

export interface FetchTextOptions {
  url: string;
  /** Resolves the host name to IPv4/IPv6 addresses, so the fetch sees the same DNS as the checks. */
  resolveAddresses: (host: string) => Promise<string[]>;
  timeoutMs?: number;
  maxBytes?: number;
  /** Extra trust anchors (PEM) added to Node's bundled roots. */
  extraCa?: string[];
}

export type FetchTextResult =
  | { ok: true; status: number; contentType: string; body: string }
  | { ok: false; reason: 'dns' | 'tls' | 'http' | 'timeout' | 'too_large' | 'network'; detail: string };

/**
 * GETs a small text document over HTTPS with full PKIX and host-name checks. Redirects are not
 * followed (RFC 8461 §3.3 forbids it for MTA-STS policies) and the body is capped.
 */
export async function fetchText(options: FetchTextOptions): Promise<FetchTextResult> {
  const url = new URL(options.url);
  let addresses: string[];
  try {
    addresses = await options.resolveAddresses(url.hostname);
  } catch (error) {
    return { ok: false, reason: 'dns', detail: error instanceof Error ? error.message : String(error) };
  }
  const address = addresses[0];
  if (!address) return { ok: false, reason: 'dns', detail: `${url.hostname} has no address` };
  const lookup: LookupFunction = (_host, lookupOptions, callback) => {
    const family = address.includes(':') ? 6 : 4;
    if ((lookupOptions as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address, family },
      ]);
    } else callback(null, address, family);
  };
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxBytes ?? 64 * 1024;
  return new Promise((resolve) => {
    const request = https.get(
      {
        host: url.hostname,
        port: url.port === '' ? 443 : Number(url.port),
        path: `${url.pathname}${url.search}`,
        servername: url.hostname,
        lookup,
        ca: [...tls.rootCertificates, ...(options.extraCa ?? [])],
        rejectUnauthorized: true,
        minVersion: 'TLSv1.2',
        agent: false,
        timeout: timeoutMs,
        headers: { 'user-agent': 'zegel-mailcheck' },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            request.destroy();
            resolve({ ok: false, reason: 'too_large', detail: `body larger than ${maxBytes} bytes` });
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({
            ok: true,
            status: response.statusCode ?? 0,
            contentType: String(response.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', (error) => resolve({ ok: false, reason: 'network', detail: error.message }));
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      resolve({ ok: false, reason: 'timeout', detail: `no response within ${timeoutMs} ms` });
    }, timeoutMs);
    request.on('close', () => clearTimeout(timer));
    request.on('timeout', () => {
      request.destroy();
      resolve({ ok: false, reason: 'timeout', detail: `no response within ${timeoutMs} ms` });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      const isTls = /cert|self.signed|altname|unable to verify|SSL|TLS/i.test(
        `${error.code ?? ''} ${error.message}`,
      );
      resolve({ ok: false, reason: isTls ? 'tls' : 'network', detail: error.message });
    });
  });
}
