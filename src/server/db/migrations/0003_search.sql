-- Full-text search over messages, the same for every language: words are unaccented and not stemmed, and queries
-- match word prefixes ("bagag" finds "bagages", "Gepäck" finds "gepack"), so one index serves fr/de/it/en/es alike.
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
--> statement-breakpoint
CREATE FUNCTION passeur_search_vector(t text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ select to_tsvector('simple'::regconfig, public.unaccent('public.unaccent'::regdictionary, t)) $$;
--> statement-breakpoint
CREATE FUNCTION passeur_search_query(q text) RETURNS tsquery
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$
    select coalesce(string_agg(quote_literal(w) || ':*', ' & ')::tsquery, ''::tsquery)
    from regexp_split_to_table(lower(public.unaccent('public.unaccent'::regdictionary, q)), '[^[:alnum:]]+') as w
    where w <> ''
  $$;
--> statement-breakpoint
ALTER TABLE messages ADD COLUMN search tsvector GENERATED ALWAYS AS (passeur_search_vector(text)) STORED;
--> statement-breakpoint
CREATE INDEX messages_search ON messages USING gin (search);
