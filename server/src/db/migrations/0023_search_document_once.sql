-- A new ticket's search document is written once. Before, a ticket created with its first message
-- got a document of its subject from the tickets trigger, then a second version with the message
-- from the messages trigger: a second heap row, GIN entries and key for every ticket created.
-- Statement triggers see the whole statement's rows, so each trigger can tell what the other will do.
CREATE OR REPLACE FUNCTION ticket_search_tickets_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A ticket written with messages gets its whole document from the messages trigger.
  INSERT INTO ticket_search (ticket_id, staff, customer)
  SELECT a.id, a.search, a.search FROM added a
  WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = a.id);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ticket_search_messages_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH m AS (
    SELECT ticket_id, search_agg(search ORDER BY created_at, id) AS staff, search_agg(search ORDER BY created_at, id) FILTER (WHERE NOT internal) AS customer
    FROM added GROUP BY ticket_id
  ), grown AS (
    UPDATE ticket_search s SET staff = search_concat(s.staff, m.staff), customer = search_concat(s.customer, m.customer)
    FROM m WHERE s.ticket_id = m.ticket_id
    RETURNING s.ticket_id
  )
  -- No document yet: the ticket is new in this statement (or this transaction), so nobody else writes it.
  INSERT INTO ticket_search (ticket_id, staff, customer)
  SELECT t.id, search_concat(t.search, m.staff), search_concat(t.search, m.customer)
  FROM m JOIN tickets t ON t.id = m.ticket_id
  WHERE m.ticket_id NOT IN (SELECT ticket_id FROM grown);
  RETURN NULL;
END $$;
