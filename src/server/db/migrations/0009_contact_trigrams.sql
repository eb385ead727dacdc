-- Finding a customer by part of their name or handle: trigram indexes over the folded (lower-case, unaccented)
-- text, so "lefev" finds "Lefèvre" without reading every contact.
CREATE FUNCTION passeur_fold(t text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ select lower(public.unaccent('public.unaccent'::regdictionary, t)) $$;
--> statement-breakpoint
CREATE INDEX contacts_name_trgm ON contacts USING gin (passeur_fold(display_name) public.gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX contact_identities_handle_trgm ON contact_identities USING gin (passeur_fold(handle) public.gin_trgm_ops);
