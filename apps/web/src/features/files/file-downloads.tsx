import { CryptoError, getEncryptedContentSize } from '@zegel/protocol/crypto';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/index.ts';
import { formatBytes } from '../../ui/index.ts';
import { CannotSaveError, type DownloadProgress, downloadFile, prepareDownloads } from './download.ts';
import { formatRate } from './file-transfers-field.tsx';
import type { FileManifestEntry } from './transfer.ts';
import { useWarnBeforeLeaving } from './warn-before-leaving.ts';
import './files.css';

type DownloadState =
  | { state: 'idle' }
  | { state: 'running'; progress: DownloadProgress; speed: number | null }
  | { state: 'done' }
  | { state: 'failed'; reason: 'damaged' | 'cannotSave' | 'gone' | 'other' };

/**
 * The large files of a message, each with a download button and, while it runs, a progress bar
 * with speed and time left. A damaged file is reported loudly and never saved.
 */
export function FileDownloads({
  files,
  available,
  path,
  onDownloaded,
}: {
  files: FileManifestEntry[];
  /** The files the server still has for this item (after expiry or revoke: none). */
  available: { id: string; size: number }[];
  path: (id: string) => string;
  onDownloaded?: (() => void) | undefined;
}) {
  const { t, i18n } = useTranslation();
  useEffect(() => {
    void prepareDownloads();
  }, []);
  return (
    <section className="zegel-attachments zegel-transfers" aria-label={t('files.listLabel')}>
      <ul className="zegel-file-list">
        {files.map((entry) =>
          available.some((file) => file.id === entry.id) ? (
            <FileDownloadRow
              key={entry.id}
              entry={entry}
              path={path(entry.id)}
              // The manifest's size (the sender's word, encrypted) must give the stored ciphertext's.
              isSizeConsistent={available.some(
                (file) => file.id === entry.id && file.size === getEncryptedContentSize(entry.size),
              )}
              onDownloaded={onDownloaded}
            />
          ) : (
            <li key={entry.id} className="zegel-file-list__item">
              <span className="zegel-file-list__name">{entry.name}</span>
              <span className="zegel-file-list__size">{formatBytes(entry.size, i18n.language)}</span>
              <span className="zegel-transfer__state">{t('files.unavailable')}</span>
            </li>
          ),
        )}
      </ul>
    </section>
  );
}

/** Why a download failed, in the words the row shows. */
function failureReason(error: unknown): 'damaged' | 'cannotSave' | 'gone' | 'other' {
  if (error instanceof CryptoError) return 'damaged';
  if (error instanceof CannotSaveError) return 'cannotSave';
  if (error instanceof ApiError && (error.status === 404 || error.status === 410)) return 'gone';
  return 'other';
}

function FileDownloadRow({
  entry,
  path,
  isSizeConsistent,
  onDownloaded,
}: {
  entry: FileManifestEntry;
  path: string;
  isSizeConsistent: boolean;
  onDownloaded?: (() => void) | undefined;
}) {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<DownloadState>({ state: 'idle' });
  const samples = useRef<{ at: number; bytes: number }[]>([]);

  async function start() {
    if (!isSizeConsistent) {
      setState({ state: 'failed', reason: 'damaged' });
      return;
    }
    samples.current = [];
    setState({
      state: 'running',
      progress: { received: 0, total: entry.size, retrying: false },
      speed: null,
    });
    try {
      await downloadFile(path, entry, (progress) => {
        const at = performance.now();
        samples.current.push({ at, bytes: progress.received });
        while (samples.current.length > 2 && at - samples.current[0]!.at > 5000) samples.current.shift();
        const first = samples.current[0]!;
        const speed =
          at - first.at > 500 ? ((progress.received - first.bytes) * 1000) / (at - first.at) : null;
        setState({ state: 'running', progress, speed });
      });
      setState({ state: 'done' });
      onDownloaded?.();
    } catch (error) {
      setState({ state: 'failed', reason: failureReason(error) });
    }
  }

  // Leaving the page would break the download stream.
  useWarnBeforeLeaving(state.state === 'running');

  const name = entry.name;
  return (
    <li className="zegel-file-list__item zegel-transfer">
      <span className="zegel-file-list__name">{name}</span>
      <span className="zegel-file-list__size">{formatBytes(entry.size, i18n.language)}</span>
      {state.state === 'running' ? (
        <>
          <progress
            className="zegel-transfer__bar"
            max={Math.max(1, state.progress.total)}
            value={state.progress.received}
            aria-label={t('files.downloadProgressOf', { name })}
          />
          <span className="zegel-transfer__state">
            {state.progress.retrying
              ? t('files.downloadRetrying')
              : `${t('files.downloadPercent', {
                  percent: state.progress.total
                    ? Math.floor((state.progress.received / state.progress.total) * 100)
                    : 100,
                })} ${formatRate(state.progress.received, state.progress.total, state.speed, i18n.language, t)}`}
          </span>
        </>
      ) : null}
      <button
        type="button"
        className="utrecht-button utrecht-button--secondary-action"
        aria-label={t('files.download', { name })}
        aria-disabled={state.state === 'running' || undefined}
        onClick={() => {
          if (state.state !== 'running') void start();
        }}
      >
        {state.state === 'running' ? t('files.downloading') : t('files.downloadShort')}
      </button>
      <span className="zegel-transfer__outcome" role="status">
        {state.state === 'done' ? t('files.downloaded', { name }) : null}
      </span>
      {state.state === 'failed' ? (
        <p className="utrecht-paragraph zegel-transfer__outcome zegel-transfer__error" role="alert">
          <strong>{t(`files.failed.${state.reason}`, { name })}</strong>
        </p>
      ) : null}
    </li>
  );
}
