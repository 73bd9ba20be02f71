import type { RecipientInput, RecipientProblem } from '@zegel/protocol/api';
import { fromBase64Url } from '@zegel/protocol/crypto';
import type { NewParticipant } from '../conversations/index.ts';
import {
  cleanHint,
  normaliseAddress,
  normalisePhone,
  type RememberedRecipient,
} from '../guest-access/index.ts';
import type { StaffHolder } from '../keys/index.ts';

/**
 * Checking a send's recipients: one pure function per kind, each given what the send knows so
 * far (who is already a recipient, which addresses were seen) and answering with the problems
 * it found or the participant to store. `sendMessage` gathers every problem before refusing.
 */

type StaffInput = Extract<RecipientInput, { kind: 'user' }>;
type TeamInput = Extract<RecipientInput, { kind: 'team' }>;
type GuestInput = Extract<RecipientInput, { kind: 'guest' }>;

export interface SendContext {
  organisationId: string;
  allowEmailOnly: boolean;
  /**
   * The least Argon2id cost an access code's verifier may have: the deployment's own password
   * setting, so a browser cannot store a verifier that is cheap to brute-force.
   */
  minAccessCodeCost: { memoryKiB: number; iterations: number };
  /** People and teams of the send, by id, with their keys. */
  holders: ReadonlyMap<string, StaffHolder>;
  /** Guest ids some earlier conversation took. */
  takenIds: readonly string[];
  /** Holders added so far, the sender first. */
  seenHolders: Set<string>;
  seenAddresses: Set<string>;
}

export type Checked =
  | { ok: true; participant: NewParticipant; holderId: string; guest?: CheckedGuest }
  | { ok: false; problems: RecipientProblem[] };

export interface CheckedGuest {
  linkSecret: string;
  remembered: Omit<RememberedRecipient, 'updated_at'> | null;
}

const refuse = (...problems: RecipientProblem[]): Checked => ({ ok: false, problems });

/** A colleague: active, of this organisation, with keys, once. */
export function checkStaffRecipient(index: number, input: StaffInput, context: SendContext): Checked {
  const user = context.holders.get(input.userId);
  if (user?.kind !== 'user' || user.organisationId !== context.organisationId || !user.isActive)
    return refuse({ index, field: 'recipient', problem: 'unknown', message: 'There is no such colleague.' });
  if (context.seenHolders.has(user.holderId))
    return refuse({
      index,
      field: 'recipient',
      problem: 'duplicate',
      message: `${user.name} is already a recipient (or the sender).`,
    });
  if (!user.publicKey)
    return refuse({
      index,
      field: 'publicKey',
      problem: 'missing',
      message: `${user.name} has not set up their keys yet.`,
    });
  return {
    ok: true,
    holderId: user.holderId,
    participant: { id: crypto.randomUUID(), kind: 'user', role: input.role, userId: user.holderId },
  };
}

/** A team of this organisation that has a key, once. */
export function checkTeamRecipient(index: number, input: TeamInput, context: SendContext): Checked {
  const team = context.holders.get(input.teamId);
  if (team?.kind !== 'team' || team.organisationId !== context.organisationId)
    return refuse({ index, field: 'recipient', problem: 'unknown', message: 'There is no such team.' });
  if (context.seenHolders.has(team.holderId))
    return refuse({
      index,
      field: 'recipient',
      problem: 'duplicate',
      message: `${team.name} is already a recipient.`,
    });
  if (!team.publicKey)
    return refuse({
      index,
      field: 'publicKey',
      problem: 'missing',
      message: `Team ${team.name} has no key yet.`,
    });
  return {
    ok: true,
    holderId: team.holderId,
    participant: { id: crypto.randomUUID(), kind: 'team', role: input.role, teamId: team.holderId },
  };
}

/** What a guest's method needs: a valid mobile number, an access code, or permission for e-mail only. */
function methodProblems(
  index: number,
  shown: string,
  input: GuestInput,
  context: Pick<SendContext, 'allowEmailOnly' | 'minAccessCodeCost'>,
): { problems: RecipientProblem[]; phone: string | null } {
  const { allowEmailOnly, minAccessCodeCost: min } = context;
  const problems: RecipientProblem[] = [];
  const at = { index, address: shown };
  let phone: string | null = null;
  if (input.method === 'sms') {
    if (!input.phone?.trim())
      problems.push({
        ...at,
        field: 'phone',
        problem: 'missing',
        message: 'SMS verification needs a mobile number.',
      });
    else {
      phone = normalisePhone(input.phone) ?? null;
      if (!phone)
        problems.push({
          ...at,
          field: 'phone',
          problem: 'invalid',
          message: 'This is not a valid phone number.',
        });
    }
  }
  if (input.method === 'access_code' && !input.accessCode)
    problems.push({
      ...at,
      field: 'accessCode',
      problem: 'missing',
      message: 'Access-code verification needs an access code.',
    });
  const cost = input.method === 'access_code' ? input.accessCode?.params : undefined;
  if (cost && (cost.memoryKiB < min.memoryKiB || cost.iterations < min.iterations))
    problems.push({
      ...at,
      field: 'accessCode',
      problem: 'invalid',
      message: `The access code is protected too weakly: Argon2id needs at least ${min.memoryKiB} KiB and ${min.iterations} passes.`,
    });
  if (input.method === 'email_only' && !allowEmailOnly)
    problems.push({
      ...at,
      field: 'method',
      problem: 'not_allowed',
      message: 'Your organisation does not allow e-mail-only recipients.',
    });
  return { problems, phone };
}

/** An external address with the verification its method needs, and a recipient id never used. */
export function checkGuestRecipient(index: number, input: GuestInput, context: SendContext): Checked {
  const address = normaliseAddress(input.address);
  const shown = input.address.slice(0, 254);
  const problems: RecipientProblem[] = [];
  if (!address)
    problems.push({
      index,
      address: shown,
      field: 'address',
      problem: 'invalid',
      message: 'This is not a valid e-mail address.',
    });
  else if (context.seenAddresses.has(address))
    problems.push({
      index,
      address,
      field: 'address',
      problem: 'duplicate',
      message: 'This address is listed twice.',
    });
  if (context.seenHolders.has(input.recipientId) || context.takenIds.includes(input.recipientId))
    problems.push({
      index,
      address: shown,
      field: 'recipient',
      problem: 'duplicate',
      message: 'This recipient id is already used.',
    });
  const method = methodProblems(index, shown, input, context);
  problems.push(...method.problems);
  if (problems.length > 0 || !address) return refuse(...problems);
  const code = input.method === 'access_code' ? input.accessCode : undefined;
  const hint = input.method === 'access_code' ? cleanHint(input.accessCodeHint) : null;
  return {
    ok: true,
    holderId: input.recipientId,
    participant: {
      id: input.recipientId,
      kind: 'guest',
      role: input.role,
      address,
      publicKey: input.publicKey,
      credentials: {
        method: input.method,
        phone: method.phone,
        accessCode: code
          ? {
              salt: fromBase64Url(code.salt),
              params: code.params,
              verifierHash: fromBase64Url(code.verifierHash),
            }
          : undefined,
        accessCodeHint: hint,
        serverShare: fromBase64Url(input.serverShare),
      },
    },
    guest: {
      linkSecret: input.linkSecret,
      remembered:
        input.remember === false
          ? null
          : {
              organisation_id: context.organisationId,
              address,
              method: input.method,
              phone: method.phone,
              access_code_hint: hint,
            },
    },
  };
}

/** Checks one recipient of any kind. */
export function checkRecipient(index: number, input: RecipientInput, context: SendContext): Checked {
  if (input.kind === 'user') return checkStaffRecipient(index, input, context);
  if (input.kind === 'team') return checkTeamRecipient(index, input, context);
  return checkGuestRecipient(index, input, context);
}
