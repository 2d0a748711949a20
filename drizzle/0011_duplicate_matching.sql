-- Company names as the duplicate matcher compares them: pb_norm (lower case, no accents), every run
-- of punctuation and spaces one space, legal forms (GmbH, AG, Ltd, Limited, LLC, Inc, Co., Co. Ltd,
-- JSC, S.A., S.p.A., Pte, Sdn Bhd, Pvt, ...) removed; null when nothing is left.
CREATE OR REPLACE FUNCTION pb_company_key(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT nullif(btrim(regexp_replace(regexp_replace(
    ' ' || regexp_replace(public.pb_norm(value), '[^a-z0-9]+', ' ', 'g') || ' ',
    ' (company limited|corporation|incorporated|limited|sdn bhd|s p a|gmbh|corp|ltd|llc|inc|jsc|pte|pvt|plc|co|ag|sa|spa|bv|nv|srl|sarl|kg|pty|tnhh|cty|cong ty)(?= )',
    ' ', 'g'), ' +', ' ', 'g')), '') $$;
--> statement-breakpoint
-- Candidates of the duplicate matcher (never a cross join): the same company key in one country,
-- similar company keys (trigram), the same phone.
CREATE INDEX IF NOT EXISTS partners_dup_company_idx ON partners (kind, country, pb_company_key(company_name));
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS partners_dup_company_trgm ON partners USING gin (pb_company_key(company_name) gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS partners_dup_phone_idx ON partners (kind, phone) WHERE phone IS NOT NULL;
