import type { VerdictItem } from '@zegel/protocol/dlp';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/index.ts';
import type { DlpRecipient } from './dlp-recipient.ts';
import type { DlpCheck, PlacedFinding } from './use-dlp-check.ts';
import './dlp.css';

export type DlpStop = 'none' | 'confirm' | 'blocked';

type Guest = Extract<DlpRecipient, { kind: 'guest' }>;

/**
 * What leak prevention found in the draft, where and why, at the organisation's level. The
 * region is announced politely while typing; when sending is stopped the composer moves focus
 * here, and the sender either changes the draft or (for suggest/warn) sends anyway.
 */
export function DlpFindings({
  check,
  stop,
  emailOnlyGuests,
  onSendAnyway,
  onMakeSecure,
  isBusy,
}: {
  check: DlpCheck | undefined;
  stop: DlpStop;
  emailOnlyGuests: readonly Guest[];
  onSendAnyway: () => void;
  onMakeSecure: (key: string) => void;
  isBusy: boolean;
}) {
  const { t } = useTranslation();
  const shown = check?.verdict.shown ?? [];
  const unscanned = check?.unscanned ?? [];
  const isTextUnscanned = check?.isTextUnscanned ?? false;
  const hasContent = shown.length > 0 || unscanned.length > 0 || isTextUnscanned;
  const status = summaryOf(check, t);
  return (
    <section
      id="compose-dlp"
      tabIndex={-1}
      aria-labelledby="compose-dlp-title"
      className={`zegel-dlp${hasContent ? ' zegel-dlp--active' : ''}${stop !== 'none' ? ' zegel-dlp--stopped' : ''}`}
    >
      <h2 id="compose-dlp-title" className="utrecht-heading-2 zegel-dlp__title">
        {t('dlp.title')}
      </h2>
      <p className="utrecht-paragraph" aria-live="polite" aria-atomic="true">
        {status || t('dlp.nothing')}
      </p>
      {stop === 'blocked' ? (
        <p className="utrecht-paragraph zegel-dlp__stop" role="alert">
          <strong>{t('dlp.blockedExplanation')}</strong>
        </p>
      ) : null}
      {stop === 'confirm' ? (
        <p className="utrecht-paragraph zegel-dlp__stop" role="alert">
          <strong>{t('dlp.confirmExplanation')}</strong>
        </p>
      ) : null}
      {shown.length > 0 ? (
        <ul className="utrecht-unordered-list zegel-dlp__list">
          {shown.map((item) => (
            <li
              key={item.rule}
              className={`utrecht-unordered-list__item zegel-dlp__item zegel-dlp__item--${item.action}`}
            >
              <span className="zegel-dlp__level">{t(`dlp.actions.${item.action}`)}</span>{' '}
              <strong>{t(`dlp.rules.${item.rule}`)}</strong> <span>{t(`dlp.why.${item.rule}`)}</span>
              <ItemDetails item={item} />
            </li>
          ))}
        </ul>
      ) : null}
      <SecuredNotes notes={check?.verdict.notes ?? []} />
      <UnscannedFiles files={unscanned} />
      {isTextUnscanned && shown.length > 0 ? (
        <p className="utrecht-paragraph zegel-dlp__item--unscanned">{t('dlp.textUnscanned')}</p>
      ) : null}
      {shown.length > 0 && emailOnlyGuests.length > 0 ? (
        <div className="zegel-dlp__secure">
          <p className="utrecht-paragraph">{t('dlp.secureIntro')}</p>
          <ul className="utrecht-unordered-list">
            {emailOnlyGuests.map((guest) => (
              <li key={guest.key} className="utrecht-unordered-list__item">
                <Button purpose="secondary" onClick={() => onMakeSecure(guest.key)}>
                  {t('dlp.makeSecure', { address: guest.address })}
                </Button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {stop === 'confirm' ? (
        <div className="zegel-actions">
          <Button purpose="primary" onClick={onSendAnyway} isBusy={isBusy}>
            {t('dlp.sendAnyway')}
          </Button>
        </div>
      ) : null}
    </section>
  );
}

/** The one-line summary a screen reader hears as the check changes ('' when there is nothing). */
function summaryOf(check: DlpCheck | undefined, t: TFunction): string {
  if (!check) return '';
  const shown = check.verdict.shown;
  if (check.isScanning) return t('dlp.scanning');
  if (shown.length > 0)
    return t(check.verdict.isBlocked ? 'dlp.summaryBlocked' : 'dlp.summary', { count: shown.length });
  if (check.isTextUnscanned) return t('dlp.textUnscanned');
  if (check.verdict.notes.length > 0) return t('dlp.summarySecured');
  if (check.unscanned.length > 0) return t('dlp.summaryUnscanned', { count: check.unscanned.length });
  return '';
}

/** Sensitive content that goes end-to-end encrypted to verified recipients: said, not asked. */
function SecuredNotes({ notes }: { notes: readonly VerdictItem[] }) {
  const { t } = useTranslation();
  if (notes.length === 0) return null;
  return (
    <ul className="utrecht-unordered-list zegel-dlp__list">
      {notes.map((item) => (
        <li key={item.rule} className="utrecht-unordered-list__item zegel-dlp__item zegel-dlp__item--note">
          <span className="zegel-dlp__level">{t('dlp.actions.note')}</span>{' '}
          <strong>{t(`dlp.rules.${item.rule}`)}</strong> <span>{t('dlp.securedNote')}</span>
          <ItemDetails item={item} />
        </li>
      ))}
    </ul>
  );
}

/** Attachments that could not be read, so nothing in them was checked. */
function UnscannedFiles({ files }: { files: DlpCheck['unscanned'] }) {
  const { t } = useTranslation();
  if (files.length === 0) return null;
  return (
    <ul className="utrecht-unordered-list zegel-dlp__list">
      {files.map((file) => (
        <li
          key={file.name}
          className="utrecht-unordered-list__item zegel-dlp__item zegel-dlp__item--unscanned"
        >
          {t('dlp.unscanned', { name: file.name })} {t(`dlp.unreadable.${file.reason}`, { defaultValue: '' })}
        </li>
      ))}
    </ul>
  );
}

function ItemDetails({ item }: { item: VerdictItem }) {
  const { t } = useTranslation();
  if (item.addresses.length > 0)
    return (
      <ul className="utrecht-unordered-list zegel-dlp__places">
        {item.addresses.map((address) => (
          <li key={address} className="utrecht-unordered-list__item">
            {address}
            {item.similarTo ? ` ${t('dlp.similarTo', { domain: item.similarTo })}` : ''}
          </li>
        ))}
      </ul>
    );
  const findings = item.findings as PlacedFinding[];
  return (
    <ul className="utrecht-unordered-list zegel-dlp__places">
      {findings.slice(0, 10).map((finding) => (
        <li key={`${placeKey(finding)}:${finding.start}`} className="utrecht-unordered-list__item">
          {finding.place.part === 'attachment'
            ? t('dlp.places.attachment', { name: finding.place.name })
            : t(`dlp.places.${finding.place.part}`)}
          : <span className="zegel-dlp__masked">{finding.masked}</span>
        </li>
      ))}
      {findings.length > 10 ? (
        <li className="utrecht-unordered-list__item">{t('dlp.more', { count: findings.length - 10 })}</li>
      ) : null}
    </ul>
  );
}

const placeKey = (f: PlacedFinding) => (f.place.part === 'attachment' ? `a:${f.place.name}` : f.place.part);
