CREATE TABLE "job_progress" (
	"queue" text NOT NULL,
	"job_id" uuid NOT NULL,
	"done" integer NOT NULL,
	"total" integer,
	"message" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_progress_queue_job_id_pk" PRIMARY KEY("queue","job_id")
);
--> statement-breakpoint
CREATE INDEX "job_progress_updated_idx" ON "job_progress" USING btree ("updated_at");