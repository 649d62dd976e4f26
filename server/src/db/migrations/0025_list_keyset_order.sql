-- Lists that page with a cursor walk these indexes in their order, ties broken by id: a user's
-- notifications newest first, and the at-risk targets soonest due first (no due time last).
DROP INDEX "staff_notifications_user_idx";--> statement-breakpoint
DROP INDEX "ticket_sla_targets_due_idx";--> statement-breakpoint
CREATE INDEX "staff_notifications_user_idx" ON "staff_notifications" USING btree ("user_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "ticket_sla_targets_due_idx" ON "ticket_sla_targets" USING btree (coalesce("due_at", 'infinity'::timestamptz),"id") WHERE state in ('active', 'breached');