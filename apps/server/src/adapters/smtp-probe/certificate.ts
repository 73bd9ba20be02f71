import { createHash, X509Certificate } from 'node:crypto';

/** What the certificate checks need to know about one certificate of a presented chain. */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  /** DNS names from subjectAltName (or the CN when there is no SAN). */
  dnsNames: string[];
  keyType: string;
  /** RSA modulus length in bits, or the size of the EC group. */
  keyBits: number | undefined;
  curve: string | undefined;
  /** Dotted OID of the signatureAlgorithm, read from the DER. */
  signatureOid: string | undefined;
  isCa: boolean;
  isSelfIssued: boolean;
  validTo: string;
}

/** A DANE TLSA record as published (RFC 6698): usage, selector, matching type, association data. */
export interface TlsaRecordData {
  usage: number;
  selector: number;
  matchingType: number;
  certificate: Uint8Array;
}

/** The outcome of matching a presented chain against TLSA records (RFC 7672 rules for SMTP). */
export interface DaneMatch {
  matched: boolean;
  /** Index into the TLSA list of the record that matched. */
  recordIndex?: number;
  /** Which certificate matched: 0 is the leaf. */
  chainIndex?: number;
  reason: string;
}

/** Describes a DER certificate; the DER walk is needed because node:crypto does not expose the signature algorithm. */
export function describeCertificate(der: Uint8Array): CertificateInfo {
  const cert = new X509Certificate(der);
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const curve = details.namedCurve;
  const curveBits: Record<string, number> = {
    prime256v1: 256,
    secp384r1: 384,
    secp521r1: 521,
    secp224r1: 224,
  };
  const keyBits = details.modulusLength ?? (curve ? curveBits[curve] : undefined);
  const dnsNames = (cert.subjectAltName ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('DNS:'))
    .map((part) => part.slice(4).toLowerCase());
  if (dnsNames.length === 0) {
    const cn = /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1];
    if (cn) dnsNames.push(cn.toLowerCase());
  }
  return {
    subject: cert.subject.replaceAll('\n', ', '),
    issuer: cert.issuer.replaceAll('\n', ', '),
    dnsNames,
    keyType: key.asymmetricKeyType ?? 'unknown',
    keyBits,
    curve,
    signatureOid: readSignatureOid(der),
    isCa: cert.ca,
    isSelfIssued: cert.subject === cert.issuer,
    validTo: cert.validTo,
  };
}

/** True when the certificate's names cover `hostname` (wildcards per RFC 6125, one label). */
export function certificateMatchesHost(der: Uint8Array, hostname: string): boolean {
  return new X509Certificate(der).checkHost(hostname, { subject: 'default' }) !== undefined;
}

/**
 * Matches the chain the server presented against TLSA records. Only DANE-TA(2) and DANE-EE(3) count
 * for SMTP (RFC 7672 §3.1.3); PKIX-TA/EE(0/1) are "unusable". Selector 1 hashes the DER
 * SubjectPublicKeyInfo, not Node's `pubkey` field (which for EC keys is the bare point).
 * For DANE-TA the leaf must chain to the matched certificate and name the MX host; for DANE-EE
 * names and expiry are ignored, as RFC 7672 §3.1.1 says.
 */
export function matchDane(chainDer: Uint8Array[], records: TlsaRecordData[], mxHost: string): DaneMatch {
  const usable = records.filter(
    (r) => (r.usage === 2 || r.usage === 3) && r.selector <= 1 && r.matchingType <= 2,
  );
  if (usable.length === 0)
    return { matched: false, reason: 'no usable TLSA records (only usages 2 and 3 count for SMTP)' };
  if (chainDer.length === 0) return { matched: false, reason: 'the server presented no certificate' };
  const certs = chainDer.map((der) => new X509Certificate(der));
  for (const [recordIndex, record] of records.entries()) {
    if (!usable.includes(record)) continue;
    const candidates = record.usage === 3 ? [0] : certs.map((_, i) => i);
    for (const chainIndex of candidates) {
      const cert = certs[chainIndex];
      const der = chainDer[chainIndex];
      if (!cert || !der) continue;
      if (!equalBytes(associationData(der, cert, record.selector, record.matchingType), record.certificate))
        continue;
      if (record.usage === 3)
        return { matched: true, recordIndex, chainIndex, reason: 'DANE-EE record matches the leaf' };
      if (!chainLinksTo(certs, chainIndex)) continue;
      const leaf = certs[0];
      if (!leaf || leaf.checkHost(mxHost, { subject: 'default' }) === undefined) {
        return {
          matched: false,
          reason: `DANE-TA record matches, but the certificate does not name ${mxHost}`,
        };
      }
      return {
        matched: true,
        recordIndex,
        chainIndex,
        reason: 'DANE-TA record matches an issuer of the leaf',
      };
    }
  }
  return { matched: false, reason: 'no TLSA record matches the presented certificates' };
}

/** Computes the TLSA association data for one certificate: e.g. `3 1 1` = SHA-256 of the SPKI DER. */
export function computeTlsaData(der: Uint8Array, selector: number, matchingType: number): Uint8Array {
  return associationData(der, new X509Certificate(der), selector, matchingType);
}

function associationData(
  der: Uint8Array,
  cert: X509Certificate,
  selector: number,
  matchingType: number,
): Uint8Array {
  const content = selector === 1 ? cert.publicKey.export({ type: 'spki', format: 'der' }) : Buffer.from(der);
  if (matchingType === 1) return createHash('sha256').update(content).digest();
  if (matchingType === 2) return createHash('sha512').update(content).digest();
  return content;
}

/** Each certificate from the leaf up to `upTo` must be issued and signed by the next one. */
function chainLinksTo(certs: X509Certificate[], upTo: number): boolean {
  for (let i = 0; i < upTo; i++) {
    const child = certs[i];
    const parent = certs[i + 1];
    if (!child || !parent || !child.checkIssued(parent) || !child.verify(parent.publicKey)) return false;
  }
  return true;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Reads the outer Certificate SEQUENCE → skips tbsCertificate → returns the AlgorithmIdentifier's OID. */
function readSignatureOid(der: Uint8Array): string | undefined {
  const outer = readTlv(der, 0);
  if (!outer) return undefined;
  const tbs = readTlv(der, outer.contentStart);
  if (!tbs) return undefined;
  const algorithm = readTlv(der, tbs.end);
  if (!algorithm) return undefined;
  const oid = readTlv(der, algorithm.contentStart);
  if (!oid || der[oid.start] !== 0x06) return undefined;
  return decodeOid(der.subarray(oid.contentStart, oid.end));
}

function readTlv(
  der: Uint8Array,
  start: number,
): { start: number; contentStart: number; end: number } | undefined {
  const first = der[start + 1];
  if (first === undefined) return undefined;
  let length = first;
  let contentStart = start + 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[start + 2 + i] ?? 0);
    contentStart += count;
  }
  const end = contentStart + length;
  return end > der.length ? undefined : { start, contentStart, end };
}

function decodeOid(bytes: Uint8Array): string {
  const parts: number[] = [];
  let value = 0;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (parts.length === 0)
        parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}
