import type { MessageSettings } from '@zegel/protocol/api';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { type ApiError, toApiError } from '../../api/index.ts';
import type { Progress } from '../conversations/index.ts';
import type { DlpCheck, DlpStop } from '../dlp/index.ts';
import type { useFileUploads } from '../files/index.ts';
import type { UnlockedKeys } from '../keys/index.ts';
import {
  type DraftErrors,
  expiryMoment,
  findDraftErrors,
  firstProblemId,
  type useExpiry,
} from './compose-draft.ts';
import { auditSentCheck, passLeakPrevention } from './compose-leak-check.ts';
import { findRecipientIssues } from './recipient-issues.ts';
import {
  type ComposeRecipient,
  type RecipientIssue,
  RecipientsIncompleteError,
  sendMessage,
} from './send-message.ts';

const focusDlp = () => setTimeout(() => document.getElementById('compose-dlp')?.focus());

/**
 * The composer's way out: the draft's own checks, leak prevention (which may stop or ask), then
 * encryption and sending, and the conversation it became. What went wrong is returned for the form.
 */
export function useSendDraft({
  keys,
  settings,
  draft,
  expiry,
  uploads,
  finalCheck,
}: {
  keys: UnlockedKeys;
  settings: MessageSettings;
  draft: {
    recipients: ComposeRecipient[];
    subject: string;
    bodyHtml: string;
    files: File[];
    conversationId: string;
  };
  expiry: ReturnType<typeof useExpiry>;
  uploads: ReturnType<typeof useFileUploads>;
  finalCheck: () => Promise<DlpCheck | undefined>;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { recipients, subject, bodyHtml, files, conversationId } = draft;
  const [issues, setIssues] = useState<RecipientIssue[]>([]);
  const [fieldErrors, setFieldErrors] = useState<DraftErrors>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [dlpStop, setDlpStop] = useState<DlpStop>('none');
  // biome-ignore lint/correctness/useExhaustiveDependencies: any change to the draft is checked (and asked about) afresh.
  useEffect(() => setDlpStop('none'), [subject, bodyHtml, files, recipients]);

  /** True when the draft may go: its fields are complete and every recipient can be reached. */
  function checkDraft(): boolean {
    const errors = findDraftErrors({ recipients, subject, ...expiry }, t);
    const found = findRecipientIssues(recipients, settings.allowEmailOnly, t);
    setFieldErrors(errors);
    setIssues(found);
    setError(null);
    const problemId = firstProblemId(errors, found.length > 0);
    if (problemId) document.getElementById(problemId)?.focus();
    return problemId === null;
  }

  async function submit(event: FormEvent | null, isOverride = false) {
    event?.preventDefault();
    if (uploads.pending > 0) {
      document.getElementById('compose-files-waiting')?.focus();
      return;
    }
    if (!checkDraft()) return;
    const leak = await passLeakPrevention(await finalCheck(), recipients, isOverride);
    if (leak.outcome === 'failed') {
      setError(leak.error);
      return;
    }
    if (leak.outcome !== 'send') {
      setDlpStop(leak.outcome);
      focusDlp();
      return;
    }
    setDlpStop('none');
    await send(leak.check, isOverride);
  }

  async function send(check: DlpCheck | undefined, isOverride: boolean) {
    try {
      const sent = await sendMessage(
        {
          recipients,
          subject: subject.trim(),
          bodyHtml,
          files,
          largeFiles: uploads.views.map((view) => view.entry),
          conversationId,
          expiresAt: expiryMoment(expiry.expiry).toISOString(),
        },
        keys,
        setProgress,
      );
      await auditSentCheck(check, recipients, isOverride, sent.conversationId);
      await uploads.clear();
      void navigate(`/conversations/${sent.conversationId}`, { state: { justSent: true } });
    } catch (caught) {
      setProgress(null);
      if (caught instanceof RecipientsIncompleteError) {
        setIssues(caught.issues);
        setTimeout(() => document.getElementById('compose-issues')?.focus());
      } else setError(toApiError(caught));
    }
  }

  return { submit, issues, fieldErrors, error, progress, dlpStop };
}
