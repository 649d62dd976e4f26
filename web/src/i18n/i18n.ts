import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';

import { directionOf, languages, type Language } from '../../../common/enums';

export { directionOf, languages, type Language };

export const isLanguage = (v: unknown): v is Language => typeof v === 'string' && (languages as readonly string[]).includes(v);

// English ships in the main bundle; the other catalogs load when chosen.
const loaders: Record<Exclude<Language, 'en'>, () => Promise<{ default: Record<string, unknown> }>> = {
  ar: () => import('./ar.json'),
  fa: () => import('./fa.json'),
  ru: () => import('./ru.json'),
};

const PREF = 'frontline.language';

export function preferredLanguage(): Language {
  const saved = localStorage.getItem(PREF);
  if (isLanguage(saved)) return saved;
  const nav = navigator.language?.slice(0, 2);
  return isLanguage(nav) ? nav : 'en';
}

export async function initI18n() {
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en } },
    lng: 'en',
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  await setLanguage(preferredLanguage());
  return i18next;
}

/** Switches the catalog and the document direction together, so RTL never lags a render. */
export async function setLanguage(lng: Language) {
  if (lng !== 'en' && !i18next.hasResourceBundle(lng, 'translation')) {
    const mod = await loaders[lng]();
    i18next.addResourceBundle(lng, 'translation', mod.default, true, true);
  }
  localStorage.setItem(PREF, lng);
  document.documentElement.lang = lng;
  document.documentElement.dir = directionOf(lng);
  await i18next.changeLanguage(lng);
}
