ALTER TABLE "mailboxes" ADD COLUMN "imap_uid_validity" bigint;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "imap_last_uid" bigint;