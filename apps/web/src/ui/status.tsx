import { Paragraph } from '@nl-design-system-candidate/paragraph-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A polite live region, so "loading" and its end are announced without stealing focus. */
export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <p className="utrecht-paragraph zegel-loading" role="status">
      <span className="zegel-spinner" aria-hidden="true" />
      {label ?? t('common.loading')}
    </p>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <Paragraph className="utrecht-paragraph zegel-empty">{children}</Paragraph>;
}
