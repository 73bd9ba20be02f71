import type { KeyHolder, Participant } from '@zegel/protocol/api';
import type { Deps } from '../../deps.ts';
import { findPeople } from '../accounts/index.ts';
import { type GuestStatus, guestStatuses } from '../guest-access/index.ts';
import { findStaffHolders } from '../keys/index.ts';
import type { EventRow } from './event-store.ts';
import { type ParticipantRecord, selectParticipantRow, selectParticipantRows } from './store.ts';

type DbDeps = Pick<Deps, 'db'>;

/** A participant with what its owners say of it: the person's or team's name and key, the guest's verification. */
export interface ParticipantView extends ParticipantRecord {
  user_name: string | null;
  user_email: string | null;
  user_public_key: string | null;
  team_name: string | null;
  team_public_key: string | null;
  guest: GuestStatus | undefined;
}

/** Adds names, public keys and guest status to participant rows, with one look-up per owner. */
export async function describeParticipants(
  deps: DbDeps,
  rows: ParticipantRecord[],
): Promise<ParticipantView[]> {
  const userIds = rows.flatMap((p) => (p.user_id ? [p.user_id] : []));
  const teamIds = rows.flatMap((p) => (p.team_id ? [p.team_id] : []));
  const guestIds = rows.flatMap((p) => (p.kind === 'guest' ? [p.id] : []));
  const [holders, people, guests] = await Promise.all([
    findStaffHolders(deps, { userIds: [], teamIds }),
    findPeople(deps, userIds),
    guestStatuses(deps, guestIds),
  ]);
  return rows.map((p) => {
    const person = p.user_id ? people.find((u) => u.id === p.user_id) : undefined;
    const team = p.team_id ? holders.get(p.team_id) : undefined;
    return {
      ...p,
      user_name: person?.name ?? null,
      user_email: person?.email ?? null,
      user_public_key: person?.public_key ?? null,
      team_name: team?.name ?? null,
      team_public_key: team?.publicKey ?? null,
      guest: guests.get(p.id),
    };
  });
}

export async function loadParticipants(deps: DbDeps, conversationIds: readonly string[]) {
  return describeParticipants(deps, await selectParticipantRows(deps.db, conversationIds));
}

export async function loadParticipant(deps: DbDeps, id: string): Promise<ParticipantView | undefined> {
  const row = await selectParticipantRow(deps.db, id);
  return row ? (await describeParticipants(deps, [row]))[0] : undefined;
}

/** Who a participant is to a reader: a person's or team's name, a guest's address. */
export function nameOf(p: ParticipantView): string {
  if (p.kind === 'user') return p.user_name ?? '';
  if (p.kind === 'team') return p.team_name ?? '';
  return p.address ?? '';
}

/** A guest's state from the rows: revoked, expired, locked (while a lock runs) or active. */
export function participantState(
  p: Pick<ParticipantView, 'revoked_at' | 'kind' | 'guest'>,
  conversation: { expires_at: Date; purged_at: Date | null },
  now: Date,
) {
  if (p.revoked_at) return 'revoked' as const;
  if (p.kind === 'guest' && (conversation.purged_at || conversation.expires_at <= now))
    return 'expired' as const;
  if (p.guest?.lockedUntil && p.guest.lockedUntil > now) return 'locked' as const;
  return 'active' as const;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** A participant with its receipts, as staff see it. */
export function presentParticipant(
  p: ParticipantView,
  conversation: { expires_at: Date; purged_at: Date | null },
  downloads: Pick<EventRow, 'participant_id' | 'attachment_id' | 'file_id' | 'occurred_at'>[],
  now: Date,
): Participant {
  const mine = downloads.filter((d) => d.participant_id === p.id);
  return {
    id: p.id,
    kind: p.kind,
    role: p.role,
    refId: p.user_id ?? p.team_id ?? null,
    name: nameOf(p),
    address: p.address,
    method: p.guest?.method ?? null,
    phoneHint: p.guest?.phoneHint ?? null,
    state: participantState(p, conversation, now),
    sentAt: iso(p.sent_at),
    deliveredAt: iso(p.delivered_at),
    bouncedAt: iso(p.bounced_at),
    bounceReason: p.bounce_reason,
    verifiedAt: iso(p.guest?.verifiedAt),
    openedAt: iso(p.opened_at),
    lastOpenedAt: iso(p.last_opened_at),
    revokedAt: iso(p.revoked_at),
    lockedAt: iso(p.guest?.lockedAt),
    lockedUntil: iso(p.guest?.lockedUntil),
    noCodeAt: iso(p.guest?.noCodeAt),
    downloads: mine
      .filter((d) => d.attachment_id)
      .map((d) => ({ attachmentId: d.attachment_id as string, at: d.occurred_at.toISOString() })),
    fileDownloads: mine
      .filter((d) => d.file_id)
      .map((d) => ({ fileId: d.file_id as string, at: d.occurred_at.toISOString() })),
  };
}

/** Everyone a new staff item is wrapped to: people, teams, and guests who may still read. */
export function keyHolders(
  participants: ParticipantView[],
  conversation: { expires_at: Date; purged_at: Date | null },
  now: Date,
): KeyHolder[] {
  const holders: KeyHolder[] = [];
  for (const p of participants) {
    if (p.kind === 'user' && p.user_public_key && !holders.some((h) => h.holderId === p.user_id))
      holders.push({
        holderId: p.user_id as string,
        kind: 'user',
        name: nameOf(p),
        publicKey: p.user_public_key,
      });
    if (p.kind === 'team' && p.team_public_key)
      holders.push({
        holderId: p.team_id as string,
        kind: 'team',
        name: nameOf(p),
        publicKey: p.team_public_key,
      });
    const state = participantState(p, conversation, now);
    if (p.kind === 'guest' && p.public_key && state !== 'revoked' && state !== 'expired')
      holders.push({ holderId: p.id, kind: 'guest', name: nameOf(p), publicKey: p.public_key });
  }
  return holders;
}

/** Whom a guest's reply is wrapped to: the staff side (Bcc'd people excepted), never other guests. */
export function replyRecipients(participants: ParticipantView[]): KeyHolder[] {
  return participants.flatMap((p): KeyHolder[] => {
    if (p.kind === 'user' && p.user_public_key && p.role !== 'bcc')
      return [{ holderId: p.user_id as string, kind: 'user', name: nameOf(p), publicKey: p.user_public_key }];
    if (p.kind === 'team' && p.team_public_key && p.role !== 'bcc')
      return [{ holderId: p.team_id as string, kind: 'team', name: nameOf(p), publicKey: p.team_public_key }];
    return [];
  });
}
