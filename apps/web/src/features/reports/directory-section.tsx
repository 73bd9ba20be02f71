import type { Meldpunt, MeldpuntList } from '@zegel/protocol/api';
import { type ChangeEvent, type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, api, DetailedApiError, sendJson, toApiError } from '../../api/index.ts';
import {
  Alert,
  Button,
  ErrorAlert,
  FieldShell,
  LoadedTable,
  Section,
  TextAreaField,
  useLoad,
} from '../../ui/index.ts';

const loadDirectory = async () => (await api.get<MeldpuntList>('/api/admin/reports/meldpunten')).meldpunten;
const FILE_MAX_BYTES = 1_000_000;

type LineProblem = { line: number; error: string };

function linesOf(caught: unknown): LineProblem[] {
  if (!(caught instanceof DetailedApiError)) return [];
  const lines = (caught.details as { lines?: LineProblem[] } | undefined)?.lines;
  return Array.isArray(lines) ? lines : [];
}

/** The organisation's meldpunt directory: the list, a CSV import that replaces it, an export. */
export function MeldpuntDirectorySection() {
  const { t } = useTranslation();
  const directory = useLoad(loadDirectory);
  return (
    <Section title={t('reports.directory.title')} id="meldpunten">
      <p className="utrecht-paragraph">{t('reports.directory.intro')}</p>
      {directory.error ? <ErrorAlert error={directory.error} /> : null}
      <LoadedTable<Meldpunt>
        load={directory}
        caption={t('reports.directory.caption')}
        empty={t('reports.directory.empty')}
        rowKey={(m) => m.id}
        columns={[
          { header: t('reports.directory.name'), isRowHeader: true, cell: (m) => m.name },
          { header: t('reports.directory.organisation'), cell: (m) => m.organisation },
          { header: t('reports.directory.municipalities'), cell: (m) => m.gemeentecodes.join(', ') },
          {
            header: t('reports.directory.channels'),
            cell: (m) =>
              m.channels
                .map((c) => (c.kind === 'team' ? t('reports.directory.teamChannel') : c.address))
                .join(' → '),
          },
        ]}
      />
      <p className="utrecht-paragraph">
        <a className="utrecht-link" href="/api/admin/reports/meldpunten.csv" download>
          {t('reports.directory.export')}
        </a>
      </p>
      <DirectoryImport onImported={directory.reload} />
    </Section>
  );
}

function LineProblems({
  lines,
  headingRef,
}: {
  lines: LineProblem[];
  headingRef: React.RefObject<HTMLHeadingElement | null>;
}) {
  const { t } = useTranslation();
  return (
    <Alert type="error">
      <h4 className="utrecht-heading-4" ref={headingRef} tabIndex={-1}>
        {t('reports.directory.problems')}
      </h4>
      <ul className="utrecht-unordered-list">
        {lines.map((l) => (
          <li key={`${l.line}-${l.error}`}>
            {t('reports.directory.line', { line: l.line, error: l.error })}
          </li>
        ))}
      </ul>
    </Alert>
  );
}

/** Pasted or chosen CSV in; on any bad line, every problem listed and nothing imported. */
function DirectoryImport({ onImported }: { onImported: () => Promise<void> }) {
  const { t } = useTranslation();
  const [csv, setCsv] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [fileError, setFileError] = useState<string | undefined>(undefined);
  const [lines, setLines] = useState<LineProblem[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [imported, setImported] = useState<number | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const problemsHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (lines.length) problemsHeading.current?.focus();
  }, [lines]);

  async function readFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (file.size > FILE_MAX_BYTES) return setFileError(t('reports.directory.fileTooLarge'));
    setFileError(undefined);
    setCsv(await file.text());
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (isBusy) return;
    setImported(null);
    setLines([]);
    setError(null);
    if (!csv.trim()) {
      setFieldError(t('reports.directory.csvRequired'));
      document.getElementById('meldpunt-csv')?.focus();
      return;
    }
    setFieldError(undefined);
    setIsBusy(true);
    try {
      const result = await sendJson<MeldpuntList>('POST', '/api/admin/reports/meldpunten/import', { csv });
      setImported(result.meldpunten.length);
      setCsv('');
      await onImported();
    } catch (caught) {
      const problems = linesOf(caught);
      setLines(problems);
      if (!problems.length) setError(toApiError(caught));
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <>
      <h3 className="utrecht-heading-3">{t('reports.directory.importTitle')}</h3>
      <form className="zegel-form" onSubmit={(event) => void submit(event)} noValidate>
        <TextAreaField
          id="meldpunt-csv"
          label={t('reports.directory.csv')}
          description={t('reports.directory.csvDescription')}
          value={csv}
          onChange={setCsv}
          error={fieldError}
          rows={6}
        />
        <FieldShell id="meldpunt-file" label={t('reports.directory.file')} error={fileError} kind="text">
          {(describedBy, isInvalid) => (
            <input
              id="meldpunt-file"
              type="file"
              accept=".csv,text/csv"
              onChange={(e) => void readFile(e)}
              aria-describedby={describedBy}
              aria-invalid={isInvalid || undefined}
            />
          )}
        </FieldShell>
        <div className="zegel-actions">
          <Button type="submit" purpose="primary" isBusy={isBusy}>
            {t('reports.directory.import')}
          </Button>
        </div>
      </form>
      {imported !== null ? (
        <Alert type="ok">{t('reports.directory.imported', { count: imported })}</Alert>
      ) : null}
      {lines.length ? <LineProblems lines={lines} headingRef={problemsHeading} /> : null}
      {error ? <ErrorAlert error={error} /> : null}
    </>
  );
}
