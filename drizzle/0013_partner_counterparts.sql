CREATE TABLE "partner_counterparts" (
	"customer_id" uuid NOT NULL,
	"supplier_id" uuid NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"linked_by" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "partner_counterparts" ADD CONSTRAINT "partner_counterparts_customer_id_partners_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_counterparts" ADD CONSTRAINT "partner_counterparts_supplier_id_partners_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "partner_counterparts_customer_key" ON "partner_counterparts" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "partner_counterparts_supplier_key" ON "partner_counterparts" USING btree ("supplier_id");