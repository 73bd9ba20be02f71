import { useTranslation } from 'react-i18next';
import { Alert } from '../../ui/index.ts';
import { recipientName } from './recipients-field.tsx';
import type { ComposeRecipient, RecipientIssue } from './send-message.ts';

/** Why nothing was sent: each recipient's problem, focused after a send attempt. */
export function RecipientIssuesAlert({
  issues,
  recipients,
}: {
  issues: RecipientIssue[];
  recipients: ComposeRecipient[];
}) {
  const { t } = useTranslation();
  if (issues.length === 0) return null;
  return (
    <div id="compose-issues" tabIndex={-1} className="zegel-issues">
      <Alert type="error" title={t('messages.compose.issuesTitle')}>
        <p className="utrecht-paragraph">{t('messages.compose.nothingSent')}</p>
        <ul className="utrecht-unordered-list">
          {issues.map((issue, index) => {
            const recipient = recipients.find((r) => r.key === issue.recipientKey);
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: problems have no identity of their own.
              <li key={index} className="utrecht-unordered-list__item">
                {recipient ? <strong>{recipientName(recipient)}: </strong> : null}
                {t(`messages.compose.problems.${issue.field}.${issue.problem}`, {
                  defaultValue: issue.message,
                })}
              </li>
            );
          })}
        </ul>
      </Alert>
    </div>
  );
}
