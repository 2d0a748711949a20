CREATE TYPE "public"."import_status" AS ENUM('queued', 'running', 'completed', 'rejected', 'failed');--> statement-breakpoint
ALTER TYPE "public"."audit_action" ADD VALUE 'import';--> statement-breakpoint
ALTER TYPE "public"."audit_action" ADD VALUE 'merge';--> statement-breakpoint
ALTER TYPE "public"."audit_action" ADD VALUE 'counterpart_link';--> statement-breakpoint
CREATE TABLE "import_file_chunks" (
	"import_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "import_file_chunks_import_id_seq_pk" PRIMARY KEY("import_id","seq")
);
--> statement-breakpoint
CREATE TABLE "import_records" (
	"import_id" uuid NOT NULL,
	"row_number" integer NOT NULL,
	"partner_id" uuid NOT NULL,
	"action" text NOT NULL,
	"before" jsonb,
	"version" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_records_import_id_row_number_pk" PRIMARY KEY("import_id","row_number"),
	CONSTRAINT "import_records_action" CHECK ("import_records"."action" in ('created', 'updated'))
);
--> statement-breakpoint
CREATE TABLE "import_rejections" (
	"import_id" uuid NOT NULL,
	"row_number" integer NOT NULL,
	"cells" jsonb NOT NULL,
	"problems" jsonb NOT NULL,
	CONSTRAINT "import_rejections_import_id_row_number_pk" PRIMARY KEY("import_id","row_number")
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "partner_kind" NOT NULL,
	"file_name" text NOT NULL,
	"format" text NOT NULL,
	"options" jsonb NOT NULL,
	"actor" jsonb NOT NULL,
	"time_zone" text NOT NULL,
	"status" "import_status" DEFAULT 'queued' NOT NULL,
	"phase" text,
	"headers" text[],
	"columns" jsonb,
	"total_bytes" bigint,
	"bytes_read" bigint DEFAULT 0 NOT NULL,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"message" text,
	"job_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "imports_format" CHECK ("imports"."format" in ('csv', 'xlsx'))
);
--> statement-breakpoint
ALTER TABLE "import_file_chunks" ADD CONSTRAINT "import_file_chunks_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_records" ADD CONSTRAINT "import_records_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_rejections" ADD CONSTRAINT "import_rejections_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_records_partner_idx" ON "import_records" USING btree ("partner_id");--> statement-breakpoint
CREATE INDEX "imports_created_idx" ON "imports" USING btree ("created_at");