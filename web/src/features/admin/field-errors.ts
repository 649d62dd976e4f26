import { ApiError } from '../../app/api-client';

/**
 * The API's validation errors by field path ("targets.0.seconds"), to show next to the field;
 * `other` is what no field on the form claims (shown above the buttons).
 */
export function fieldErrors(error: unknown, known: (field: string) => boolean): { byField: Record<string, string>; other: string | null } {
  if (!(error instanceof ApiError)) return { byField: {}, other: error ? String((error as Error).message ?? error) : null };
  const issues = error.issues?.length ? error.issues : error.field ? [{ field: error.field, message: error.message }] : [];
  const byField: Record<string, string> = {};
  for (const i of issues) if (i.field && known(i.field) && !byField[i.field]) byField[i.field] = i.message;
  const claimed = Object.keys(byField).length > 0;
  return { byField, other: claimed ? null : error.message };
}

/** The first error at or under `prefix` ("holidays" matches "holidays.2"). */
export function errorUnder(byField: Record<string, string>, prefix: string): string | undefined {
  const key = Object.keys(byField).find((f) => f === prefix || f.startsWith(`${prefix}.`));
  return key ? byField[key] : undefined;
}
