-- partner_counts holds the number of partners per (kind, status, country, access_groups), so the
-- summary's All / Enabled / Disabled counts add up a few hundred rows instead of counting every
-- partner. Statement-level triggers with transition tables keep it exact: each INSERT, UPDATE,
-- DELETE (or COPY) on partners adds its per-group differences in one upsert; TRUNCATE empties it.
-- Groups are upserted in key order so concurrent statements lock the rows in the same order.
-- Writes block here until the migration commits, so the backfill below sees every row once.
LOCK TABLE partners IN SHARE ROW EXCLUSIVE MODE;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION pb_partner_counts_apply() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO partner_counts AS c (kind, status, country, access_groups, n)
    SELECT kind, status, country, access_groups, count(*)
      FROM pb_new_partners GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT partner_counts_key DO UPDATE SET n = c.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO partner_counts AS c (kind, status, country, access_groups, n)
    SELECT kind, status, country, access_groups, -count(*)
      FROM pb_old_partners GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT partner_counts_key DO UPDATE SET n = c.n + excluded.n;
  ELSE
    -- UPDATE: only groups whose count changes (a kind, status, country or access_groups edit).
    INSERT INTO partner_counts AS c (kind, status, country, access_groups, n)
    SELECT kind, status, country, access_groups, sum(delta)
      FROM (
        SELECT kind, status, country, access_groups, 1 AS delta FROM pb_new_partners
        UNION ALL
        SELECT kind, status, country, access_groups, -1 AS delta FROM pb_old_partners
      ) AS changes
      GROUP BY 1, 2, 3, 4 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT partner_counts_key DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION pb_partner_counts_reset() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM partner_counts;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER partners_counts_insert
  AFTER INSERT ON partners REFERENCING NEW TABLE AS pb_new_partners
  FOR EACH STATEMENT EXECUTE FUNCTION pb_partner_counts_apply();
--> statement-breakpoint
CREATE TRIGGER partners_counts_update
  AFTER UPDATE ON partners REFERENCING OLD TABLE AS pb_old_partners NEW TABLE AS pb_new_partners
  FOR EACH STATEMENT EXECUTE FUNCTION pb_partner_counts_apply();
--> statement-breakpoint
CREATE TRIGGER partners_counts_delete
  AFTER DELETE ON partners REFERENCING OLD TABLE AS pb_old_partners
  FOR EACH STATEMENT EXECUTE FUNCTION pb_partner_counts_apply();
--> statement-breakpoint
CREATE TRIGGER partners_counts_truncate
  AFTER TRUNCATE ON partners
  FOR EACH STATEMENT EXECUTE FUNCTION pb_partner_counts_reset();
--> statement-breakpoint
INSERT INTO partner_counts (kind, status, country, access_groups, n)
SELECT kind, status, country, access_groups, count(*) FROM partners GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
-- Text search picks its plan (and estimates broad totals) from the planner's row estimate for the
-- search_text patterns; a 1,000-entry histogram estimates a LIKE '%term%' to about 0.1% of the
-- table instead of 1%. ANALYZE now so an existing directory gets them at once.
ALTER TABLE partners ALTER COLUMN search_text SET STATISTICS 1000;
--> statement-breakpoint
ANALYZE partners;
