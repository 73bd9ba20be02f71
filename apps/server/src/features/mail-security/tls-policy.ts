/** NCSC-NL "TLS security guidelines 2025-05" categories, as internet.nl applies them (reference §1.3). */
export type SecurityLevel = 'good' | 'sufficient' | 'phase_out' | 'insufficient';

/** Classifies a cipher suite by its IANA name (`getCipher().standardName`). */
export function classifySuite(name: string): SecurityLevel {
  const n = name.toUpperCase();
  if (n === 'TLS_AES_256_GCM_SHA384' || n === 'TLS_CHACHA20_POLY1305_SHA256') return 'good';
  if (n === 'TLS_AES_128_GCM_SHA256' || n === 'TLS_AES_128_CCM_SHA256') return 'sufficient';
  if (
    n.includes('CCM_8') ||
    n.includes('_NULL') ||
    n.includes('EXPORT') ||
    n.includes('_RC4_') ||
    n.includes('3DES') ||
    n.includes('_DES_')
  ) {
    return 'insufficient';
  }
  if (n.startsWith('TLS_ECDHE_') && /_(AES_(128|256)_(GCM|CCM)|CHACHA20_POLY1305)_/.test(`${n}_`))
    return 'sufficient';
  if (n.startsWith('TLS_DHE_') && /_(AES_(128|256)_(GCM|CCM)|CHACHA20_POLY1305)_/.test(`${n}_`))
    return 'phase_out';
  if (n.startsWith('TLS_ECDHE_') && /_CBC_SHA(256|384)$/.test(n)) return 'phase_out';
  if (n.startsWith('TLS_DHE_') && /_CBC_SHA(256|384)?$/.test(n) && !n.endsWith('_CBC_SHA'))
    return 'phase_out';
  if (/^TLS_(EC)?DHE_.*_(ARIA|CAMELLIA)_/.test(n) && !n.endsWith('_SHA')) return 'phase_out';
  return 'insufficient';
}

/** Classifies an ephemeral key exchange as Node reports it (`ECDH X25519 253`, `DH 2048`, `TLSGroup X25519MLKEM768`). */
export function classifyKeyExchange(keyExchange: string): SecurityLevel | undefined {
  if (keyExchange === '') return undefined;
  const [type, name, sizeText] = keyExchange.split(' ');
  if (type === 'DH') {
    const size = Number(name);
    return size >= 4096 ? 'sufficient' : size >= 3072 ? 'phase_out' : 'insufficient';
  }
  const group = (name ?? '').toLowerCase();
  const good = [
    'x25519',
    'x448',
    'prime256v1',
    'secp384r1',
    'secp521r1',
    'p-256',
    'p-384',
    'p-521',
    'x25519mlkem768',
    'secp256r1mlkem768',
    'secp384r1mlkem1024',
  ];
  if (good.includes(group) || group.startsWith('brainpool')) return 'good';
  if (group === 'secp224r1') return 'phase_out';
  return sizeText === undefined && type === 'TLSGroup' ? 'good' : 'insufficient';
}

/** Public-key verdict for one certificate (cert_pubkey). */
export function classifyCertificateKey(
  keyType: string,
  keyBits: number | undefined,
  curve: string | undefined,
): SecurityLevel {
  if (keyType === 'rsa' || keyType === 'rsa-pss') {
    if (keyBits === undefined || keyBits < 2048) return 'insufficient';
    return keyBits >= 3072 ? 'good' : 'phase_out';
  }
  if (keyType === 'ec')
    return curve && ['prime256v1', 'secp384r1', 'secp521r1'].includes(curve)
      ? 'good'
      : curve?.startsWith('brainpool')
        ? 'good'
        : 'insufficient';
  if (keyType === 'ed25519' || keyType === 'ed448') return 'good';
  return 'insufficient';
}

const signatureLevels: Record<string, [string, SecurityLevel]> = {
  '1.2.840.113549.1.1.11': ['sha256WithRSAEncryption', 'good'],
  '1.2.840.113549.1.1.12': ['sha384WithRSAEncryption', 'good'],
  '1.2.840.113549.1.1.13': ['sha512WithRSAEncryption', 'good'],
  '1.2.840.113549.1.1.10': ['RSASSA-PSS', 'good'],
  '1.2.840.113549.1.1.14': ['sha224WithRSAEncryption', 'phase_out'],
  '1.2.840.113549.1.1.5': ['sha1WithRSAEncryption', 'insufficient'],
  '1.2.840.113549.1.1.4': ['md5WithRSAEncryption', 'insufficient'],
  '1.2.840.10045.4.3.2': ['ecdsa-with-SHA256', 'good'],
  '1.2.840.10045.4.3.3': ['ecdsa-with-SHA384', 'good'],
  '1.2.840.10045.4.3.4': ['ecdsa-with-SHA512', 'good'],
  '1.2.840.10045.4.3.1': ['ecdsa-with-SHA224', 'phase_out'],
  '1.2.840.10045.4.1': ['ecdsa-with-SHA1', 'insufficient'],
  '1.3.101.112': ['Ed25519', 'good'],
  '1.3.101.113': ['Ed448', 'good'],
};

/** Signature-algorithm verdict for one certificate (cert_signature). */
export function classifySignature(oid: string | undefined): { name: string; level: SecurityLevel } {
  const known = oid ? signatureLevels[oid] : undefined;
  return known ? { name: known[0], level: known[1] } : { name: oid ?? 'unknown', level: 'insufficient' };
}
