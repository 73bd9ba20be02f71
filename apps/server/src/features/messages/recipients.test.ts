import type { RecipientInput } from '@zegel/protocol/api';
import { toBase64Url } from '@zegel/protocol/crypto';
import { describe, expect, it } from 'vitest';
import type { StaffHolder } from '../keys/index.ts';
import { checkRecipient, type SendContext } from './recipients.ts';

/** The pure recipient checks of a send: no database, just what the send knows so far. */

const ORG = '00000000-0000-4000-8000-000000000001';
const OTHER_ORG = '00000000-0000-4000-8000-000000000002';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const key = toBase64Url(new Uint8Array(32).fill(7));

function holder(n: number, kind: 'user' | 'team', extra: Partial<StaffHolder> = {}): StaffHolder {
  return {
    holderId: id(n),
    kind,
    name: `${kind} ${n}`,
    organisationId: ORG,
    publicKey: key,
    isActive: true,
    ...extra,
  };
}

function context(extra: Partial<SendContext> = {}): SendContext {
  const holders = new Map(
    [
      holder(1, 'user'),
      holder(10, 'user'),
      holder(11, 'user', { publicKey: null }),
      holder(12, 'user', { isActive: false }),
      holder(13, 'user', { organisationId: OTHER_ORG }),
      holder(20, 'team'),
      holder(21, 'team', { publicKey: null }),
    ].map((h) => [h.holderId, h]),
  );
  return {
    organisationId: ORG,
    allowEmailOnly: false,
    minAccessCodeCost: { memoryKiB: 65536, iterations: 3 },
    holders,
    takenIds: [id(99)],
    seenHolders: new Set([id(1)]),
    seenAddresses: new Set(['seen@example.nl']),
    ...extra,
  };
}

function guest(extra: Record<string, unknown> = {}): RecipientInput {
  return {
    kind: 'guest',
    recipientId: id(50),
    address: ' Lawyer@Example.NL ',
    role: 'to',
    method: 'sms',
    phone: '06 12345678',
    serverShare: key,
    publicKey: key,
    linkSecret: key,
    ...extra,
  } as RecipientInput;
}

const problemsOf = (input: RecipientInput, ctx = context()) => {
  const checked = checkRecipient(3, input, ctx);
  return checked.ok ? [] : checked.problems.map((p) => `${p.field}:${p.problem}`);
};

describe('staff and team recipients', () => {
  it.each([
    ['a colleague with keys', { kind: 'user', userId: id(10), role: 'to' }, []],
    ['a colleague without keys', { kind: 'user', userId: id(11), role: 'to' }, ['publicKey:missing']],
    ['a deactivated colleague', { kind: 'user', userId: id(12), role: 'cc' }, ['recipient:unknown']],
    ['someone of another organisation', { kind: 'user', userId: id(13), role: 'to' }, ['recipient:unknown']],
    ['an unknown id', { kind: 'user', userId: id(14), role: 'to' }, ['recipient:unknown']],
    ['a team id given as a person', { kind: 'user', userId: id(20), role: 'to' }, ['recipient:unknown']],
    ['the sender', { kind: 'user', userId: id(1), role: 'to' }, ['recipient:duplicate']],
    ['a team with a key', { kind: 'team', teamId: id(20), role: 'bcc' }, []],
    ['a team without a key', { kind: 'team', teamId: id(21), role: 'to' }, ['publicKey:missing']],
    ['a person given as a team', { kind: 'team', teamId: id(10), role: 'to' }, ['recipient:unknown']],
  ] as const)('%s', (_name, input, expected) => {
    expect(problemsOf(input as RecipientInput)).toEqual(expected);
  });

  it('refuses a colleague or team listed twice', () => {
    const ctx = context({ seenHolders: new Set([id(1), id(10), id(20)]) });
    expect(problemsOf({ kind: 'user', userId: id(10), role: 'cc' }, ctx)).toEqual(['recipient:duplicate']);
    expect(problemsOf({ kind: 'team', teamId: id(20), role: 'cc' }, ctx)).toEqual(['recipient:duplicate']);
  });
});

describe('guest recipients', () => {
  it('normalises the address and the phone number and keeps how to verify', () => {
    const checked = checkRecipient(0, guest(), context());
    expect(checked.ok).toBe(true);
    if (!checked.ok || checked.participant.kind !== 'guest') return;
    expect(checked.participant.address).toBe('lawyer@example.nl');
    expect(checked.participant.credentials).toMatchObject({ method: 'sms', phone: '+31612345678' });
    expect(checked.guest?.remembered).toMatchObject({ address: 'lawyer@example.nl', method: 'sms' });
  });

  it('remembers nothing it was told not to', () => {
    const checked = checkRecipient(0, guest({ remember: false }), context());
    expect(checked.ok && checked.guest?.remembered).toBeNull();
  });

  it.each([
    ['an invalid address', { address: 'not an address' }, ['address:invalid']],
    ['an address already listed', { address: 'SEEN@example.nl' }, ['address:duplicate']],
    ['a recipient id another conversation took', { recipientId: id(99) }, ['recipient:duplicate']],
    ['SMS without a number', { phone: undefined }, ['phone:missing']],
    ['SMS with a number that is none', { phone: '12' }, ['phone:invalid']],
    ['an access code missing', { method: 'access_code', phone: undefined }, ['accessCode:missing']],
    [
      'e-mail only where the organisation does not allow it',
      { method: 'email_only' },
      ['method:not_allowed'],
    ],
    [
      'everything wrong at once, all of it named',
      { address: '@', recipientId: id(99), phone: '' },
      ['address:invalid', 'recipient:duplicate', 'phone:missing'],
    ],
  ] as const)('names %s', (_name, change, expected) => {
    expect(problemsOf(guest(change as never))).toEqual(expected);
  });

  const accessCode = {
    salt: toBase64Url(new Uint8Array(16)),
    params: { algorithm: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 1 },
    verifierHash: key,
  } as const;

  it.each([
    ['less memory than the deployment asks', { memoryKiB: 256, iterations: 3 }],
    ['fewer passes than the deployment asks', { memoryKiB: 65536, iterations: 1 }],
  ])('refuses an access-code verifier with %s', (_name, cost) => {
    const weak = { ...accessCode, params: { ...accessCode.params, ...cost } };
    expect(problemsOf(guest({ method: 'access_code', accessCode: weak, phone: undefined }))).toEqual([
      'accessCode:invalid',
    ]);
  });

  it('accepts an access-code verifier at the deployment’s cost', () => {
    expect(problemsOf(guest({ method: 'access_code', accessCode, phone: undefined }))).toEqual([]);
  });

  it('strips invisible characters from an access-code hint', () => {
    const checked = checkRecipient(
      0,
      guest({
        method: 'access_code',
        accessCode,
        accessCodeHint: 'uw \u202Egeboortedatum\u202C',
        phone: undefined,
      }),
      context(),
    );
    expect(
      checked.ok && checked.participant.kind === 'guest' && checked.participant.credentials.accessCodeHint,
    ).toBe('uw geboortedatum');
  });
});
