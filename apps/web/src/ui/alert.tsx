import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/index.ts';

export type AlertType = 'info' | 'ok' | 'warning' | 'error';

/** A Utrecht alert; errors and confirmations are announced (`role="alert"` / `role="status"`). */
export function Alert({
  type,
  children,
  title,
}: {
  type: AlertType;
  children?: ReactNode;
  title?: ReactNode;
}) {
  return (
    <div className={`utrecht-alert utrecht-alert--${type}`} role={type === 'error' ? 'alert' : 'status'}>
      <div className="utrecht-alert__content">
        {title ? <p className="utrecht-alert__title zegel-alert-title">{title}</p> : null}
        <div className="utrecht-alert__message">{children}</div>
      </div>
    </div>
  );
}

/**
 * Shows an API error in words people understand (by its stable code, falling back to the
 * server's message) with the request id, which support needs to find what happened.
 */
export function ErrorAlert({ error }: { error: ApiError | null | undefined }) {
  const { t } = useTranslation();
  if (!error) return null;
  const message = t(`errors.${error.code}`, { defaultValue: error.message });
  return (
    <Alert type="error" title={t('errors.title')}>
      <p className="utrecht-paragraph">{message}</p>
      {error.requestId ? (
        <p className="utrecht-paragraph zegel-request-id">
          {t('errors.requestId')} <code className="utrecht-code">{error.requestId}</code>
        </p>
      ) : null}
    </Alert>
  );
}
