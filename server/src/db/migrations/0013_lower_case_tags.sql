-- Tags are compared in lower case (the API lowers them now): earlier ones lowered, duplicates merged, order kept.
UPDATE "tickets" SET "tags" = (
  SELECT coalesce(array_agg(t ORDER BY first), '{}'::text[])
  FROM (SELECT lower(tag) AS t, min(n) AS first FROM unnest("tags") WITH ORDINALITY AS u(tag, n) GROUP BY lower(tag)) AS x
) WHERE "tags"::text <> lower("tags"::text);--> statement-breakpoint
UPDATE "sla_policies" SET "conditions" = jsonb_set("conditions", '{tags}', (
  SELECT coalesce(jsonb_agg(t ORDER BY first), '[]'::jsonb)
  FROM (SELECT lower(tag) AS t, min(n) AS first FROM jsonb_array_elements_text("conditions"->'tags') WITH ORDINALITY AS u(tag, n) GROUP BY lower(tag)) AS x
)) WHERE jsonb_typeof("conditions"->'tags') = 'array' AND ("conditions"->'tags')::text <> lower(("conditions"->'tags')::text);
