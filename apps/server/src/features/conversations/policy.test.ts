import { describe, expect, it } from 'vitest';
import type { Actor } from '../../deps.ts';
import type { ConversationView } from './conversation-view.ts';
import type { ParticipantView } from './participants.ts';
import { canManage, canRead, canSeeParticipant, canWrite, guestRefusal } from './policy.ts';

/** The conversation rulebook, rule by rule, as a table (the routes' own test is http/authorization.test.ts). */

const now = new Date('2026-12-03T12:00:00Z');
const ORG = 'org-a';
const actor = (userId: string, organisationId = ORG): Actor => ({
  userId,
  organisationId,
  name: userId,
  role: 'member',
});

function conversation(extra: Partial<ConversationView> = {}): ConversationView {
  return {
    id: 'c',
    organisation_id: ORG,
    kind: 'message',
    owner_id: null,
    sender_user_id: 'sender',
    created_at: now,
    last_activity_at: now,
    expires_at: new Date(now.getTime() + 86_400_000),
    purged_at: null,
    files_deleted_at: null,
    replied_at: null,
    sender_name: 'Sender',
    sender_email: 'sender@example.nl',
    staff_name: 'Sender',
    ...extra,
  };
}

function participant(extra: Partial<ParticipantView> = {}): ParticipantView {
  return {
    id: 'p',
    conversation_id: 'c',
    kind: 'user',
    role: 'to',
    user_id: 'reader',
    team_id: null,
    address: null,
    public_key: null,
    sent_at: now,
    delivered_at: null,
    bounced_at: null,
    bounce_reason: null,
    opened_at: null,
    last_opened_at: null,
    revoked_at: null,
    user_name: 'Reader',
    user_email: null,
    user_public_key: null,
    team_name: null,
    team_public_key: null,
    guest: undefined,
    ...extra,
  };
}

const guestStatus = (
  lockedAt: Date | null,
  lockedUntil = lockedAt && new Date(lockedAt.getTime() + 60_000),
) => ({
  method: 'sms' as const,
  phone: null,
  phoneHint: null,
  accessCodeHint: null,
  accessCode: null,
  hasServerShare: true,
  verifiedAt: null,
  lockedAt,
  lockedUntil,
  noCodeAt: null,
});

describe('canRead: staff read what they take part in, in their own organisation', () => {
  it.each([
    ['a direct recipient', actor('reader'), [participant()], true],
    [
      'a member of a recipient team (a team row stands for them)',
      actor('member'),
      [participant({ kind: 'team', team_id: 't' })],
      true,
    ],
    ['someone with no row in the conversation', actor('stranger'), [], false],
    ['a participant of another organisation', actor('reader', 'org-b'), [participant()], false],
  ])('%s', (_name, who, viewer, expected) => {
    expect(canRead(who, conversation(), viewer)).toBe(expected);
  });
});

describe('canManage: only the sender revokes, moves the expiry and reads the proof of delivery', () => {
  it.each([
    ['the sender', conversation(), actor('sender'), true],
    ['a recipient', conversation(), actor('reader'), false],
    [
      'anyone, when a guest started it (contact page)',
      conversation({ sender_user_id: null }),
      actor('reader'),
      false,
    ],
  ])('%s', (_name, c, who, expected) => {
    expect(canManage(who, c)).toBe(expected);
  });
});

describe('canWrite: until the conversation expires', () => {
  it.each([
    ['before expiry', conversation(), true],
    ['at expiry', conversation({ expires_at: now }), false],
    ['after expiry', conversation({ expires_at: new Date(now.getTime() - 1) }), false],
  ])('%s', (_name, c, expected) => {
    expect(canWrite(c, now)).toBe(expected);
  });
});

describe('canSeeParticipant: Bcc is the sender’s business', () => {
  it.each([
    ['the sender sees a Bcc', true, actor('sender'), participant({ role: 'bcc', user_id: 'x' }), true],
    ['a Bcc recipient sees themselves', false, actor('x'), participant({ role: 'bcc', user_id: 'x' }), true],
    [
      'another recipient does not see a Bcc',
      false,
      actor('reader'),
      participant({ role: 'bcc', user_id: 'x' }),
      false,
    ],
    ['everyone sees To and Cc', false, actor('reader'), participant({ role: 'cc', user_id: 'x' }), true],
  ])('%s', (_name, isManager, who, p, expected) => {
    expect(canSeeParticipant(who, isManager, p)).toBe(expected);
  });
});

describe('guestRefusal: a guest reads while not revoked, expired or locked', () => {
  const guest = (extra: Partial<ParticipantView>) =>
    participant({ kind: 'guest', user_id: null, address: 'g@example.nl', ...extra });
  it.each([
    ['an active guest', guest({ guest: guestStatus(null) }), conversation(), null],
    ['a revoked guest', guest({ revoked_at: now }), conversation(), 'message_revoked'],
    ['an expired conversation', guest({}), conversation({ expires_at: now }), 'message_expired'],
    ['a purged conversation', guest({}), conversation({ purged_at: now }), 'message_expired'],
    ['a locked guest', guest({ guest: guestStatus(now) }), conversation(), 'message_locked'],
    ['a lock that has ended', guest({ guest: guestStatus(new Date(0), now) }), conversation(), null],
    [
      'revoked wins over locked',
      guest({ revoked_at: now, guest: guestStatus(now) }),
      conversation(),
      'message_revoked',
    ],
  ])('%s', (_name, p, c, code) => {
    expect(guestRefusal(p, c, now)?.code ?? null).toBe(code);
  });
});
