import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { languages } from '../i18n/i18n';

/** Each language is named in itself, so anyone can find their own. */
export const languageNames: Record<string, string> = { en: 'English', ar: 'العربية', fa: 'فارسی', ru: 'Русский' };

export function LanguageSelect({ onChange, size = 'xs' }: { onChange: (lng: string) => void; size?: 'xs' | 'sm' }) {
  const { t, i18n } = useTranslation();
  return (
    <Select
      size={size}
      w={130}
      aria-label={t('language.label')}
      data-testid="language-select"
      value={i18n.language}
      allowDeselect={false}
      data={languages.map((l) => ({ value: l, label: languageNames[l] }))}
      onChange={(v) => v && onChange(v)}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
