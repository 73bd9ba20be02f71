import { ErrorCode } from '@zegel/protocol/errors';
import { DirectoryLimits, MessageLimits } from '@zegel/protocol/limits';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { cleanHint, normaliseAddress } from './address.ts';
import { normalisePhone } from './phone.ts';
import { type DirectoryRow, selectDirectoryEntry, upsertDirectoryEntries } from './store.ts';

/**
 * The recipient directory: how an organisation verifies each external address (method, phone,
 * hint), remembered from earlier sends or imported by an admin, so the composer can fill it in.
 */

export type Method = 'sms' | 'access_code' | 'email_only';
const METHODS: readonly Method[] = ['sms', 'access_code', 'email_only'];

/** Remembers how these addresses were verified (inside the sender's transaction). */
export async function rememberRecipients(deps: Pick<Deps, 'db'>, entries: DirectoryRow[]): Promise<void> {
  await upsertDirectoryEntries(deps.db, entries);
}

/** What the organisation remembers for an address (method, phone, hint), for the composer. */
export async function lookupRecipient(deps: Deps, actor: Actor, address: string, origin: RequestOrigin) {
  const normalised = normaliseAddress(address);
  if (!normalised) throw new AppError(ErrorCode.validationFailed, 'That is not an e-mail address.');
  const row = await selectDirectoryEntry(deps.db, actor.organisationId, normalised);
  if (row) {
    await deps.audit.record({
      action: AuditAction.recipientDirectoryRead,
      outcome: 'success',
      organisationId: actor.organisationId,
      actor: auditActor(actor),
      accessPoint: origin,
      subjectPerson: normalised,
      object: { type: 'recipient_directory', id: normalised },
    });
  }
  return {
    entry: row
      ? {
          address: row.address,
          method: row.method,
          phone: row.phone,
          accessCodeHint: row.access_code_hint,
          updatedAt: row.updated_at.toISOString(),
        }
      : null,
  };
}

/** Splits CSV text into rows of fields: `,` or `;` (from the header), double quotes with `""` escapes. */
export function parseCsv(text: string): string[][] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * Imports `address,method,phone,hint` lines. All or nothing: a file with any bad line imports
 * nothing and names every bad line, so an admin fixes the file once and imports again.
 */
export async function importRecipientDirectory(deps: Deps, actor: Actor, csv: string, origin: RequestOrigin) {
  if (csv.length > DirectoryLimits.maxImportBytes)
    throw new AppError(ErrorCode.payloadTooLarge, 'The file is too large.');
  const rows = parseCsv(csv.replace(/^\uFEFF/, ''));
  const errors: { line: number; message: string }[] = [];
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const column = (name: string) => header.indexOf(name);
  if (column('address') < 0 || column('method') < 0) {
    return {
      imported: 0,
      errors: [{ line: 1, message: 'The first line must name the columns: address,method,phone,hint' }],
    };
  }
  const data = rows.slice(1);
  if (data.length > DirectoryLimits.maxImportLines)
    return {
      imported: 0,
      errors: [{ line: 1, message: `At most ${DirectoryLimits.maxImportLines} lines per file.` }],
    };
  const now = deps.clock.now();
  const entries = [];
  const seen = new Map<string, number>();
  for (const [index, fields] of data.entries()) {
    const line = index + 2;
    if (fields.every((f) => f.trim() === '')) continue;
    const get = (name: string) => (column(name) >= 0 ? (fields[column(name)] ?? '').trim() : '');
    const address = normaliseAddress(get('address'));
    const method = get('method').toLowerCase().replace('-', '_') as Method;
    const problems: string[] = [];
    if (!address) problems.push(`"${get('address').slice(0, 80)}" is not an e-mail address`);
    else if (seen.has(address)) problems.push(`the address is also on line ${seen.get(address)}`);
    if (!METHODS.includes(method)) problems.push('method must be sms, access_code or email_only');
    let phone: string | null = null;
    if (method === 'sms') {
      if (!get('phone')) problems.push('an SMS recipient needs a phone number');
      else {
        phone = normalisePhone(get('phone')) ?? null;
        if (!phone) problems.push('the phone number is not valid');
      }
    }
    const hint = cleanHint(get('hint')) ?? '';
    if (hint.length > MessageLimits.maxAccessCodeHintLength)
      problems.push(`the hint is longer than ${MessageLimits.maxAccessCodeHintLength} characters`);
    if (problems.length > 0) {
      errors.push({ line, message: problems.join('; ') });
      continue;
    }
    seen.set(address as string, line);
    entries.push({
      organisation_id: actor.organisationId,
      address: address as string,
      method,
      phone,
      access_code_hint: method === 'access_code' && hint ? hint : null,
      updated_at: now,
    });
  }
  if (errors.length > 0) return { imported: 0, errors };
  await upsertDirectoryEntries(deps.db, entries);
  await deps.audit.record({
    action: AuditAction.recipientDirectoryImported,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'recipient_directory', id: actor.organisationId },
    details: { lines: entries.length },
  });
  return { imported: entries.length, errors: [] };
}
