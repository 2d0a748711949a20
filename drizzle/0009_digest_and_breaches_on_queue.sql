DROP TABLE "digest_runs" CASCADE;--> statement-breakpoint
ALTER TABLE "notifications" DROP COLUMN "claimed_at";