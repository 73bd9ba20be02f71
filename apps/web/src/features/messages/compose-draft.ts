import { MessageLimits } from '@zegel/protocol/limits';
import type { TFunction } from 'i18next';
import { useCallback, useMemo, useState } from 'react';
import type { ComposeRecipient } from './send-message.ts';

export type GuestRecipient = Extract<ComposeRecipient, { kind: 'guest' }>;
export type DraftErrors = { to?: string; subject?: string; expiry?: string };

const DAY_MS = 86_400_000;

export function toDateInput(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The message expires at the end of the chosen day (local time). */
export function expiryMoment(expiry: string): Date {
  return new Date(`${expiry}T23:59:00`);
}

/** The expiry field: the organisation's default until changed, from tomorrow to the maximum. */
export function useExpiry(defaultExpiryDays: number | undefined) {
  const [expiryDate, setExpiryDate] = useState<string | null>(null);
  const defaultExpiry = useMemo(() => {
    const days = defaultExpiryDays ?? MessageLimits.defaultExpiryDays;
    return toDateInput(new Date(Date.now() + days * DAY_MS));
  }, [defaultExpiryDays]);
  return {
    expiry: expiryDate ?? defaultExpiry,
    setExpiryDate,
    minDate: toDateInput(new Date(Date.now() + DAY_MS)),
    maxDate: toDateInput(new Date(Date.now() + MessageLimits.maxExpiryDays * DAY_MS)),
  };
}

/** The draft's recipients: each added once, removed by key, and a guest's verification changed. */
export function useRecipients() {
  const [recipients, setRecipients] = useState<ComposeRecipient[]>([]);
  const add = useCallback((recipient: ComposeRecipient) => {
    setRecipients((current) =>
      current.some((r) => r.key === recipient.key) ? current : [...current, recipient],
    );
  }, []);
  const remove = useCallback(
    (key: string) => setRecipients((current) => current.filter((r) => r.key !== key)),
    [],
  );
  const update = (key: string, change: Partial<GuestRecipient>) =>
    setRecipients((current) =>
      current.map((r) => (r.key === key && r.kind === 'guest' ? { ...r, ...change } : r)),
    );
  return { recipients, add, remove, update };
}

/** What is missing or wrong in the draft's own fields (recipients' details are checked apart). */
export function findDraftErrors(
  draft: {
    recipients: ComposeRecipient[];
    subject: string;
    expiry: string;
    minDate: string;
    maxDate: string;
  },
  t: TFunction,
): DraftErrors {
  const errors: DraftErrors = {};
  if (draft.recipients.length === 0) errors.to = t('messages.compose.errors.noRecipients');
  if (!draft.subject.trim()) errors.subject = t('messages.compose.errors.subjectMissing');
  const { expiry, minDate, maxDate } = draft;
  if (Number.isNaN(expiryMoment(expiry).getTime()) || expiry < minDate || expiry > maxDate)
    errors.expiry = t('messages.compose.errors.expiryInvalid', { max: MessageLimits.maxExpiryDays });
  return errors;
}

/** The element to focus for the first problem, or null when there is none. */
export function firstProblemId(errors: DraftErrors, hasRecipientIssues: boolean): string | null {
  if (hasRecipientIssues) return 'compose-issues';
  if (errors.to) return 'compose-to';
  if (errors.subject) return 'compose-subject';
  if (errors.expiry) return 'compose-expiry';
  return null;
}
