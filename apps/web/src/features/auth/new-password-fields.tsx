import { checkPassword, PASSWORD_MIN_LENGTH, type PasswordContext } from '@zegel/protocol/password-rules';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { TextField } from '../../ui/index.ts';

export interface NewPasswordErrors {
  password?: string;
  confirmation?: string;
}

/** Checks a new password with the NIST 800-63B rules and the confirmation; messages in the page's language. */
export function validateNewPassword(
  t: TFunction,
  password: string,
  confirmation: string,
  context: PasswordContext,
): NewPasswordErrors {
  const errors: NewPasswordErrors = {};
  const check = checkPassword(password, context);
  const first = check.problems[0];
  if (first) errors.password = t(`password.problems.${first}`, { min: PASSWORD_MIN_LENGTH });
  if (!errors.password && confirmation !== password) errors.confirmation = t('password.mismatch');
  return errors;
}

interface NewPasswordFieldsProps {
  idPrefix: string;
  password: string;
  confirmation: string;
  onPasswordChange: (value: string) => void;
  onConfirmationChange: (value: string) => void;
  errors: NewPasswordErrors;
}

/** A new password and its confirmation, with the rules stated up front (no composition rules). */
export function NewPasswordFields({
  idPrefix,
  password,
  confirmation,
  onPasswordChange,
  onConfirmationChange,
  errors,
}: NewPasswordFieldsProps) {
  const { t } = useTranslation();
  return (
    <>
      <TextField
        id={`${idPrefix}-password`}
        label={t('password.new')}
        description={t('password.rules', { min: PASSWORD_MIN_LENGTH })}
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={onPasswordChange}
        error={errors.password}
      />
      <TextField
        id={`${idPrefix}-confirmation`}
        label={t('password.confirm')}
        type="password"
        autoComplete="new-password"
        value={confirmation}
        onChange={onConfirmationChange}
        error={errors.confirmation}
      />
    </>
  );
}

/** Moves focus to the first field with an error, so the message is read out. */
export function focusFirstError(
  idPrefix: string,
  errors: NewPasswordErrors,
  extra: Record<string, string | undefined> = {},
): boolean {
  const firstExtra = Object.entries(extra).find(([, message]) => message)?.[0];
  const id =
    firstExtra ??
    (errors.password ? `${idPrefix}-password` : errors.confirmation ? `${idPrefix}-confirmation` : null);
  if (!id) return false;
  document.getElementById(id)?.focus();
  return true;
}
