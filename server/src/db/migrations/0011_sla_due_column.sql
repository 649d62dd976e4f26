ALTER TABLE "tickets" ADD COLUMN "sla_due_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "tickets_sla_due_idx" ON "tickets" USING btree (coalesce("sla_due_at", 'infinity'::timestamptz),"id");--> statement-breakpoint
CREATE INDEX "tickets_sla_due_desc_idx" ON "tickets" USING btree (coalesce("sla_due_at", '-infinity'::timestamptz) desc,"id" DESC NULLS FIRST);--> statement-breakpoint
-- Tickets already open when this column arrives: the earliest due time of their open targets.
UPDATE "tickets" t SET "sla_due_at" = s.due
FROM (
  SELECT ticket_id, min(due_at) AS due FROM ticket_sla_targets
  WHERE met_at IS NULL AND state IN ('active', 'paused', 'breached') AND due_at IS NOT NULL
  GROUP BY ticket_id
) s
WHERE s.ticket_id = t.id;
