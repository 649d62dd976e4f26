import { z } from 'zod';

/** Years 1 to 9999 in UTC: PostgreSQL has no year 0, and JavaScript writes a year past 9999 as `+010000`, which it cannot read. */
function storableYear(text: string): boolean {
  const year = new Date(text).getUTCFullYear();
  return year >= 1 && year <= 9999;
}

/** A moment sent by a client: ISO 8601 with `Z` or an offset, within the years PostgreSQL and JavaScript share. */
export const instantInput = () => z.iso.datetime({ offset: true }).refine(storableYear, 'must be between the years 0001 and 9999 (UTC)');
