import type { Database } from '../../db/client.js';
import { forgetAuthenticated } from './auth.service.js';

/**
 * Notified by the database's own triggers (migration 0019_credentials_changed) when a change to who
 * may do what commits: a session or API token removed, a team membership changed, an account
 * deactivated, reactivated, given another role or moved to another customer.
 */
export const CREDENTIALS_CHANNEL = 'frontline_credentials';

/**
 * Every node forgets its recently verified credentials on the notice, and its realtime hub rechecks
 * its sockets soon (onCredentialsChanged): a change made on one node reaches the others' requests and
 * sockets in well under a second, not at their next periodic check. Returns the way to stop.
 */
export function followCredentialChanges(database: Pick<Database, 'listen'>) {
  return database.listen(CREDENTIALS_CHANNEL, () => forgetAuthenticated());
}
