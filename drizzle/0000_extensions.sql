CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
-- Search and sort normalisation: lower-case, accents removed ("Nguyễn" -> "nguyen", "Đà Nẵng" -> "da nang").
-- unaccent() is only STABLE; naming the dictionary makes the result fixed, so IMMUTABLE is honest
-- and the function can feed generated columns and indexes.
CREATE OR REPLACE FUNCTION pb_norm(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;
--> statement-breakpoint
CREATE SEQUENCE IF NOT EXISTS customer_code_seq;
--> statement-breakpoint
CREATE SEQUENCE IF NOT EXISTS supplier_code_seq;
