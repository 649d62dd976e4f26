ALTER TABLE "mailboxes" ADD COLUMN "imap_error" text;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "imap_error_at" timestamp with time zone;