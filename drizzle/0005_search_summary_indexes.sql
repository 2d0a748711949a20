CREATE TABLE "partner_counts" (
	"kind" "partner_kind" NOT NULL,
	"status" "partner_status" NOT NULL,
	"country" text,
	"access_groups" text[] NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "partner_counts_key" UNIQUE NULLS NOT DISTINCT("kind","status","country","access_groups")
);
--> statement-breakpoint
DROP INDEX "partners_sort_name_idx";--> statement-breakpoint
CREATE INDEX "partners_country_kind_since_idx" ON "partners" USING btree ("country","kind","since");--> statement-breakpoint
CREATE INDEX "partners_country_sort_name_idx" ON "partners" USING btree ("country","sort_name","id");--> statement-breakpoint
CREATE INDEX "partners_sort_name_search_idx" ON "partners" USING btree ("sort_name","id","search_text");