import type { CareAccessLog } from '@zegel/protocol/api';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AuditAction } from '../../platform/audit/index.ts';
import { clientSubject, recordCareEvent, requireMember } from './access.ts';
import { selectFolders } from './folder-store.ts';
import { actsForClient, type CareActor, requireRole } from './policy.ts';
import { describeStaff } from './present.ts';
import type { MemberRow } from './store.ts';

const roleLabel: Record<MemberRow['role'], string> = {
  client: 'Cliënt',
  representative: 'Vertegenwoordiger',
  coordinator: 'Coördinator',
  professional: 'Zorgverlener',
  carer: 'Mantelzorger',
};
const basisLabel: Record<MemberRow['legal_basis'], string | null> = {
  client: null,
  behandelovereenkomst: 'behandelovereenkomst',
  wettelijke_taak: 'wettelijke taak',
  toestemming: 'toestemming',
};

const day = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const time = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam',
  hour: '2-digit',
  minute: '2-digit',
});

/** What someone did, as the client reads it. */
function deed(action: string, folderName: string | undefined): string | null {
  if (action === AuditAction.careFolderOpened) return `opende de map “${folderName ?? 'onbekend'}”`;
  if (action === AuditAction.careDocumentAdded)
    return `zette een document in de map “${folderName ?? 'onbekend'}”`;
  if (action === AuditAction.careConversationRead) return 'las de berichten van het netwerk';
  if (action === AuditAction.careNetworkRead) return 'bekeek wie er in het netwerk zit';
  return null;
}

/**
 * The client's access view (NEN 7513, AVG art. 15): who opened what of theirs, from the audit
 * trail, in plain Dutch ("Huisarts Jan de Vries (Huisartsenpraktijk Oost) opende op 3 december
 * 2026 om 14:10 de map “Zorgplan”"), with role and legal basis; by member and period. Only the
 * client and a representative see it; their own steps are left out; reading it is audited too.
 */
export async function readAccessView(
  deps: Deps,
  who: CareActor,
  networkId: string,
  filter: { memberId?: string | undefined; from?: string | undefined; to?: string | undefined },
  origin: RequestOrigin,
): Promise<CareAccessLog> {
  const { network, members, me, client } = await requireMember(deps, who, networkId);
  requireRole(actsForClient(me), 'Only the client or their representative sees who opened what.');
  const rows = await deps.audit.list({
    organisationId: network.organisation_id,
    subjectPerson: clientSubject(client),
    from: filter.from ? new Date(filter.from) : undefined,
    to: filter.to ? new Date(filter.to) : undefined,
    limit: 1000,
  });
  const [folders, staff] = await Promise.all([
    selectFolders(deps.db, networkId),
    describeStaff(
      deps,
      members.flatMap((m) => (m.user_id ? [m.user_id] : [])),
    ),
  ]);
  const entries = rows.flatMap((row) => {
    const memberId = (row.details as { memberId?: string }).memberId;
    const member = members.find((m) => m.id === memberId);
    if (!member || member.id === me.id || member.id === client.id) return [];
    if (filter.memberId && member.id !== filter.memberId) return [];
    const what = deed(row.action, folders.find((f) => f.id === row.object_id)?.name);
    if (!what) return [];
    const person = member.user_id ? staff.get(member.user_id) : undefined;
    const name = person?.name ?? member.person_name ?? '';
    const label = member.function ?? roleLabel[member.role];
    const org = person?.organisationName ? ` (${person.organisationName})` : '';
    const at = row.occurred_at;
    return [
      {
        at: at.toISOString(),
        sentence: `${label} ${name}${org} ${what.replace(/^(\S+)/, `$1 op ${day.format(at)} om ${time.format(at)}`)}.`,
        who: name,
        organisationName: person?.organisationName ?? null,
        role: roleLabel[member.role],
        legalBasis: basisLabel[member.legal_basis],
        action: row.action,
      },
    ];
  });
  await recordCareEvent(deps, { network, me, client }, who, {
    action: AuditAction.careAccessViewRead,
    object: { type: 'care_network', id: networkId },
    origin,
  });
  return { entries };
}
