-- Search (see docs/architecture.md, "Search"): every text is normalised the same way when stored
-- and when asked for, and each ticket has one document of all its texts, kept by triggers.

-- Letters typed several ways folded to one, marks that do not change a word dropped, Unicode
-- punctuation made ASCII so that every server's parser splits words on it, whatever its locale.
CREATE FUNCTION search_text(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN translate(t,
    -- alef with hamza above or below, with madda, wasla: alef
       U&'\0623\0625\0622\0671'
    -- alef maqsura, Persian yeh: Arabic yeh
    || U&'\0649\06CC'
    -- Persian kaf: Arabic kaf
    || U&'\06A9'
    -- taa marbuta, heh with yeh: heh
    || U&'\0629\06C0'
    -- yo: ye (small and capital)
    || U&'\0451\0401'
    -- Arabic-Indic and Persian digits: ASCII
    || U&'\0660\0661\0662\0663\0664\0665\0666\0667\0668\0669\06F0\06F1\06F2\06F3\06F4\06F5\06F6\06F7\06F8\06F9'
    -- Cyrillic capitals: small (a C-locale server lowers only ASCII)
    || U&'\0410\0411\0412\0413\0414\0415\0416\0417\0418\0419\041A\041B\041C\041D\041E\041F\0420\0421\0422\0423\0424\0425\0426\0427\0428\0429\042A\042B\042C\042D\042E\042F\0406\0407\0404\0490\040E'
    -- Latin-1 capitals: small
    || U&'\00C0\00C1\00C2\00C3\00C4\00C5\00C6\00C7\00C8\00C9\00CA\00CB\00CC\00CD\00CE\00CF\00D0\00D1\00D2\00D3\00D4\00D5\00D6\00D8\00D9\00DA\00DB\00DC\00DD\00DE'
    -- Arabic comma, semicolon, question mark, percent, decimal and thousands separators, full stop: ASCII
    || U&'\060C\061B\061F\066A\066B\066C\06D4'
    -- guillemets, curly quotes, dashes, ellipsis: ASCII (a C-locale server reads them as letters of a word)
    || U&'\00AB\00BB\201C\201D\201E\2018\2019\2013\2014\2026'
    -- no-break, typographic and zero-width spaces: space
    || U&'\00A0\2000\2001\2002\2003\2004\2005\2006\2007\2008\2009\200A\200B\202F\205F\3000'
    -- no counterpart, deleted: tatweel, harakat, superscript alef, ZWNJ, ZWJ, direction marks, BOM, soft hyphen
    || U&'\0640\064B\064C\064D\064E\064F\0650\0651\0652\0653\0654\0655\0656\0657\0658\0659\065A\065B\065C\065D\065E\065F\0670\200C\200D\200E\200F\061C\FEFF\00AD\202A\202B\202C\202D\202E\2066\2067\2068\2069',
       U&'\0627\0627\0627\0627'
    || U&'\064A\064A'
    || U&'\0643'
    || U&'\0647\0647'
    || U&'\0435\0435'
    || U&'01234567890123456789'
    || U&'\0430\0431\0432\0433\0434\0435\0436\0437\0438\0439\043A\043B\043C\043D\043E\043F\0440\0441\0442\0443\0444\0445\0446\0447\0448\0449\044A\044B\044C\044D\044E\044F\0456\0457\0454\0491\045E'
    || U&'\00E0\00E1\00E2\00E3\00E4\00E5\00E6\00E7\00E8\00E9\00EA\00EB\00EC\00ED\00EE\00EF\00F0\00F1\00F2\00F3\00F4\00F5\00F6\00F8\00F9\00FA\00FB\00FC\00FD\00FE'
    || U&',;?%.,.'
    || U&'"""""''''--.'
    || U&'                ');
--> statement-breakpoint
-- Words a document also answers to under 'simple' (no stemmer there for Persian, and Arabic's
-- stemmer misses some prefixes): the parts of a word written with ZWNJ ("می‌شود": "می" "شود");
-- Persian verb prefixes and plural or comparative suffixes written apart, joined ("می شود":
-- "میشود"), as a query typed with ZWNJ or joined reads them; words without a leading ال (and وال,
-- بال, فال, كال, لل), so "كتاب" finds "الكتاب".
CREATE FUNCTION search_extra_words(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN concat_ws(' ',
  (SELECT string_agg(search_text(replace(m[1], U&'\200C', ' ')), ' ') FROM regexp_matches(t, '(\S*\u200C\S*)', 'g') AS m),
  (SELECT string_agg(m[1] || m[2], ' ') FROM regexp_matches(search_text(t), '(?:^|\s)(\u0646?\u0645\u064A) (\S+)', 'g') AS m),
  (SELECT string_agg(m[1] || m[2], ' ') FROM regexp_matches(search_text(t), '(\S+) (\u0647\u0627(?:\u064A\u064A?)?|\u062A\u0631(?:\u064A\u0646)?)(?=[^\u0600-\u06FF]|$)', 'g') AS m),
  (SELECT string_agg(regexp_replace(w.lexeme, '^(\u0627\u0644|[\u0648\u0628\u0641\u0643]\u0627\u0644|\u0644\u0644)', ''), ' ')
     FROM unnest(to_tsvector('simple', search_text(t))) AS w
     WHERE w.lexeme ~ '^(\u0627\u0644|[\u0648\u0628\u0641\u0643]\u0627\u0644|\u0644\u0644)..'));
--> statement-breakpoint
-- A text's vector: exact words (and the extra ones above) and English, Russian and Arabic stems.
CREATE FUNCTION search_vector(t text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (SELECT to_tsvector('simple', n) || to_tsvector('simple', search_extra_words(coalesce(t, ''))) || to_tsvector('english', n) || to_tsvector('russian', n) || to_tsvector('arabic', n)
        FROM (SELECT search_text(coalesce(t, '')) AS n) AS x);
--> statement-breakpoint
-- A query's other reading, as a document's extra words are made: Persian verb prefixes and suffixes
-- typed apart joined, and words without a leading ال (or وال, بال, فال, كال, لل).
CREATE FUNCTION search_variant(n text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN regexp_replace(
  regexp_replace(
    regexp_replace(n, '(^|\s)(\u0646?\u0645\u064A) (?=\S)', '\1\2', 'g'),
    '(\S) (\u0647\u0627(?:\u064A\u064A?)?|\u062A\u0631(?:\u064A\u0646)?)(?=[^\u0600-\u06FF]|$)', '\1\2', 'g'),
  '(^|[^\u0600-\u06FF])(?:\u0627\u0644|[\u0648\u0628\u0641\u0643]\u0627\u0644|\u0644\u0644)(?=[\u0600-\u06FF]{2})', '\1', 'g');
--> statement-breakpoint
-- A query (web search syntax: words, "phrases", -word, or) in every configuration, normalised as documents are.
CREATE FUNCTION search_query(q text) RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (SELECT websearch_to_tsquery('simple', n) || websearch_to_tsquery('english', n) || websearch_to_tsquery('russian', n) || websearch_to_tsquery('arabic', n)
          || CASE WHEN j <> n THEN websearch_to_tsquery('simple', j) ELSE ''::tsquery END
        FROM (SELECT search_text(coalesce(q, '')) AS n, search_variant(search_text(coalesce(q, ''))) AS j) AS x);
--> statement-breakpoint
-- A ticket's document holds at most what a tsvector can (1 MB of words): past that, later texts are not added.
CREATE FUNCTION search_concat(a tsvector, b tsvector) RETURNS tsvector LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
  RETURN a || b;
EXCEPTION WHEN program_limit_exceeded THEN
  RETURN a;
END $$;
--> statement-breakpoint
CREATE AGGREGATE search_agg(tsvector) (SFUNC = search_concat, STYPE = tsvector, INITCOND = '');
--> statement-breakpoint
CREATE TABLE "ticket_search" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"staff" "tsvector" NOT NULL,
	"customer" "tsvector" NOT NULL
);
--> statement-breakpoint
DROP INDEX "messages_search_idx";--> statement-breakpoint
DROP INDEX "tickets_search_idx";--> statement-breakpoint
ALTER TABLE "messages" drop column "search";--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "search" "tsvector" GENERATED ALWAYS AS (search_vector(body)) STORED;--> statement-breakpoint
ALTER TABLE "tickets" drop column "search";--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "search" "tsvector" GENERATED ALWAYS AS (search_vector(subject)) STORED;--> statement-breakpoint
ALTER TABLE "ticket_search" ADD CONSTRAINT "ticket_search_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ticket_search_staff_idx" ON "ticket_search" USING gin ("staff");
--> statement-breakpoint
-- Tickets already there: their documents, in message order.
INSERT INTO ticket_search (ticket_id, staff, customer)
SELECT t.id, search_concat(t.search, coalesce(m.staff, '')), search_concat(t.search, coalesce(m.customer, ''))
FROM tickets t
LEFT JOIN (
  SELECT ticket_id, search_agg(search ORDER BY created_at, id) AS staff, search_agg(search ORDER BY created_at, id) FILTER (WHERE NOT internal) AS customer
  FROM messages GROUP BY ticket_id
) m ON m.ticket_id = t.id;
--> statement-breakpoint
-- Rebuilds the documents of the given tickets from their texts (rare: a subject edited, messages moved or deleted).
CREATE FUNCTION ticket_search_rebuild(ids uuid[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO ticket_search AS s (ticket_id, staff, customer)
  SELECT t.id, search_concat(t.search, m.staff), search_concat(t.search, m.customer)
  FROM tickets t, LATERAL (
    SELECT search_agg(search ORDER BY created_at, id) AS staff, search_agg(search ORDER BY created_at, id) FILTER (WHERE NOT internal) AS customer
    FROM messages WHERE ticket_id = t.id
  ) m
  WHERE t.id = ANY(ids)
  ON CONFLICT (ticket_id) DO UPDATE SET staff = excluded.staff, customer = excluded.customer
$$;
--> statement-breakpoint
-- Once per statement, so a batch of tickets or messages costs one upsert per ticket. A ticket and its
-- first message written by one statement may be added in either order: the subject goes first anyway.
CREATE FUNCTION ticket_search_tickets_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ticket_search AS s (ticket_id, staff, customer)
  SELECT id, search, search FROM added
  ON CONFLICT (ticket_id) DO UPDATE SET staff = search_concat(excluded.staff, s.staff), customer = search_concat(excluded.customer, s.customer);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER ticket_search_tickets_added AFTER INSERT ON tickets REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION ticket_search_tickets_added();
--> statement-breakpoint
CREATE FUNCTION ticket_search_subject_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ticket_search_rebuild(ARRAY[NEW.id]);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER ticket_search_subject_changed AFTER UPDATE OF subject ON tickets FOR EACH ROW WHEN (OLD.subject IS DISTINCT FROM NEW.subject) EXECUTE FUNCTION ticket_search_subject_changed();
--> statement-breakpoint
CREATE FUNCTION ticket_search_messages_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ticket_search AS s (ticket_id, staff, customer)
  SELECT ticket_id, search_agg(search ORDER BY created_at, id), search_agg(search ORDER BY created_at, id) FILTER (WHERE NOT internal)
  FROM added GROUP BY ticket_id
  ON CONFLICT (ticket_id) DO UPDATE SET staff = search_concat(s.staff, excluded.staff), customer = search_concat(s.customer, excluded.customer);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER ticket_search_messages_added AFTER INSERT ON messages REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION ticket_search_messages_added();
--> statement-breakpoint
-- Messages moved to another ticket (a merge), edited, made internal or public: both tickets rebuilt.
CREATE FUNCTION ticket_search_messages_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ticket_search_rebuild(array(
    SELECT unnest(ARRAY[o.ticket_id, n.ticket_id]) FROM old_messages o JOIN new_messages n USING (id)
    WHERE (o.ticket_id, o.body, o.internal) IS DISTINCT FROM (n.ticket_id, n.body, n.internal)));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER ticket_search_messages_changed AFTER UPDATE ON messages REFERENCING OLD TABLE AS old_messages NEW TABLE AS new_messages FOR EACH STATEMENT EXECUTE FUNCTION ticket_search_messages_changed();
--> statement-breakpoint
CREATE FUNCTION ticket_search_messages_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ticket_search_rebuild(array(SELECT DISTINCT ticket_id FROM removed));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER ticket_search_messages_removed AFTER DELETE ON messages REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION ticket_search_messages_removed();
