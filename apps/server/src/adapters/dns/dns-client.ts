import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';

/** The record types the mail checks ask for. */
export type DnsRecordType = 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'TLSA' | 'SOA' | 'DS' | 'DNSKEY';

/** One answer record, reduced to what the checks read; `data` depends on the type. */
export type DnsRecord =
  | { name: string; type: 'A' | 'AAAA' | 'CNAME'; ttl: number; data: string }
  | { name: string; type: 'MX'; ttl: number; data: { preference: number; exchange: string } }
  | { name: string; type: 'TXT'; ttl: number; data: string }
  | {
      name: string;
      type: 'TLSA';
      ttl: number;
      data: { usage: number; selector: number; matchingType: number; certificate: Uint8Array };
    }
  | { name: string; type: 'SOA'; ttl: number; data: { mname: string; minimum: number } }
  | { name: string; type: 'OTHER'; ttl: number; data: string };

/** An RFC 8914 extended DNS error: unbound reports why validation failed (6–12 are DNSSEC-bogus codes). */
export interface ExtendedDnsError {
  code: number;
  text: string;
}

/** What one query returned. `ad` is the validating resolver's verdict that the answer is DNSSEC-secure. */
export interface DnsAnswer {
  name: string;
  type: DnsRecordType;
  rcode: string;
  ad: boolean;
  answers: DnsRecord[];
  ede: ExtendedDnsError[];
  /** Seconds this answer may be reused (minimum answer TTL, or the SOA minimum for a negative answer). */
  ttl: number;
  /** Which transport gave the answer: `tcp` after a truncated UDP reply. */
  transport: 'udp' | 'tcp';
}

export interface DnsQueryOptions {
  /** Checking Disabled: ask for bogus data too, as internet.nl does to tell bogus from unreachable. */
  cd?: boolean;
}

/** A raw DNSSEC-aware stub resolver. node:dns cannot show the AD flag, so the checks use this. */
export interface DnsClient {
  query(name: string, type: DnsRecordType, options?: DnsQueryOptions): Promise<DnsAnswer>;
  /** How many queries went to the wire (cache misses), for the bench and tests of sharing. */
  readonly stats: { sent: number; cached: number };
}

export interface DnsClientOptions {
  /** The validating resolver to ask, e.g. `{ host: '127.0.0.1', port: 53 }`. */
  server: { host: string; port: number };
  /** Per attempt; the whole query gives up after `attempts` of these. */
  timeoutMs?: number;
  attempts?: number;
  /** Upper bound on cached lifetimes (internet.nl caps at 180 s); 0 disables caching. */
  maxCacheTtlSeconds?: number;
  /** Clock for the cache, so tests can move time. */
  now?: () => number;
  /** Most queries on the wire at once; a burst of hundreds of UDP packets makes resolvers drop some. */
  maxInFlight?: number;
}

/** Thrown when the resolver gives no usable reply within the time limits. */
export class DnsTimeoutError extends Error {
  override name = 'DnsTimeoutError';
}

const EDE_OPTION_CODE = 15;
const UDP_PAYLOAD_SIZE = 1232;

/** Parses `HOST:PORT` (or `[v6]:PORT`, or a bare host meaning port 53); returns undefined when malformed. */
export function parseResolverAddress(text: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(text.trim());
  if (!match) return undefined;
  const host = match[1] ?? match[2] ?? '';
  const port = match[3] === undefined ? 53 : Number(match[3]);
  if (net.isIP(host) === 0 || port < 1 || port > 65535) return undefined;
  return { host, port };
}

/**
 * Creates a stub resolver that sends each question with EDNS DO set over UDP, retries over TCP when
 * the reply is truncated, and caches answers by TTL. Identical questions in flight share one query.
 */
export function createDnsClient(options: DnsClientOptions): DnsClient {
  const timeoutMs = options.timeoutMs ?? 3000;
  const attempts = options.attempts ?? 2;
  const maxTtl = options.maxCacheTtlSeconds ?? 180;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { expires: number; answer: DnsAnswer }>();
  const inFlight = new Map<string, Promise<DnsAnswer>>();
  const stats = { sent: 0, cached: 0 };
  const maxInFlight = options.maxInFlight ?? 32;
  let active = 0;
  const waiting: (() => void)[] = [];

  async function ask(name: string, type: DnsRecordType, cd: boolean): Promise<DnsAnswer> {
    if (active >= maxInFlight) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await askNow(name, type, cd);
    } finally {
      active--;
      waiting.shift()?.();
    }
  }

  async function askNow(name: string, type: DnsRecordType, cd: boolean): Promise<DnsAnswer> {
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      try {
        stats.sent++;
        const reply = await sendUdp(options.server, encodeQuery(name, type, cd), timeoutMs);
        const decoded = dnsPacket.decode(reply);
        if (decoded.flag_tc) {
          const tcpReply = await sendTcp(options.server, encodeQuery(name, type, cd), timeoutMs);
          return toAnswer(name, type, dnsPacket.decode(tcpReply), 'tcp');
        }
        return toAnswer(name, type, decoded, 'udp');
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError instanceof Error ? lastError : new DnsTimeoutError(`no answer for ${name} ${type}`);
  }

  return {
    stats,
    query(name, type, queryOptions = {}) {
      const cd = queryOptions.cd ?? false;
      const key = `${name.toLowerCase()}|${type}|${cd ? 1 : 0}`;
      const hit = cache.get(key);
      if (hit && hit.expires > now()) {
        stats.cached++;
        return Promise.resolve(hit.answer);
      }
      const pending = inFlight.get(key);
      if (pending) {
        stats.cached++;
        return pending;
      }
      const promise = ask(name, type, cd)
        .then((answer) => {
          // SERVFAIL is not cached: it may be a passing outage, and unbound caches it briefly itself.
          const ttl = Math.min(answer.ttl, maxTtl);
          if (ttl > 0 && answer.rcode !== 'SERVFAIL') cache.set(key, { expires: now() + ttl * 1000, answer });
          return answer;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, promise);
      return promise;
    },
  };
}

function encodeQuery(name: string, type: DnsRecordType, cd: boolean): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id: Math.floor(Math.random() * 65535),
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.AUTHENTIC_DATA | (cd ? dnsPacket.CHECKING_DISABLED : 0),
    questions: [{ name, type, class: 'IN' }],
    additionals: [
      {
        type: 'OPT',
        name: '.',
        udpPayloadSize: UDP_PAYLOAD_SIZE,
        extendedRcode: 0,
        ednsVersion: 0,
        flags: dnsPacket.DNSSEC_OK,
        flag_do: true,
        options: [],
      } as unknown as dnsPacket.Answer,
    ],
  });
}

function sendUdp(server: { host: string; port: number }, query: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(server.host) ? 'udp6' : 'udp4');
    const id = query.readUInt16BE(0);
    const timer = setTimeout(
      () => finish(new DnsTimeoutError(`resolver ${server.host}:${server.port} timed out`)),
      timeoutMs,
    );
    function finish(error: Error | undefined, reply?: Buffer): void {
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(reply as Buffer);
    }
    socket.on('error', (error) => finish(error));
    socket.on('message', (message, rinfo) => {
      // Ignore stray datagrams: only the resolver we asked, with our query id, may answer.
      if (rinfo.address !== server.host || message.length < 12 || message.readUInt16BE(0) !== id) return;
      finish(undefined, message);
    });
    socket.send(query, server.port, server.host, (error) => {
      if (error) finish(error);
    });
  });
}

function sendTcp(server: { host: string; port: number }, query: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: server.host, port: server.port });
    let buffered = Buffer.alloc(0);
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new DnsTimeoutError(`resolver ${server.host}:${server.port} timed out over TCP`));
    });
    socket.on('error', reject);
    socket.on('connect', () => {
      const framed = Buffer.alloc(query.length + 2);
      framed.writeUInt16BE(query.length, 0);
      query.copy(framed, 2);
      socket.write(framed);
    });
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length >= 2 && buffered.length >= buffered.readUInt16BE(0) + 2) {
        socket.destroy();
        resolve(buffered.subarray(2, 2 + buffered.readUInt16BE(0)));
      }
    });
    socket.on('end', () => reject(new DnsTimeoutError('resolver closed the TCP connection early')));
  });
}

function toAnswer(
  name: string,
  type: DnsRecordType,
  packet: dnsPacket.DecodedPacket,
  transport: 'udp' | 'tcp',
): DnsAnswer {
  const rcode = (packet as { rcode?: string }).rcode ?? 'UNKNOWN';
  const answers: DnsRecord[] = [];
  for (const record of packet.answers ?? []) {
    const converted = convertRecord(record);
    if (converted) answers.push(converted);
  }
  const ede: ExtendedDnsError[] = [];
  for (const extra of packet.additionals ?? []) {
    if (extra.type !== 'OPT') continue;
    for (const option of (extra as { options?: { code: number; data?: Buffer }[] }).options ?? []) {
      if (option.code !== EDE_OPTION_CODE || !option.data || option.data.length < 2) continue;
      ede.push({ code: option.data.readUInt16BE(0), text: option.data.subarray(2).toString('utf8') });
    }
  }
  let ttl: number;
  if (answers.length > 0) {
    ttl = Math.min(...answers.map((a) => a.ttl));
  } else {
    const soa = (packet.authorities ?? []).find((a) => a.type === 'SOA') as
      | { ttl?: number; data: { minimum: number } }
      | undefined;
    ttl = soa ? Math.min(soa.ttl ?? 0, soa.data.minimum) : 0;
  }
  return { name, type, rcode, ad: packet.flag_ad, answers, ede, ttl, transport };
}

function convertRecord(record: dnsPacket.Answer): DnsRecord | undefined {
  const ttl = (record as { ttl?: number }).ttl ?? 0;
  const name = record.name;
  switch (record.type) {
    case 'A':
    case 'AAAA':
    case 'CNAME':
      return { name, type: record.type, ttl, data: String(record.data) };
    case 'MX':
      return {
        name,
        type: 'MX',
        ttl,
        data: { preference: record.data.preference ?? 0, exchange: record.data.exchange },
      };
    case 'TXT': {
      const parts = Array.isArray(record.data) ? record.data : [record.data];
      // A TXT record is one string split into chunks of at most 255 bytes; join them without spaces.
      return {
        name,
        type: 'TXT',
        ttl,
        data: parts.map((p) => (typeof p === 'string' ? p : p.toString('utf8'))).join(''),
      };
    }
    case 'TLSA':
      return {
        name,
        type: 'TLSA',
        ttl,
        data: {
          usage: record.data.usage,
          selector: record.data.selector,
          matchingType: record.data.matchingType,
          certificate: new Uint8Array(record.data.certificate),
        },
      };
    case 'SOA':
      return {
        name,
        type: 'SOA',
        ttl,
        data: { mname: record.data.mname, minimum: record.data.minimum ?? 0 },
      };
    default:
      return undefined;
  }
}
