import type { CreateCareNetworkRequest } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import { inTransaction } from '../../db/transaction.ts';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction } from '../../platform/audit/index.ts';
import { invitePersonMember } from './personal-invitations.ts';
import { careSettings } from './settings.ts';
import { insertMember, insertNetwork } from './store.ts';

const DAY_MS = 86_400_000;

/**
 * A staff member creates a network for a client and becomes its coordinator; their organisation
 * hosts it. The open week (the host's setting, 7 days by default) starts now.
 */
export async function createNetwork(
  deps: Deps,
  actor: Actor,
  input: CreateCareNetworkRequest,
  origin: RequestOrigin,
): Promise<{ id: string }> {
  if (input.legalBasis === 'toestemming')
    throw new AppError(
      ErrorCode.validationFailed,
      'A coordinator needs a treatment agreement or a legal task to start a network.',
    );
  const now = deps.clock.now();
  const settings = await careSettings(deps, actor.organisationId);
  const id = crypto.randomUUID();
  const clientId = crypto.randomUUID();
  await inTransaction(deps, async (tx) => {
    await insertNetwork(tx.db, {
      id,
      organisation_id: actor.organisationId,
      name: input.name,
      created_at: now,
      open_until: new Date(now.getTime() + settings.openDays * DAY_MS),
      created_by: actor.userId,
    });
    const base = { network_id: id, added_at: now, added_by: actor.userId, consent_record: null };
    await insertMember(tx.db, {
      ...base,
      id: clientId,
      role: 'client',
      person_name: input.client.name,
      person_email: input.client.email.toLowerCase(),
      legal_basis: 'client',
    });
    await insertMember(tx.db, {
      ...base,
      id: crypto.randomUUID(),
      role: 'coordinator',
      user_id: actor.userId,
      function: input.function ?? null,
      legal_basis: input.legalBasis,
    });
  });
  await deps.audit.record({
    action: AuditAction.careNetworkCreated,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: { userId: actor.userId, name: actor.name, role: 'care:coordinator' },
    accessPoint: origin,
    subjectPerson: `care-member:${clientId}`,
    object: { type: 'care_network', id },
  });
  await invitePersonMember(
    deps,
    { person_email: input.client.email.toLowerCase(), person_name: input.client.name },
    actor.organisationId,
  );
  return { id };
}
