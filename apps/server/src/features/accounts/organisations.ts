import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import {
  insertOrganisation,
  selectOrganisation,
  selectOrganisationBySlug,
  updateOrganisationRow,
} from './store.ts';

/** Design tokens an organisation may set; values are checked so no CSS can be smuggled in. */
export const brandingTokens = [
  'color-primary',
  'color-primary-text',
  'color-accent',
  'color-background',
  'font-family',
] as const;
const COLOR = /^#[0-9a-fA-F]{6}$/;
const FONT = /^[\w\s,'-]{1,100}$/;

export const logoTypes = ['image/png', 'image/jpeg', 'image/webp'] as const;
export const MAX_LOGO_BYTES = 256 * 1024;

export function slugify(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'organisatie'
  );
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function normaliseDomains(domains: string[]): string[] {
  const result = [...new Set(domains.map((d) => d.trim().toLowerCase()).filter(Boolean))];
  const bad = result.filter((d) => !DOMAIN.test(d));
  if (bad.length > 0)
    throw new AppError(ErrorCode.validationFailed, `Not a valid mail domain: ${bad.join(', ')}`);
  return result;
}

export async function createOrganisation(deps: Deps, input: { name: string; mailDomains: string[] }) {
  const name = input.name.trim();
  if (!name) throw new AppError(ErrorCode.validationFailed, 'The organisation needs a name.');
  const base = slugify(name);
  let slug = base;
  for (let n = 2; await selectOrganisationBySlug(deps.db, slug); n++) slug = `${base}-${n}`;
  const id = crypto.randomUUID();
  await insertOrganisation(deps.db, { id, name, slug, mailDomains: normaliseDomains(input.mailDomains) });
  await deps.audit.record({
    action: AuditAction.organisationCreated,
    outcome: 'success',
    organisationId: id,
    actor: { userId: null, name: 'zegel admin (command line)', role: 'operator' },
    object: { type: 'organisation', id },
  });
  return { id, slug };
}

export function presentOrganisation(org: NonNullable<Awaited<ReturnType<typeof selectOrganisation>>>) {
  return {
    id: org.id,
    name: org.name,
    slug: org.slug,
    mailDomains: org.mail_domains,
    branding: org.branding,
    hasLogo: org.logo !== null,
    trustedDeviceDays: org.trusted_device_days,
  };
}

export async function getOrganisation(deps: Deps, organisationId: string) {
  const org = await selectOrganisation(deps.db, organisationId);
  if (!org) throw new AppError(ErrorCode.notFound, 'No such organisation.');
  return presentOrganisation(org);
}

export async function updateOrganisation(
  deps: Deps,
  actor: Actor,
  patch: {
    name?: string;
    mailDomains?: string[];
    branding?: Record<string, string>;
    trustedDeviceDays?: number;
  },
  origin: RequestOrigin,
) {
  const changes: Parameters<typeof updateOrganisationRow>[2] = {};
  if (patch.name !== undefined) {
    if (!patch.name.trim()) throw new AppError(ErrorCode.validationFailed, 'The organisation needs a name.');
    changes.name = patch.name.trim();
  }
  if (patch.mailDomains !== undefined) changes.mail_domains = normaliseDomains(patch.mailDomains);
  if (patch.branding !== undefined) {
    for (const [token, value] of Object.entries(patch.branding)) {
      if (!(brandingTokens as readonly string[]).includes(token)) {
        throw new AppError(ErrorCode.validationFailed, `Unknown design token: ${token}`);
      }
      const valid = token === 'font-family' ? FONT.test(value) : COLOR.test(value);
      if (!valid) throw new AppError(ErrorCode.validationFailed, `Not a valid value for ${token}.`);
    }
    changes.branding = JSON.stringify(patch.branding);
  }
  if (patch.trustedDeviceDays !== undefined) changes.trusted_device_days = patch.trustedDeviceDays;
  if (Object.keys(changes).length > 0) await updateOrganisationRow(deps.db, actor.organisationId, changes);
  await deps.audit.record({
    action: AuditAction.organisationUpdated,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'organisation', id: actor.organisationId },
    details: { fields: Object.keys(patch) },
  });
  return getOrganisation(deps, actor.organisationId);
}

/** Stores the logo; only raster formats, since an SVG can carry script. */
export async function setLogo(
  deps: Deps,
  actor: Actor,
  logo: { type: string; data: Uint8Array } | null,
  origin: RequestOrigin,
) {
  if (logo) {
    if (!(logoTypes as readonly string[]).includes(logo.type)) {
      throw new AppError(ErrorCode.validationFailed, `The logo must be one of ${logoTypes.join(', ')}.`);
    }
    if (logo.data.length === 0 || logo.data.length > MAX_LOGO_BYTES) {
      throw new AppError(ErrorCode.payloadTooLarge, `The logo must be at most ${MAX_LOGO_BYTES / 1024} KiB.`);
    }
  }
  await updateOrganisationRow(deps.db, actor.organisationId, {
    logo_type: logo?.type ?? null,
    logo: logo?.data ?? null,
  });
  await deps.audit.record({
    action: AuditAction.organisationUpdated,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'organisation', id: actor.organisationId },
    details: { fields: ['logo'] },
  });
}

export async function getLogo(deps: Deps, organisationId: string) {
  const org = await selectOrganisation(deps.db, organisationId);
  if (!org?.logo || !org.logo_type) throw new AppError(ErrorCode.notFound, 'This organisation has no logo.');
  return { type: org.logo_type, data: org.logo };
}
