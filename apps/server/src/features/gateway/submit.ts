import { encryptItem, fromBase64Url, toBase64Url } from '@zegel/protocol/crypto';
import { type DlpPolicy, defaultPolicy, extractAttachmentText } from '@zegel/protocol/dlp';
import type { MailRelay } from '../../adapters/mail-relay.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import { getDlpPolicy } from '../dlp/index.ts';
import { findStaffHolders } from '../keys/index.ts';
import { sendMessage } from '../messages/index.ts';
import { classifyMail, defaultGatewaySettings, type GatewaySettings } from './classify.ts';
import { encodeItem, type MailAttachment, storeEncryptedAttachments, textToBodyHtml } from './content.ts';
import { type DirectDelivery, deliverDirectly } from './direct.ts';
import { heldNoticeJob } from './jobs.ts';
import { LOOP_HEADER, loopHeaderValue } from './loop.ts';
import { type RecipientRoute, routeRecipients } from './recipients.ts';
import { insertSubmission, selectSettings } from './store.ts';

/** What the gateway needs besides the shared deps: the relay, and direct delivery when set up. */
export type GatewayDeps = Deps & { relay: MailRelay; direct: DirectDelivery | undefined };

/** A submitted mail, parsed, in memory only. */
export interface SubmittedMail {
  envelopeFrom: string;
  recipients: string[];
  subject: string;
  sensitivity: string | undefined;
  text: string;
  attachments: MailAttachment[];
  raw: Buffer;
  size: number;
}

export interface SubmitResult {
  outcome: 'secure' | 'relay';
  conversationId: string | null;
  routes: { address: string; route: RecipientRoute['route'] | 'relay' }[];
}

export async function gatewaySettings(deps: Deps, organisationId: string): Promise<GatewaySettings> {
  const row = await selectSettings(deps.db, organisationId);
  return row ? { alwaysSecure: row.always_secure, subjectTags: row.subject_tags } : defaultGatewaySettings;
}

async function organisationPolicy(deps: Deps, organisationId: string): Promise<DlpPolicy> {
  const policy = await getDlpPolicy(deps, organisationId);
  return { rules: policy.rules, exemptDomains: policy.exemptDomains ?? defaultPolicy.exemptDomains };
}

/** The texts leak prevention reads: the body and what can be read from each attachment. */
async function textsOf(mail: SubmittedMail): Promise<string[]> {
  const texts = [mail.text];
  for (const attachment of mail.attachments) {
    const extracted = await extractAttachmentText(attachment.content, attachment.name);
    if (extracted.status === 'ok') texts.push(extracted.text);
  }
  return texts;
}

/** Encrypts the mail in the composer's format and sends it through `messages` to the reachable recipients. */
async function sendSecurely(
  deps: Deps,
  actor: Actor,
  mail: SubmittedMail,
  subject: string,
  reachable: Extract<RecipientRoute, { itemRecipient: unknown }>[],
  origin: RequestOrigin,
) {
  const [sender] = (await findStaffHolders(deps, { userIds: [actor.userId], teamIds: [] })).values();
  if (!sender?.publicKey)
    throw new GatewayRefusal(550, '5.7.1 Set up your keys in Zegel before sending through the gateway');
  const attachments = await storeEncryptedAttachments(deps, actor, mail.attachments);
  const itemId = crypto.randomUUID();
  const conversationId = crypto.randomUUID();
  const encrypted = await encryptItem({
    itemId,
    plaintext: encodeItem({ subject, bodyHtml: textToBodyHtml(mail.text), attachments }),
    recipients: [
      { recipientId: actor.userId, publicKey: fromBase64Url(sender.publicKey) },
      ...reachable.map((r) => r.itemRecipient),
    ],
  });
  await sendMessage(
    deps,
    actor,
    {
      conversationId,
      itemId,
      item: toBase64Url(encrypted.ciphertext),
      attachments: attachments.map((a) => ({ id: a.id })),
      recipients: reachable.map((r) => r.input),
      wrappedKeys: encrypted.wrappedKeys.map((w) => ({
        holderId: w.recipientId,
        wrappedKey: toBase64Url(w.wrappedKey),
      })),
    },
    origin,
  );
  return conversationId;
}

/** An SMTP answer the gateway gives on purpose (a refusal with its code and text). */
export class GatewayRefusal extends Error {
  readonly responseCode: number;
  constructor(responseCode: number, message: string) {
    super(message);
    this.responseCode = responseCode;
  }
}

/**
 * Handles one authenticated submission: classifies it, then either passes it on unchanged
 * through the organisation's relay, or encrypts it at once and sends it as a secure message
 * to every recipient that can be reached safely, holding the others. Returns once everything is
 * committed to the database (or relayed), so the listener may answer `250`.
 */
export async function submitMail(
  deps: GatewayDeps,
  actor: Actor,
  senderAddress: string,
  mail: SubmittedMail,
  origin: RequestOrigin,
): Promise<SubmitResult> {
  const [settings, policy] = await Promise.all([
    gatewaySettings(deps, actor.organisationId),
    organisationPolicy(deps, actor.organisationId),
  ]);
  const classification = classifyMail({
    subject: mail.subject,
    sensitivity: mail.sensitivity,
    texts: await textsOf(mail),
    policy,
    settings,
  });
  const submissionId = crypto.randomUUID();
  const base = {
    id: submissionId,
    organisation_id: actor.organisationId,
    user_id: actor.userId,
    received_at: deps.clock.now(),
    reasons: classification.reasons,
    size: mail.size,
  };
  if (!classification.protect) {
    await deps.relay.relay({
      from: mail.envelopeFrom,
      to: mail.recipients,
      raw: Buffer.concat([
        Buffer.from(`${LOOP_HEADER}: ${loopHeaderValue(deps.config.secret)}\r\n`),
        mail.raw,
      ]),
      subject: mail.subject,
      text: mail.text,
    });
    await insertSubmission(
      deps.db,
      { ...base, outcome: 'relay', conversation_id: null },
      mail.recipients.map((address) => ({
        submission_id: submissionId,
        address,
        route: 'relay',
        reason: null,
      })),
    );
    await auditReceived(deps, actor, origin, submissionId, 'relay', classification.reasons);
    return {
      outcome: 'relay',
      conversationId: null,
      routes: mail.recipients.map((address) => ({ address, route: 'relay' })),
    };
  }
  const routes = await routeRecipients(deps, actor, mail.recipients, origin, (external) =>
    deliverDirectly(deps, deps.direct, {
      organisationId: actor.organisationId,
      from: senderAddress,
      subject: classification.subject,
      mail,
      addresses: external,
    }),
  );
  const reachable = routes.filter(
    (r): r is Extract<RecipientRoute, { itemRecipient: unknown }> => 'itemRecipient' in r,
  );
  const held = routes.filter((r) => r.route === 'held');
  const conversationId =
    reachable.length > 0
      ? await sendSecurely(deps, actor, mail, classification.subject, reachable, origin)
      : null;
  if (!conversationId && held.length === routes.length)
    throw new GatewayRefusal(
      550,
      '5.7.1 No recipient of this secure mail can be reached yet (no verification details); send it from Zegel',
    );
  // The record and the sender's "complete sending" notice commit together (the notice goes out
  // from the job queue, with retries), so a failed mail send never makes the client resubmit.
  await inTransaction(deps, async (tx) => {
    await insertSubmission(
      tx.db,
      { ...base, outcome: 'secure', conversation_id: conversationId },
      routes.map((r) => ({
        submission_id: submissionId,
        address: r.address,
        route: r.route,
        reason: r.route === 'held' ? r.reason : null,
      })),
    );
    if (held.length > 0) await enqueueJob(deps.jobs, heldNoticeJob, { submissionId }, {}, tx.db);
  });
  await auditReceived(deps, actor, origin, submissionId, 'secure', classification.reasons);
  return {
    outcome: 'secure',
    conversationId,
    routes: routes.map((r) => ({ address: r.address, route: r.route })),
  };
}

async function auditReceived(
  deps: Deps,
  actor: Actor,
  origin: RequestOrigin,
  submissionId: string,
  outcome: 'secure' | 'relay',
  reasons: Record<string, number>,
) {
  await deps.audit.record({
    action: AuditAction.gatewayMailReceived,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'gateway_submission', id: submissionId },
    details: { outcome, reasons },
  });
}
