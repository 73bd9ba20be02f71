import { type ApiError, api, toApiError } from '../../api/index.ts';
import { type DlpCheck, toDlpEvent } from '../dlp/index.ts';
import type { ComposeRecipient } from './send-message.ts';

export type LeakOutcome =
  | { outcome: 'send'; check: DlpCheck | undefined }
  | { outcome: 'blocked' | 'confirm' }
  | { outcome: 'failed'; error: ApiError };

/**
 * Leak prevention on what is on screen now (docs/dlp.md): a block stops (and is recorded), a
 * suggestion or warning asks first; a confirmed override is recorded before anything leaves the
 * browser.
 */
export async function passLeakPrevention(
  check: DlpCheck | undefined,
  recipients: ComposeRecipient[],
  isOverride: boolean,
): Promise<LeakOutcome> {
  if (check?.verdict.isBlocked) {
    const report = toDlpEvent(check, recipients, 'blocked');
    if (report) void api.post('/api/dlp/overrides', report).catch(() => undefined);
    return { outcome: 'blocked' };
  }
  if (check && (check.verdict.shown.length > 0 || check.isTextUnscanned)) {
    if (!isOverride) return { outcome: 'confirm' };
    const report = toDlpEvent(check, recipients, 'overridden');
    try {
      if (report) await api.post('/api/dlp/overrides', report);
    } catch (caught) {
      return { outcome: 'failed', error: toApiError(caught) };
    }
  }
  return { outcome: 'send', check };
}

/** After sending: a check that was not overridden is recorded against the new conversation. */
export async function auditSentCheck(
  check: DlpCheck | undefined,
  recipients: ComposeRecipient[],
  isOverride: boolean,
  conversationId: string,
): Promise<void> {
  const audited =
    check && !(isOverride && check.verdict.shown.length > 0)
      ? toDlpEvent(check, recipients, 'audited', conversationId)
      : null;
  if (audited) await api.post('/api/dlp/overrides', audited).catch(() => undefined);
}
