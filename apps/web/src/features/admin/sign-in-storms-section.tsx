import type { SignInStorms } from '@zegel/protocol/api';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/index.ts';
import { ErrorAlert, LoadedTable, Section, useLoad } from '../../ui/index.ts';

const loadStorms = () => api.get<SignInStorms>('/api/admin/sign-in-storms').then((s) => s.accounts);

/**
 * Lock-out storms: accounts with failed or refused sign-ins in the last hour or two. Many refused
 * attempts on one account mean someone is guessing; the account itself is never locked.
 */
export function SignInStormsSection() {
  const { t } = useTranslation();
  const storms = useLoad(loadStorms);
  return (
    <Section id="sign-in-storms" title={t('admin.signInStorms.title')}>
      <p className="utrecht-paragraph">{t('admin.signInStorms.intro')}</p>
      <ErrorAlert error={storms.error} />
      <LoadedTable
        load={storms}
        empty={t('admin.signInStorms.empty')}
        caption={t('admin.signInStorms.title')}
        rowKey={(row) => row.userId}
        columns={[
          { header: t('admin.users.name'), cell: (row) => row.name, isRowHeader: true },
          { header: t('auth.fields.email'), cell: (row) => row.email },
          { header: t('admin.signInStorms.failed'), cell: (row) => row.failed },
          { header: t('admin.signInStorms.refused'), cell: (row) => row.refused },
        ]}
      />
    </Section>
  );
}
