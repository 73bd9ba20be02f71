export {
  createDnsClient,
  type DnsAnswer,
  type DnsClient,
  type DnsClientOptions,
  type DnsQueryOptions,
  type DnsRecord,
  type DnsRecordType,
  DnsTimeoutError,
  type ExtendedDnsError,
  parseResolverAddress,
} from './dns-client.ts';
