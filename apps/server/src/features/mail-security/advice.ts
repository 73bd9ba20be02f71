import type { CheckAdvice, CheckId, CheckResult } from './types.ts';

/** What to do about a failing or warning check, in Dutch (the default) and English. */
const adviceTexts: Partial<Record<CheckId, { nl: string; en: string }>> = {
  dnssec: {
    nl: 'Onderteken het maildomein met DNSSEC en laat de DS-record bij de registrar publiceren. Een "bogus" domein is erger dan geen DNSSEC: herstel de handtekeningen of de DS direct.',
    en: 'Sign the mail domain with DNSSEC and have the registrar publish the DS record. A "bogus" domain is worse than none: fix the signatures or the DS at once.',
  },
  dnssec_mx: {
    nl: 'Onderteken ook de zone van elke mailserver (MX) met DNSSEC; zonder dat werkt DANE niet. Vraag uw mailprovider hierom.',
    en: 'Sign the zone of every mail server (MX) with DNSSEC too; DANE cannot work without it. Ask your mail provider.',
  },
  spf: {
    nl: 'Publiceer precies één TXT-record "v=spf1 … -all" op het domein; voeg meerdere records samen tot één.',
    en: 'Publish exactly one TXT record "v=spf1 … -all" on the domain; merge several records into one.',
  },
  spf_policy: {
    nl: 'Laat het SPF-record eindigen op "-all" (of "~all"), niet op "+all" of "?all", en houd het onder 10 DNS-opzoekingen (include, a, mx, ptr, exists, redirect).',
    en: 'End the SPF record in "-all" (or "~all"), not "+all" or "?all", and keep it within 10 DNS lookups (include, a, mx, ptr, exists, redirect).',
  },
  dkim: {
    nl: 'Onderteken uitgaande mail met DKIM en publiceer de sleutel onder <selector>._domainkey.<domein>.',
    en: 'Sign outgoing mail with DKIM and publish the key at <selector>._domainkey.<domain>.',
  },
  dmarc: {
    nl: 'Publiceer precies één DMARC-record: TXT op _dmarc.<domein> met "v=DMARC1; p=reject; rua=mailto:…".',
    en: 'Publish exactly one DMARC record: TXT at _dmarc.<domain> with "v=DMARC1; p=reject; rua=mailto:…".',
  },
  dmarc_policy: {
    nl: 'Zet het DMARC-beleid op p=quarantine of p=reject (zonder t=y) zodra de rapporten laten zien dat alle echte mail slaagt. Laat externe rapportadressen de ontvangst toestaan met een _report._dmarc-record.',
    en: 'Set the DMARC policy to p=quarantine or p=reject (without t=y) once reports show all genuine mail passes. Have external report addresses authorise reports with a _report._dmarc record.',
  },
  starttls: {
    nl: 'Laat elke mailserver STARTTLS aanbieden op poort 25 met een werkende TLS-handshake.',
    en: 'Make every mail server offer STARTTLS on port 25 with a working TLS handshake.',
  },
  tls_version: {
    nl: 'Schakel TLS 1.0 en 1.1 uit; sta alleen TLS 1.2 en 1.3 toe (NCSC-richtlijnen).',
    en: 'Disable TLS 1.0 and 1.1; allow only TLS 1.2 and 1.3 (NCSC-NL guidelines).',
  },
  tls_ciphers: {
    nl: 'Sta alleen cipher suites toe die het NCSC "goed" of "voldoende" noemt (AES-GCM, ChaCha20 met ECDHE); schakel CBC-SHA1, statische RSA, 3DES en RC4 uit.',
    en: 'Allow only suites NCSC-NL rates "good" or "sufficient" (AES-GCM, ChaCha20 with ECDHE); disable CBC-SHA1, static RSA, 3DES and RC4.',
  },
  tls_key_exchange: {
    nl: 'Gebruik ECDHE met X25519 of P-256/P-384; gebruik voor DHE alleen ffdhe3072 of groter.',
    en: 'Use ECDHE with X25519 or P-256/P-384; for DHE use only ffdhe3072 or larger.',
  },
  certificate: {
    nl: 'Gebruik een certificaat met een RSA-sleutel van minstens 3072 bits of een ECDSA-sleutel (P-256/P-384), ondertekend met SHA-256 of sterker.',
    en: 'Use a certificate with an RSA key of at least 3072 bits or an ECDSA key (P-256/P-384), signed with SHA-256 or stronger.',
  },
  cert_trust: {
    nl: 'Met DANE-EE (3 1 1) is een eigen certificaat in orde; voor MTA-STS is een publiek vertrouwd certificaat met de MX-naam nodig.',
    en: 'With DANE-EE (3 1 1) a private certificate is fine; MTA-STS needs a publicly trusted certificate naming the MX host.',
  },
  dane_exists: {
    nl: 'Publiceer een DNSSEC-ondertekend TLSA-record "3 1 1 <sha256 van de publieke sleutel>" op _25._tcp.<mailserver>.',
    en: 'Publish a DNSSEC-signed TLSA record "3 1 1 <sha256 of the public key>" at _25._tcp.<mail server>.',
  },
  dane_valid: {
    nl: 'Het TLSA-record past niet bij het certificaat dat de server toont: werk het TLSA-record bij vóórdat u een nieuwe sleutel in gebruik neemt. Tot dan wordt mail naar dit domein uitgesteld.',
    en: 'The TLSA record does not match the certificate the server presents: update TLSA before deploying a new key. Until then mail to this domain is deferred.',
  },
  dane_rollover: {
    nl: 'Publiceer ook een TLSA-record voor de volgende sleutel (3 1 1) of voor de uitgevende CA (2 1 1), zodat een sleutelwissel de bezorging niet breekt.',
    en: 'Also publish a TLSA record for the next key (3 1 1) or the issuing CA (2 1 1), so a key change does not break delivery.',
  },
  mta_sts: {
    nl: 'Publiceer een MTA-STS-beleid in mode enforce dat alle MX-namen dekt, op een host met een geldig certificaat, en laat elke MX een publiek vertrouwd certificaat met zijn naam tonen.',
    en: 'Publish an MTA-STS policy in enforce mode that covers every MX name, on a host with a valid certificate, and have each MX present a publicly trusted certificate naming it.',
  },
  tls_rpt: {
    nl: 'Publiceer een TLS-RPT-record (_smtp._tls.<domein> "v=TLSRPTv1; rua=mailto:…") om rapporten over mislukte TLS te ontvangen.',
    en: 'Publish a TLS-RPT record (_smtp._tls.<domain> "v=TLSRPTv1; rua=mailto:…") to receive reports of failed TLS.',
  },
  mx: {
    nl: 'Controleer de MX-records: ze moeten naar bereikbare mailservers wijzen (of een null MX "0 ." als het domein geen mail ontvangt).',
    en: 'Check the MX records: they must point at reachable mail servers (or a null MX "0 ." when the domain receives no mail).',
  },
};

const errorAdvice = {
  nl: 'Deze controle kon niet worden afgerond (time-out of onbereikbare server). Probeer het later opnieuw; blijft het zo, controleer dan de bereikbaarheid.',
  en: 'This check could not be completed (time-out or unreachable server). Try again later; if it persists, check reachability.',
};

/** Advice for every check that failed, warned or could not run. */
export function buildAdvice(checks: CheckResult[]): CheckAdvice[] {
  const advice: CheckAdvice[] = [];
  for (const check of checks) {
    if (check.status === 'error') advice.push({ id: check.id, ...errorAdvice });
    else if (check.status === 'fail' || check.status === 'warning') {
      const text = adviceTexts[check.id];
      if (text) advice.push({ id: check.id, ...text });
    } else if (
      check.status === 'info' &&
      (check.id === 'dane_rollover' || check.id === 'tls_rpt' || check.id === 'mta_sts')
    ) {
      const text = adviceTexts[check.id];
      if (text) advice.push({ id: check.id, ...text });
    }
  }
  return advice;
}
