CREATE TYPE "public"."pending_change_status" AS ENUM('pending', 'confirmed', 'cancelled', 'failed');--> statement-breakpoint
CREATE TABLE "digest_runs" (
	"channel" text NOT NULL,
	"day" date NOT NULL,
	"claimed_by" text NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"posted_at" timestamp with time zone,
	"message_ts" text,
	"facts" jsonb,
	CONSTRAINT "digest_runs_channel_day_pk" PRIMARY KEY("channel","day")
);
--> statement-breakpoint
CREATE TABLE "slack_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_pending_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slack_user_id" text NOT NULL,
	"channel" text NOT NULL,
	"tool" text NOT NULL,
	"args" jsonb NOT NULL,
	"summary" text NOT NULL,
	"status" "pending_change_status" DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "export_links" ADD COLUMN "capability" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "export_links" ADD COLUMN "principal" jsonb;--> statement-breakpoint
CREATE INDEX "slack_pending_changes_user_idx" ON "slack_pending_changes" USING btree ("slack_user_id","created_at");