import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An address the fake knows, in the fields of the Locatieserver's `type:adres` documents. */
export interface FakeAddress {
  postcode: string;
  huisnummer: number;
  huis_nlt: string;
  gemeentecode: string;
  gemeentenaam: string;
  weergavenaam: string;
}

export interface FakeLocatieserver {
  url: string;
  /** What the next answers are: the published shape, a server error, or garbage. */
  mode: 'ok' | 'error' | 'garbage';
  requests: URL[];
  close(): Promise<void>;
}

/**
 * A loopback stand-in for the PDOK Locatieserver search API v3.1 `/free`, answering filter
 * queries (`fq=postcode:…`, `fq=huisnummer:…`, `fq=type:adres`) in its published Solr response
 * shape: `{ response: { numFound, start, maxScore, numFoundExact, docs: [...] } }`.
 */
export async function startFakeLocatieserver(addresses: FakeAddress[]): Promise<FakeLocatieserver> {
  const fake: FakeLocatieserver = { url: '', mode: 'ok', requests: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    fake.requests.push(url);
    if (fake.mode === 'error') return void res.writeHead(503).end('Service Unavailable');
    if (fake.mode === 'garbage')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"resp');
    if (url.pathname !== '/free') return void res.writeHead(404).end();
    const filters = new Map(url.searchParams.getAll('fq').map((f) => f.split(':') as [string, string]));
    const docs = (filters.get('type') === 'adres' ? addresses : [])
      .filter((a) => !filters.has('postcode') || a.postcode === filters.get('postcode'))
      .filter((a) => !filters.has('huisnummer') || String(a.huisnummer) === filters.get('huisnummer'))
      .map((a) => ({ type: 'adres', id: `adr-${a.postcode}-${a.huis_nlt}`, score: 10, ...a }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        response: { numFound: docs.length, start: 0, maxScore: 10, numFoundExact: true, docs },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}

/** Two addresses in two municipalities, for the reports tests and the browser journey. */
export const fakeAddresses: FakeAddress[] = [
  {
    postcode: '3511AB',
    huisnummer: 12,
    huis_nlt: '12bis',
    gemeentecode: '0344',
    gemeentenaam: 'Utrecht',
    weergavenaam: 'Voorbeeldstraat 12bis, 3511AB Utrecht',
  },
  {
    postcode: '3511AB',
    huisnummer: 12,
    huis_nlt: '12',
    gemeentecode: '0344',
    gemeentenaam: 'Utrecht',
    weergavenaam: 'Voorbeeldstraat 12, 3511AB Utrecht',
  },
  {
    postcode: '3941AA',
    huisnummer: 1,
    huis_nlt: '1',
    gemeentecode: '1581',
    gemeentenaam: 'Utrechtse Heuvelrug',
    weergavenaam: 'Dorpsstraat 1, 3941AA Doorn',
  },
];
