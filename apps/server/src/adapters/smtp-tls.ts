import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface TlsIdentity {
  key: string;
  cert: string;
}

/** The configured certificate and key files (PEM) of the SMTP submission listener. */
export function readTlsIdentity(certPath: string, keyPath: string): TlsIdentity {
  return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
}

/**
 * Embedded mode: a self-signed certificate for `localhost`, made once and kept in the data
 * directory (mode 600), so a mail client has to trust it only once.
 */
export async function embeddedTlsIdentity(dataDir: string): Promise<TlsIdentity> {
  const dir = resolve(dataDir);
  const certPath = join(dir, 'smtp-tls.crt');
  const keyPath = join(dir, 'smtp-tls.key');
  if (existsSync(certPath) && existsSync(keyPath)) return readTlsIdentity(certPath, keyPath);
  // Loaded only to make a certificate: X.509 code that the process need not keep.
  const { generate } = await import('selfsigned');
  const made = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    notAfterDate: new Date(Date.now() + 5 * 365 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyPath, made.private, { mode: 0o600 });
  writeFileSync(certPath, made.cert);
  return { key: made.private, cert: made.cert };
}
