import i18n from 'i18next';

/** Date and time in the page's language, e.g. "3 mei 2026 14:05". */
export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  );
}
