DROP INDEX "email_messages_header_key";--> statement-breakpoint
ALTER TABLE "email_messages" ADD COLUMN "content_hash" text;--> statement-breakpoint
ALTER TABLE "email_messages" ADD COLUMN "id_reused" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "email_messages_header_key" ON "email_messages" USING btree ("header_message_id") WHERE not "email_messages"."id_reused";