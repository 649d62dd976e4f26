import type { TFunction } from 'i18next';
import { ApiError } from '../../app/api-client';
import { errorText } from '../../app/api-errors';

/** Puts one API error in the reader's language: its code, the field it names, the API's English message. */
export type Localize = (t: TFunction, code: string, message: string, field: string) => string;

/** The API's validation messages are English; these are the ones our settings forms can meet. */
const localized: Localize = (t, code, message) => {
  if (code === 'invalid_team') return t('adminSla.errors.team');
  // Other codes name one rule (a taken team, holidays that close the year): say that rule.
  if (code !== 'invalid_request') return t(`apiErrors.${code}`, { defaultValue: t('adminSla.errors.invalid') });
  if (/^too small/i.test(message)) return t('adminSla.errors.tooSmall');
  if (/^too big/i.test(message)) return t('adminSla.errors.tooBig');
  if (message.includes('HH:MM')) return t('adminSla.errors.time');
  if (message.includes('after start')) return t('adminSla.errors.endAfterStart');
  if (message.includes('time zone')) return t('adminSla.errors.timeZone');
  if (message.includes('at most once')) return t('adminSla.errors.metricTwice');
  if (/date/i.test(message)) return t('adminSla.errors.date');
  return t('adminSla.errors.invalid');
};

/**
 * The API's validation errors by field path ("targets.0.seconds"), in the reader's language, to show
 * next to the field; `other` is what no field on the form claims (shown above the buttons).
 */
export function fieldErrors(
  t: TFunction,
  error: unknown,
  known: (field: string) => boolean,
  localize: Localize = localized,
): { byField: Record<string, string>; other: string | null } {
  if (!error) return { byField: {}, other: null };
  if (!(error instanceof ApiError)) return { byField: {}, other: t('common.saveFailed') };
  const issues = error.issues?.length ? error.issues : error.field ? [{ field: error.field, message: error.message }] : [];
  const byField: Record<string, string> = {};
  for (const i of issues) if (i.field && known(i.field) && !byField[i.field]) byField[i.field] = localize(t, error.code, i.message, i.field);
  return { byField, other: Object.keys(byField).length ? null : errorText(t, error) };
}

/** The first error at or under `prefix` ("holidays" matches "holidays.2"). */
export function errorUnder(byField: Record<string, string>, prefix: string): string | undefined {
  const key = Object.keys(byField).find((f) => f === prefix || f.startsWith(`${prefix}.`));
  return key ? byField[key] : undefined;
}
