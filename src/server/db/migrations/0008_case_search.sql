-- Search moves from each message to its case: one vector per case (its customer messages and subject), so a
-- search reads matching cases directly instead of every matching message, and storing a message no longer
-- updates a text index of its own. Highlights are computed from the listed cases' messages.
ALTER TABLE cases ADD COLUMN search tsvector;
--> statement-breakpoint
UPDATE cases c SET search = s.v FROM (
  SELECT m.case_id, passeur_search_vector(string_agg(m.text, ' ' ORDER BY m.id)) AS v
  FROM messages m WHERE m.direction = 'in' GROUP BY m.case_id
) s WHERE s.case_id = c.id;
--> statement-breakpoint
CREATE INDEX cases_search ON cases USING gin (search);
--> statement-breakpoint
DROP INDEX IF EXISTS messages_search;
--> statement-breakpoint
ALTER TABLE messages DROP COLUMN IF EXISTS search;
--> statement-breakpoint
-- A case's vector rebuilt from its messages (after a merge or a split moved messages between cases).
CREATE FUNCTION passeur_case_search(case_id bigint) RETURNS tsvector
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ select passeur_search_vector(string_agg(m.text, ' ' order by m.id)) from messages m
        where m.case_id = passeur_case_search.case_id and m.direction = 'in' $$;
