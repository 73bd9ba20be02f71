import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/index.ts';
import { CheckboxField } from '../../ui/index.ts';

/**
 * "Trust this browser for N days" at the code step, with the organisation's own number of days;
 * hidden when the organisation switched trusted browsers off (0 days).
 */
export function TrustDeviceField({
  id,
  checked,
  onChange,
}: {
  id: string;
  checked: boolean;
  onChange: (value: boolean) => void;
}) {
  const { t } = useTranslation();
  const { me } = useSession();
  const days = me?.organisation.trustedDeviceDays ?? 0;
  if (days === 0) return null;
  return (
    <CheckboxField
      id={id}
      label={t('auth.trustDevice', { count: days })}
      description={t('auth.trustDeviceDescription')}
      checked={checked}
      onChange={onChange}
    />
  );
}
