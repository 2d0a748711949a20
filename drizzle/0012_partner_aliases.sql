CREATE TABLE "partner_aliases" (
	"kind" "partner_kind" NOT NULL,
	"code" text NOT NULL,
	"partner_id" uuid NOT NULL,
	"merged_at" timestamp with time zone DEFAULT now() NOT NULL,
	"merged_by" text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "partner_aliases_kind_code_key" ON "partner_aliases" USING btree ("kind","code");--> statement-breakpoint
CREATE INDEX "partner_aliases_partner_idx" ON "partner_aliases" USING btree ("partner_id");