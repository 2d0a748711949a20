CREATE TYPE "public"."audit_action" AS ENUM('create', 'update', 'disable', 'enable', 'remove', 'order_record', 'compliance_set', 'compliance_remove', 'picture_set', 'picture_remove', 'export');--> statement-breakpoint
CREATE TYPE "public"."audit_via" AS ENUM('mcp', 'slack', 'cli', 'http', 'system');--> statement-breakpoint
CREATE TYPE "public"."partner_kind" AS ENUM('customer', 'supplier');--> statement-breakpoint
CREATE TYPE "public"."partner_status" AS ENUM('enabled', 'disabled');--> statement-breakpoint
CREATE TYPE "public"."principal_role" AS ENUM('viewer', 'editor', 'admin');--> statement-breakpoint
CREATE TYPE "public"."principal_type" AS ENUM('token', 'slack');--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"action" "audit_action" NOT NULL,
	"partner_id" uuid,
	"partner_kind" "partner_kind",
	"partner_code" text,
	"partner_version" integer,
	"actor_id" text NOT NULL,
	"actor_name" text NOT NULL,
	"via" "audit_via" NOT NULL,
	"client_name" text,
	"changes" jsonb,
	"snapshot" jsonb,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "compliance_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partner_id" uuid NOT NULL,
	"name" text NOT NULL,
	"valid_from" date,
	"valid_to" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "compliance_items_name_present" CHECK (length(btrim("compliance_items"."name")) between 1 and 120),
	CONSTRAINT "compliance_items_valid_range" CHECK ("compliance_items"."valid_from" is null or "compliance_items"."valid_from" <= "compliance_items"."valid_to")
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partner_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"order_date" date NOT NULL,
	"amount" numeric(16, 2) NOT NULL,
	"etd" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "orders_amount_nonnegative" CHECK ("orders"."amount" >= 0),
	CONSTRAINT "orders_reference_present" CHECK (length(btrim("orders"."reference")) between 1 and 64)
);
--> statement-breakpoint
CREATE TABLE "partner_pictures" (
	"partner_id" uuid PRIMARY KEY NOT NULL,
	"mime_type" text NOT NULL,
	"bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"data" "bytea" NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "partner_pictures_mime" CHECK ("partner_pictures"."mime_type" in ('image/jpeg', 'image/png', 'image/gif')),
	CONSTRAINT "partner_pictures_size" CHECK ("partner_pictures"."bytes" > 0 and "partner_pictures"."bytes" < 2097152)
);
--> statement-breakpoint
CREATE TABLE "partners" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "partner_kind" NOT NULL,
	"code" text NOT NULL,
	"status" "partner_status" DEFAULT 'enabled' NOT NULL,
	"approved" boolean DEFAULT true NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text,
	"email" text NOT NULL,
	"phone" text,
	"company_name" text,
	"nickname" text,
	"notes" text,
	"since" date,
	"total" numeric(16, 2) NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"street" text,
	"address2" text,
	"city" text,
	"state" text,
	"postal_code" text,
	"country" text,
	"website" text,
	"employees" integer,
	"orders_count" integer DEFAULT 0 NOT NULL,
	"last_order_date" date,
	"access_groups" text[] DEFAULT '{}'::text[] NOT NULL,
	"block_non_compliant_orders" boolean DEFAULT false NOT NULL,
	"notify_on_compliance_breach" boolean DEFAULT false NOT NULL,
	"terms_accepted_at" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	"updated_by" text NOT NULL,
	"disabled_at" timestamp with time zone,
	"disabled_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"search_text" text GENERATED ALWAYS AS (pb_norm(first_name || ' ' || coalesce(last_name, '') || ' ' || coalesce(company_name, '') || ' ' || coalesce(nickname, '') || ' ' || email || ' ' || coalesce(phone, '') || ' ' || coalesce(substr(phone, 2), '') || ' ' || code)) STORED NOT NULL,
	"sort_name" text COLLATE "C" GENERATED ALWAYS AS (pb_norm(first_name || ' ' || coalesce(last_name, ''))) STORED NOT NULL,
	"sort_company" text COLLATE "C" GENERATED ALWAYS AS (coalesce(nullif(pb_norm(company_name), ''), chr(1114111))) STORED NOT NULL,
	"sort_city" text COLLATE "C" GENERATED ALWAYS AS (coalesce(nullif(pb_norm(city), ''), chr(1114111))) STORED NOT NULL,
	"sort_country" text COLLATE "C" GENERATED ALWAYS AS (coalesce(country, chr(1114111))) STORED NOT NULL,
	"sort_last_order" date GENERATED ALWAYS AS (coalesce(last_order_date, '-infinity'::date)) STORED NOT NULL,
	"sort_since" date GENERATED ALWAYS AS (coalesce(since, '-infinity'::date)) STORED NOT NULL,
	CONSTRAINT "partners_code_format" CHECK ("partners"."code" ~ '^[A-Z0-9][A-Z0-9._-]{0,31}$'),
	CONSTRAINT "partners_first_name_present" CHECK (length(btrim("partners"."first_name")) between 1 and 100),
	CONSTRAINT "partners_email_lower" CHECK ("partners"."email" = lower("partners"."email") and position('@' in "partners"."email") > 1),
	CONSTRAINT "partners_phone_e164" CHECK ("partners"."phone" ~ '^\+[1-9][0-9]{5,14}$'),
	CONSTRAINT "partners_total_nonnegative" CHECK ("partners"."total" >= 0),
	CONSTRAINT "partners_currency_iso" CHECK ("partners"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "partners_country_alpha2" CHECK ("partners"."country" ~ '^[A-Z]{2}$'),
	CONSTRAINT "partners_employees_nonnegative" CHECK ("partners"."employees" >= 0),
	CONSTRAINT "partners_orders_count_nonnegative" CHECK ("partners"."orders_count" >= 0),
	CONSTRAINT "partners_version_positive" CHECK ("partners"."version" >= 1),
	CONSTRAINT "partners_disabled_consistent" CHECK (("partners"."status" = 'disabled') = ("partners"."disabled_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "principals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type" "principal_type" NOT NULL,
	"name" text NOT NULL,
	"role" "principal_role" NOT NULL,
	"access_groups" text[] DEFAULT '{}'::text[] NOT NULL,
	"token_hash" text,
	"token_prefix" text,
	"slack_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "principals_type_identity" CHECK (("principals"."type" = 'token' and "principals"."token_hash" is not null) or ("principals"."type" = 'slack' and "principals"."slack_user_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "compliance_items" ADD CONSTRAINT "compliance_items_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_pictures" ADD CONSTRAINT "partner_pictures_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_partner_idx" ON "audit_events" USING btree ("partner_id","id");--> statement-breakpoint
CREATE INDEX "audit_events_at_idx" ON "audit_events" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "compliance_items_partner_name_key" ON "compliance_items" USING btree ("partner_id",lower("name"));--> statement-breakpoint
CREATE INDEX "compliance_items_valid_to_idx" ON "compliance_items" USING btree ("valid_to");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_partner_reference_key" ON "orders" USING btree ("partner_id","reference");--> statement-breakpoint
CREATE INDEX "orders_partner_date_idx" ON "orders" USING btree ("partner_id","order_date");--> statement-breakpoint
CREATE UNIQUE INDEX "partners_kind_code_key" ON "partners" USING btree ("kind","code");--> statement-breakpoint
CREATE UNIQUE INDEX "partners_kind_email_key" ON "partners" USING btree ("kind","email");--> statement-breakpoint
CREATE INDEX "partners_search_trgm" ON "partners" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "partners_kind_since_idx" ON "partners" USING btree ("kind","since");--> statement-breakpoint
CREATE INDEX "partners_kind_last_order_idx" ON "partners" USING btree ("kind","last_order_date");--> statement-breakpoint
CREATE INDEX "partners_kind_status_idx" ON "partners" USING btree ("kind","status");--> statement-breakpoint
CREATE INDEX "partners_country_kind_idx" ON "partners" USING btree ("country","kind","sort_last_order");--> statement-breakpoint
CREATE INDEX "partners_sort_name_idx" ON "partners" USING btree ("sort_name","id");--> statement-breakpoint
CREATE INDEX "partners_sort_company_idx" ON "partners" USING btree ("sort_company","id");--> statement-breakpoint
CREATE INDEX "partners_sort_city_idx" ON "partners" USING btree ("sort_city","id");--> statement-breakpoint
CREATE INDEX "partners_sort_country_idx" ON "partners" USING btree ("sort_country","id");--> statement-breakpoint
CREATE INDEX "partners_sort_total_idx" ON "partners" USING btree ("total","id");--> statement-breakpoint
CREATE INDEX "partners_sort_orders_idx" ON "partners" USING btree ("orders_count","id");--> statement-breakpoint
CREATE INDEX "partners_sort_last_order_idx" ON "partners" USING btree ("sort_last_order","id");--> statement-breakpoint
CREATE INDEX "partners_sort_since_idx" ON "partners" USING btree ("sort_since","id");--> statement-breakpoint
CREATE INDEX "partners_sort_code_idx" ON "partners" USING btree ("code","id");--> statement-breakpoint
CREATE UNIQUE INDEX "principals_token_hash_key" ON "principals" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "principals_slack_user_key" ON "principals" USING btree ("slack_user_id");