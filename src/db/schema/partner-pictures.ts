import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bytea } from './columns.ts';
import { partners } from './partners.ts';

/** Profile pictures, apart from partners so list scans never touch image bytes. */
export const partnerPictures = pgTable(
  'partner_pictures',
  {
    partnerId: uuid('partner_id')
      .primaryKey()
      .references(() => partners.id, { onDelete: 'cascade' }),
    mimeType: text('mime_type').notNull(),
    bytes: integer('bytes').notNull(),
    sha256: text('sha256').notNull(),
    data: bytea('data').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    check('partner_pictures_mime', sql`${t.mimeType} in ('image/jpeg', 'image/png', 'image/gif')`),
    check('partner_pictures_size', sql`${t.bytes} > 0 and ${t.bytes} < 2097152`),
  ],
);
