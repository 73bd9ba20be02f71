import type { RouteReportResponse } from '@zegel/protocol/api';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, api, toApiError } from '../../api/index.ts';
import { Button, ErrorAlert, Page, Section, TextField } from '../../ui/index.ts';

const POSTCODE = /^[1-9][0-9]{3} ?[A-Za-z]{2}$/;

interface Address {
  postcode: string;
  houseNumber: string;
  addition: string;
}

/** What is wrong with the address, per field, before asking the server. */
function checkAddress(address: Address, t: (key: string) => string) {
  const errors: Partial<Record<keyof Address, string>> = {};
  if (!POSTCODE.test(address.postcode.trim())) errors.postcode = t('reports.find.postcodeInvalid');
  const number = Number(address.houseNumber);
  if (!Number.isInteger(number) || number < 1 || number > 99999)
    errors.houseNumber = t('reports.find.houseNumberInvalid');
  return errors;
}

function FoundMeldpunt({ found }: { found: RouteReportResponse }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <Section title={t('reports.find.resultTitle')} id="meldpunt-result">
      <h3 className="utrecht-heading-3" ref={heading} tabIndex={-1}>
        {found.meldpunt.name}
      </h3>
      <dl className="zegel-facts">
        <dt>{t('reports.find.address')}</dt>
        <dd>{found.address}</dd>
        <dt>{t('reports.find.municipality')}</dt>
        <dd>{`${found.municipality.name} (${found.municipality.code})`}</dd>
        <dt>{t('reports.find.organisation')}</dt>
        <dd>{found.meldpunt.organisation}</dd>
        <dt>{t('reports.find.openingHours')}</dt>
        <dd>{found.meldpunt.openingHours || '–'}</dd>
      </dl>
      <p className="utrecht-paragraph">{t('reports.find.confirm')}</p>
    </Section>
  );
}

/**
 * Where a care report about someone at an address goes: the municipality from postcode and house
 * number (PDOK Locatieserver, through the server) and the meldpunt of the organisation's directory.
 * The report form itself follows (docs/reports.md).
 */
export function FindMeldpuntPage() {
  const { t } = useTranslation();
  const [address, setAddress] = useState<Address>({ postcode: '', houseNumber: '', addition: '' });
  const [errors, setErrors] = useState<Partial<Record<keyof Address, string>>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [found, setFound] = useState<RouteReportResponse | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const set = (field: keyof Address) => (value: string) => setAddress((a) => ({ ...a, [field]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFound(null);
    setError(null);
    const problems = checkAddress(address, t);
    setErrors(problems);
    const first = Object.keys(problems)[0];
    if (first) return document.getElementById(`meldpunt-${first}`)?.focus();
    setIsBusy(true);
    try {
      const body = { postcode: address.postcode.trim(), houseNumber: Number(address.houseNumber) };
      const addition = address.addition.trim();
      setFound(
        await api.post<RouteReportResponse>('/api/reports/route', addition ? { ...body, addition } : body),
      );
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <Page title={t('reports.find.title')}>
      <p className="utrecht-paragraph">{t('reports.find.intro')}</p>
      <form className="zegel-form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          id="meldpunt-postcode"
          label={t('reports.find.postcode')}
          value={address.postcode}
          onChange={set('postcode')}
          error={errors.postcode}
          autoComplete="off"
        />
        <TextField
          id="meldpunt-houseNumber"
          label={t('reports.find.houseNumber')}
          value={address.houseNumber}
          onChange={set('houseNumber')}
          error={errors.houseNumber}
          inputMode="numeric"
          autoComplete="off"
        />
        <TextField
          id="meldpunt-addition"
          label={t('reports.find.addition')}
          value={address.addition}
          onChange={set('addition')}
          autoComplete="off"
        />
        <div className="zegel-actions">
          <Button type="submit" purpose="primary" isBusy={isBusy}>
            {t('reports.find.submit')}
          </Button>
        </div>
      </form>
      {error ? <ErrorAlert error={error} /> : null}
      {found ? <FoundMeldpunt found={found} /> : null}
    </Page>
  );
}
