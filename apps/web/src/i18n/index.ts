import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import nl from './nl.json' with { type: 'json' };

export const languages = ['nl', 'en'] as const;
export type Language = (typeof languages)[number];

const STORAGE_KEY = 'zegel-language';

function readStoredLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === 'en' ? 'en' : 'nl';
}

/** Dutch is in the entry chunk (the default and the fallback); English is fetched when chosen. */
async function loadEnglish(): Promise<Record<string, unknown>> {
  const { default: en } = await import('./en.json', { with: { type: 'json' } });
  return en;
}

/** Dutch by default; the choice on the language switch is remembered in this browser. */
export async function setUpI18n(): Promise<void> {
  const language = readStoredLanguage();
  const english = language === 'en' ? { en: { translation: await loadEnglish() } } : {};
  await i18n.use(initReactI18next).init({
    resources: { nl: { translation: nl }, ...english },
    lng: language,
    fallbackLng: 'nl',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = i18n.language;
}

export async function changeLanguage(language: Language): Promise<void> {
  localStorage.setItem(STORAGE_KEY, language);
  if (!i18n.hasResourceBundle(language, 'translation')) {
    i18n.addResourceBundle(language, 'translation', await loadEnglish());
  }
  await i18n.changeLanguage(language);
  document.documentElement.lang = language;
}
