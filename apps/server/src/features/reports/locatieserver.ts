import { ErrorCode } from '@zegel/protocol/errors';
import { AppError } from '../../errors.ts';

/** The municipality of an address, as the Locatieserver answers it. */
export interface FoundAddress {
  gemeentecode: string;
  gemeentenaam: string;
  weergavenaam: string;
}

interface LocatieserverDoc {
  type?: unknown;
  gemeentecode?: unknown;
  gemeentenaam?: unknown;
  weergavenaam?: unknown;
  huis_nlt?: unknown;
}

const TIMEOUT_MS = 5_000;

const unavailable = () =>
  new AppError(
    ErrorCode.locationServiceUnavailable,
    'De gemeente kon niet worden opgezocht (PDOK Locatieserver niet bereikbaar). Probeer het zo opnieuw of kies de gemeente zelf.',
  );

function toFound(doc: LocatieserverDoc): FoundAddress | null {
  const code = typeof doc.gemeentecode === 'string' ? doc.gemeentecode.padStart(4, '0') : '';
  if (!/^[0-9]{4}$/.test(code) || typeof doc.gemeentenaam !== 'string') return null;
  const weergavenaam = typeof doc.weergavenaam === 'string' ? doc.weergavenaam : doc.gemeentenaam;
  return { gemeentecode: code, gemeentenaam: doc.gemeentenaam, weergavenaam };
}

/**
 * Finds the municipality of a Dutch address through the PDOK Locatieserver's free search
 * (`/free?fq=postcode:…&fq=huisnummer:…&fq=type:adres`). With an addition the matching
 * `huis_nlt` is preferred; without a match, the first address of that number (they share a
 * municipality). Only postcode and house number leave Zegel, never a name or BSN. No address is
 * `422 address_not_found`; a service that fails, times out or answers garbage is `503`.
 */
export async function findMunicipality(
  baseUrl: string,
  address: { postcode: string; houseNumber: number; addition?: string | undefined },
): Promise<FoundAddress> {
  const postcode = address.postcode.replace(/\s+/g, '').toUpperCase();
  const url = new URL(`${baseUrl}/free`);
  for (const fq of [`postcode:${postcode}`, `huisnummer:${address.houseNumber}`, 'type:adres'])
    url.searchParams.append('fq', fq);
  url.searchParams.set('rows', '10');
  let body: unknown;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!response.ok) throw unavailable();
    body = await response.json();
  } catch {
    throw unavailable();
  }
  const docs = (body as { response?: { docs?: unknown } })?.response?.docs;
  if (!Array.isArray(docs)) throw unavailable();
  const wanted = `${address.houseNumber}${address.addition ?? ''}`.replace(/[\s-]/g, '').toLowerCase();
  const exact = docs.find(
    (d: LocatieserverDoc) =>
      typeof d.huis_nlt === 'string' && d.huis_nlt.replace(/[\s-]/g, '').toLowerCase() === wanted,
  );
  const found = [exact, ...docs].map((d) => (d ? toFound(d as LocatieserverDoc) : null)).find(Boolean);
  if (!found)
    throw new AppError(
      ErrorCode.addressNotFound,
      'Geen adres gevonden bij deze postcode en dit huisnummer. Controleer het adres.',
    );
  return found;
}
