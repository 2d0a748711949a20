import { customType, integer, timestamp } from 'drizzle-orm/pg-core';

/** createdAt / updatedAt / version, shared by every mutable table. */
export const lifecycleColumns = {
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
};

/**
 * Text compared byte-wise (COLLATE "C"): sort keys must order the same on PostgreSQL and PGlite,
 * whatever the server's locale, and the sentinel U+10FFFF must sort after every real value.
 */
export const sortKeyText = customType<{ data: string; driverData: string }>({
  dataType() {
    return 'text COLLATE "C"';
  },
});

/** PostgreSQL bytea as a Node Buffer. */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType() {
    return 'bytea';
  },
  fromDriver(value) {
    return Buffer.from(value);
  },
});
