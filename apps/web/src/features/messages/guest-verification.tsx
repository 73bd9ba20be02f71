import type { VerificationMethod } from '@zegel/protocol/api';
import { MessageLimits } from '@zegel/protocol/limits';
import { useTranslation } from 'react-i18next';
import { CheckboxField, TextField } from '../../ui/index.ts';
import type { GuestRecipient } from './compose-draft.ts';
import type { RecipientIssue } from './send-message.ts';

/** A guest recipient's verification: the method, its phone number or access code, and remembering it. */
export function GuestVerification({
  guest,
  allowEmailOnly,
  problems,
  onChange,
}: {
  guest: GuestRecipient;
  allowEmailOnly: boolean;
  problems: RecipientIssue[];
  onChange: (change: Partial<GuestRecipient>) => void;
}) {
  const { t } = useTranslation();
  const base = `verify-${guest.address.replace(/[^a-zA-Z0-9]+/g, '-')}`;
  const problemFor = (field: RecipientIssue['field']) => {
    const problem = problems.find((p) => p.field === field);
    return problem
      ? t(`messages.compose.problems.${problem.field}.${problem.problem}`, { defaultValue: problem.message })
      : undefined;
  };
  const methods: VerificationMethod[] = allowEmailOnly
    ? ['sms', 'access_code', 'email_only']
    : ['sms', 'access_code'];
  const methodError = problemFor('method') ?? problemFor('recipient') ?? problemFor('address');
  return (
    <fieldset
      className="utrecht-form-fieldset zegel-fieldset zegel-guest-verification"
      aria-describedby={methodError ? `${base}-error` : undefined}
    >
      <legend className="utrecht-form-fieldset__legend">
        {t('messages.compose.verificationFor', { address: guest.address })}
      </legend>
      {methodError ? (
        <p className="utrecht-form-field-error-message" id={`${base}-error`}>
          {methodError}
        </p>
      ) : null}
      <div className="zegel-radio-group" role="radiogroup" aria-label={t('messages.compose.method')}>
        {methods.map((method) => (
          <div key={method} className="utrecht-form-field utrecht-form-field--radio zegel-radio-row">
            <input
              type="radio"
              className="utrecht-radio-button utrecht-radio-button--html-input"
              id={`${base}-${method}`}
              name={`${base}-method`}
              checked={guest.method === method}
              onChange={() => onChange({ method })}
            />
            <label className="utrecht-form-label utrecht-form-label--radio" htmlFor={`${base}-${method}`}>
              {t(`messages.methods.${method}`)}
            </label>
          </div>
        ))}
      </div>
      {guest.method === 'sms' ? (
        <TextField
          id={`${base}-phone`}
          type="tel"
          autoComplete="off"
          label={t('messages.compose.phone')}
          description={t('messages.compose.phoneHelp')}
          value={guest.phone}
          onChange={(phone) => onChange({ phone })}
          error={problemFor('phone')}
        />
      ) : null}
      {guest.method === 'access_code' ? (
        <>
          <TextField
            id={`${base}-code`}
            autoComplete="off"
            label={t('messages.compose.accessCode')}
            description={t('messages.compose.accessCodeHelp')}
            value={guest.accessCode}
            onChange={(accessCode) => onChange({ accessCode })}
            error={problemFor('accessCode')}
          />
          <TextField
            id={`${base}-hint`}
            autoComplete="off"
            label={t('messages.compose.accessCodeHint')}
            description={t('messages.compose.accessCodeHintHelp')}
            maxLength={MessageLimits.maxAccessCodeHintLength}
            value={guest.accessCodeHint}
            onChange={(accessCodeHint) => onChange({ accessCodeHint })}
          />
        </>
      ) : null}
      {guest.method === 'email_only' ? (
        <p className="utrecht-paragraph zegel-warning-text">{t('messages.compose.emailOnlyWarning')}</p>
      ) : null}
      <CheckboxField
        id={`${base}-remember`}
        label={t('messages.compose.remember')}
        checked={guest.remember}
        onChange={(remember) => onChange({ remember })}
      />
    </fieldset>
  );
}
