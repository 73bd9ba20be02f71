import type tls from 'node:tls';
import {
  defaultSmtpTimeouts,
  SmtpFailure,
  SmtpSession,
  SmtpSessionError,
  type SmtpTimeouts,
  type StartTlsSettings,
} from './smtp-session.ts';

export const tlsVersions = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type TlsVersion = (typeof tlsVersions)[number];

/** One cipher suite the server accepted, by its IANA name (as NCSC-NL and internet.nl list them). */
export interface AcceptedSuite {
  version: TlsVersion;
  name: string;
  /** Ephemeral key exchange, e.g. `ECDH X25519 253` or `DH 2048`; empty for static RSA. */
  keyExchange: string;
}

/** Everything one scan of one mail server address learned; cached and shared between domains. */
export interface MailServerProbe {
  host: string;
  address: string;
  starttls: 'ok' | SmtpFailure;
  starttlsDetail: string;
  negotiatedVersion?: string;
  negotiatedSuite?: string;
  /** DER certificates as presented (leaf first), as far as Node exposes the chain. */
  chain: Uint8Array[];
  pkixAuthorized: boolean;
  pkixError?: string;
  versions: Partial<Record<TlsVersion, boolean>>;
  suites: AcceptedSuite[];
  /** False when the time budget ran out before every probe was made: the result is partial. */
  complete: boolean;
  connections: number;
}

export interface ProbeOptions {
  host: string;
  address: string;
  port?: number;
  ehloName?: string;
  timeouts?: SmtpTimeouts;
  /** Whole-scan budget; when spent, the scan stops and reports what it has. */
  budgetMs?: number;
  extraCa?: string[];
  /** Serialises connections per address ("one connection at a time per mail server"). */
  withConnection?: <T>(address: string, run: () => Promise<T>) => Promise<T>;
}

const LEGACY_ALL = 'ALL:COMPLEMENTOFALL:@SECLEVEL=0';
const TLS13_SUITES = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_128_CCM_SHA256',
  'TLS_AES_128_CCM_8_SHA256',
];
const MAX_SUITES_PER_VERSION = 60;

/**
 * Scans one mail server address: EHLO and STARTTLS with a permissive client (so weak servers still
 * show what they do), then one handshake per TLS version and an elimination loop per version that
 * lists every accepted suite (offer all, remove the one chosen, repeat). Connections are made one
 * at a time. Never throws: failures become `starttls` values and `complete: false`.
 */
export async function probeMailServer(options: ProbeOptions): Promise<MailServerProbe> {
  const timeouts = options.timeouts ?? defaultSmtpTimeouts;
  const deadline = Date.now() + (options.budgetMs ?? 120_000);
  const withConnection = options.withConnection ?? (<T>(_: string, run: () => Promise<T>) => run());
  const result: MailServerProbe = {
    host: options.host,
    address: options.address,
    starttls: SmtpFailure.protocol,
    starttlsDetail: '',
    chain: [],
    pkixAuthorized: false,
    versions: {},
    suites: [],
    complete: false,
    connections: 0,
  };

  const handshake = (settings: Omit<StartTlsSettings, 'servername' | 'extraCa'>) =>
    withConnection(options.address, async () => {
      result.connections++;
      return tryHandshake(options, timeouts, {
        servername: options.host,
        extraCa: options.extraCa ?? [],
        ...settings,
      });
    });

  const first = await handshake({ minVersion: 'TLSv1', ciphers: LEGACY_ALL });
  if (!first.ok) {
    result.starttls = first.failure;
    result.starttlsDetail = first.detail;
    result.complete = first.failure === SmtpFailure.noStartTls;
    return result;
  }
  result.starttls = 'ok';
  result.starttlsDetail = `STARTTLS with ${first.version} ${first.suite}`;
  result.negotiatedVersion = first.version;
  result.negotiatedSuite = first.suite;
  result.chain = first.chain;
  result.pkixAuthorized = first.authorized;
  if (first.authorizationError) result.pkixError = first.authorizationError;

  for (const version of tlsVersions) {
    if (Date.now() > deadline) return result;
    const attempt = await handshake({
      minVersion: version,
      maxVersion: version,
      ciphers: version === 'TLSv1.3' ? TLS13_SUITES.join(':') : LEGACY_ALL,
    });
    result.versions[version] = attempt.ok;
    if (!attempt.ok && attempt.failure !== SmtpFailure.handshake) return result;
  }

  for (const version of tlsVersions) {
    if (!result.versions[version]) continue;
    const excluded: string[] = [];
    for (let i = 0; i < MAX_SUITES_PER_VERSION; i++) {
      if (Date.now() > deadline) return result;
      const ciphers =
        version === 'TLSv1.3'
          ? TLS13_SUITES.filter((s) => !excluded.includes(s)).join(':')
          : [LEGACY_ALL, ...excluded.map((s) => `!${s}`)].join(':');
      if (ciphers === '') break;
      const attempt = await handshake({ minVersion: version, maxVersion: version, ciphers });
      if (!attempt.ok) {
        if (attempt.failure !== SmtpFailure.handshake) return result;
        break;
      }
      if (excluded.includes(attempt.opensslSuite)) break;
      excluded.push(attempt.opensslSuite);
      result.suites.push({ version, name: attempt.suite, keyExchange: attempt.keyExchange });
    }
  }
  result.complete = true;
  return result;
}

type HandshakeOutcome =
  | {
      ok: true;
      version: string;
      suite: string;
      opensslSuite: string;
      keyExchange: string;
      chain: Uint8Array[];
      authorized: boolean;
      authorizationError?: string;
    }
  | { ok: false; failure: SmtpFailure; detail: string };

async function tryHandshake(
  options: ProbeOptions,
  timeouts: SmtpTimeouts,
  settings: StartTlsSettings,
): Promise<HandshakeOutcome> {
  let session: SmtpSession | undefined;
  try {
    session = await SmtpSession.connect(options.address, options.port ?? 25, timeouts);
    const keywords = await session.greet(options.ehloName ?? 'mailcheck.zegel.invalid');
    if (!keywords.some((k) => k === 'STARTTLS' || k.startsWith('STARTTLS '))) {
      return { ok: false, failure: SmtpFailure.noStartTls, detail: 'the server does not offer STARTTLS' };
    }
    const socket = await session.startTls(settings);
    const outcome = describeHandshake(socket);
    return outcome;
  } catch (error) {
    if (error instanceof SmtpSessionError)
      return { ok: false, failure: error.failure, detail: error.message };
    return {
      ok: false,
      failure: SmtpFailure.protocol,
      detail: error instanceof Error ? error.message : String(error),
    };
  } finally {
    await session?.close();
  }
}

function describeHandshake(socket: tls.TLSSocket): HandshakeOutcome {
  const cipher = socket.getCipher();
  const ephemeral = socket.getEphemeralKeyInfo();
  const keyExchange =
    ephemeral && 'type' in ephemeral && ephemeral.type
      ? [ephemeral.type, 'name' in ephemeral ? ephemeral.name : undefined, ephemeral.size]
          .filter((p) => p !== undefined)
          .join(' ')
      : '';
  const authorizationError = socket.authorizationError ? String(socket.authorizationError) : undefined;
  return {
    ok: true,
    version: socket.getProtocol() ?? 'unknown',
    suite: cipher.standardName ?? cipher.name,
    opensslSuite: cipher.name,
    keyExchange,
    chain: presentedChain(socket),
    authorized: socket.authorized,
    ...(authorizationError ? { authorizationError } : {}),
  };
}

/** Walks Node's issuer links from the leaf; stops at a self-issued certificate or a loop. */
export function presentedChain(socket: tls.TLSSocket): Uint8Array[] {
  const chain: Uint8Array[] = [];
  const seen = new Set<string>();
  let cert: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (cert?.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    chain.push(new Uint8Array(cert.raw));
    cert = cert.issuerCertificate;
  }
  return chain;
}
