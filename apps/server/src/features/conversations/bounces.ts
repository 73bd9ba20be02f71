import { simpleParser } from 'mailparser';
import type { Deps } from '../../deps.ts';
import { RECIPIENT_HEADER } from './link-secret.ts';
import { markBounced } from './notify.ts';
import { selectConversations, selectParticipantRow } from './store.ts';

const RECIPIENT_PATTERN = new RegExp(`^${RECIPIENT_HEADER}:\\s*([0-9a-f-]{36})\\s*$`, 'im');

/**
 * Reads a delivery status notification (RFC 3464) that the relay sent back for a notification
 * mail and marks that recipient bounced, telling the sender. The recipient is found through the
 * `X-Zegel-Recipient` header of the returned original headers; only permanent failures
 * (`Action: failed` with a 5.x.x status) count. Called by the inbound mail hook (SMTP gateway);
 * returns what it did, for that hook's log.
 */
export async function processDeliveryReport(
  deps: Deps,
  raw: string | Buffer,
): Promise<{ outcome: 'bounced' | 'ignored'; reason?: string }> {
  const parsed = await simpleParser(raw);
  const parts = [
    parsed.text ?? '',
    ...parsed.attachments.map((a) =>
      /^(message|text)\//.test(a.contentType) ? a.content.toString('utf8') : '',
    ),
  ].join('\n');
  const action = /^Action:\s*(\w+)/im.exec(parts)?.[1]?.toLowerCase();
  const status = /^Status:\s*(\d\.\d{1,3}\.\d{1,3})/im.exec(parts)?.[1];
  const participantId = RECIPIENT_PATTERN.exec(parts)?.[1];
  if (action !== 'failed' || !status?.startsWith('5') || !participantId)
    return { outcome: 'ignored', reason: 'not a permanent failure of a Zegel notification' };
  const participant = await selectParticipantRow(deps.db, participantId);
  const [conversation] = participant ? await selectConversations(deps.db, [participant.conversation_id]) : [];
  if (!participant || !conversation) return { outcome: 'ignored', reason: 'unknown recipient' };
  if (participant.bounced_at) return { outcome: 'ignored', reason: 'already bounced' };
  await markBounced(deps, participant, conversation, `delivery report: status ${status}`);
  return { outcome: 'bounced' };
}
