import type { TFunction } from 'i18next';
import { isEmailAddress } from './recipients-field.tsx';
import type { ComposeRecipient, RecipientIssue } from './send-message.ts';

/**
 * What the composer can see is missing before anything is encrypted: a colleague or team
 * without a key, a guest's address, phone or access code, or e-mail only where not allowed.
 */
export function findRecipientIssues(
  recipients: readonly ComposeRecipient[],
  allowEmailOnly: boolean,
  t: TFunction,
): RecipientIssue[] {
  const found: RecipientIssue[] = [];
  for (const r of recipients) {
    const issue = (field: RecipientIssue['field'], problem: RecipientIssue['problem'], message: string) =>
      found.push({ recipientKey: r.key, field, problem, message });
    if (r.kind !== 'guest') {
      if (!r.publicKey) issue('publicKey', 'missing', t('messages.compose.errors.noKey', { name: r.name }));
      continue;
    }
    if (!isEmailAddress(r.address)) issue('address', 'invalid', t('messages.compose.errors.addressInvalid'));
    if (r.method === 'sms' && !r.phone.trim())
      issue('phone', 'missing', t('messages.compose.errors.phoneMissing', { address: r.address }));
    if (r.method === 'access_code' && r.accessCode.trim().length < 4)
      issue('accessCode', 'missing', t('messages.compose.errors.accessCodeMissing', { address: r.address }));
    if (r.method === 'email_only' && !allowEmailOnly)
      issue(
        'method',
        'not_allowed',
        t('messages.compose.errors.emailOnlyNotAllowed', { address: r.address }),
      );
  }
  return found;
}
