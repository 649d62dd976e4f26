-- Every app node keeps recently verified credentials for two seconds and rechecks its WebSockets
-- (server/src/platform/auth/credentials-notice.ts). A change to who may do what tells every node at
-- once: the notice goes out only if the change commits, once per transaction however many rows it
-- touched, and also for changes made straight in the database. New sessions and tokens need none.
CREATE FUNCTION notify_credentials_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('frontline_credentials', '');
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Signed out, token revoked, signed out everywhere (deactivation, new password), account removed.
CREATE TRIGGER sessions_credentials_changed AFTER DELETE ON sessions FOR EACH ROW EXECUTE FUNCTION notify_credentials_changed();
--> statement-breakpoint
CREATE TRIGGER api_tokens_credentials_changed AFTER DELETE ON api_tokens FOR EACH ROW EXECUTE FUNCTION notify_credentials_changed();
--> statement-breakpoint
-- Joined or left a team (a removed team or account takes its rows with it).
CREATE TRIGGER team_members_credentials_changed AFTER INSERT OR UPDATE OR DELETE ON team_members FOR EACH ROW EXECUTE FUNCTION notify_credentials_changed();
--> statement-breakpoint
-- Deactivated or reactivated, new role, portal account moved to another customer (a merge), or
-- the one-time password replaced; a change of name, availability or signature sends nothing.
CREATE TRIGGER users_credentials_changed AFTER UPDATE ON users FOR EACH ROW
  WHEN (OLD.active IS DISTINCT FROM NEW.active OR OLD.role IS DISTINCT FROM NEW.role OR OLD.customer_id IS DISTINCT FROM NEW.customer_id OR OLD.must_change_password IS DISTINCT FROM NEW.must_change_password)
  EXECUTE FUNCTION notify_credentials_changed();
