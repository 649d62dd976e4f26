import type { TFunction } from 'i18next';
import { ApiError } from './api-client';

/**
 * What went wrong, in the reader's language. The API's `message` is English, so it is never shown:
 * the text comes from the error's code, and a code we have no words for is shown as the code itself.
 */
export function errorText(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return t('common.saveFailed');
  // A field name (an API path like "email") at least tells where to look when the request is refused.
  if (error.code === 'invalid_request' && error.field) return t('common.fieldRefused', { field: error.field });
  return t(`apiErrors.${error.code}`, { defaultValue: t('common.serverRefused', { code: error.code }) });
}
