-- Shipped defaults, from the field articles: phone answered in 30 s, voicemail returned in 30 min,
-- email answered within 4 business hours, chat within 60 s. The default calendar is Monday to
-- Friday 09:00-17:00 in the team's time zone (UTC without a team), so "4 business hours" counts
-- office time. Live channels (phone, voicemail, chat) count wall-clock time. Admins change all
-- of it through /api/v1/sla/*.
INSERT INTO "business_calendars" ("id", "name", "is_default", "time_zone", "hours") VALUES
  ('00000000-0000-4000-8000-00000000ca01', 'Office hours', true, NULL,
   '[{"day":1,"start":"09:00","end":"17:00"},{"day":2,"start":"09:00","end":"17:00"},{"day":3,"start":"09:00","end":"17:00"},{"day":4,"start":"09:00","end":"17:00"},{"day":5,"start":"09:00","end":"17:00"}]'::jsonb)
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "sla_policies" ("id", "name", "position", "conditions", "targets") VALUES
  ('00000000-0000-4000-8000-00000000a001', 'Voicemail', 10, '{"channels":["phone"],"tags":["voicemail"]}'::jsonb,
   '[{"metric":"callback","seconds":1800,"businessHours":false},{"metric":"tier2","seconds":28800,"businessHours":true}]'::jsonb),
  ('00000000-0000-4000-8000-00000000a002', 'Phone', 20, '{"channels":["phone"]}'::jsonb,
   '[{"metric":"answer","seconds":30,"businessHours":false},{"metric":"tier2","seconds":28800,"businessHours":true}]'::jsonb),
  ('00000000-0000-4000-8000-00000000a003', 'Chat', 30, '{"channels":["chat"]}'::jsonb,
   '[{"metric":"first_response","seconds":60,"businessHours":false},{"metric":"tier2","seconds":28800,"businessHours":true}]'::jsonb),
  ('00000000-0000-4000-8000-00000000a004', 'Email', 40, '{"channels":["email"]}'::jsonb,
   '[{"metric":"first_response","seconds":14400,"businessHours":true},{"metric":"next_response","seconds":28800,"businessHours":true},{"metric":"tier2","seconds":28800,"businessHours":true}]'::jsonb),
  ('00000000-0000-4000-8000-00000000a005', 'Everything else', 1000, '{}'::jsonb,
   '[{"metric":"first_response","seconds":14400,"businessHours":true},{"metric":"next_response","seconds":28800,"businessHours":true},{"metric":"tier2","seconds":28800,"businessHours":true}]'::jsonb)
ON CONFLICT DO NOTHING;
