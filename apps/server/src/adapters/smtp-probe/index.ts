export {
  type CertificateInfo,
  certificateMatchesHost,
  computeTlsaData,
  type DaneMatch,
  describeCertificate,
  matchDane,
  type TlsaRecordData,
} from './certificate.ts';
export {
  type AcceptedSuite,
  type MailServerProbe,
  type ProbeOptions,
  presentedChain,
  probeMailServer,
  type TlsVersion,
  tlsVersions,
} from './probe-mail-server.ts';
export {
  defaultSmtpTimeouts,
  SmtpFailure,
  type SmtpReply,
  SmtpSession,
  SmtpSessionError,
  type SmtpTimeouts,
  type StartTlsSettings,
} from './smtp-session.ts';
