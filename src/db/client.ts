import type { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { type IdleRetry, retryOnIdleConnectionLoss } from './idle-retry.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** The drizzle handle every query goes through, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A database handle or an open transaction: domain functions accept either. */
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  driver: 'pglite' | 'postgres';
  /** Where the data lives, for log lines: a directory, "memory", or the URL without password. */
  location: string;
  /** The raw postgres.js client (bulk COPY in the bench); undefined on PGlite. */
  sql?: postgres.Sql;
  /** The raw PGlite instance; undefined on PostgreSQL. */
  pglite?: PGlite;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | {
      driver: 'postgres';
      url: string;
      maxConnections?: number;
      /** Told when work is re-run because its pooled connection had died while idle. */
      onIdleRetry?: (retry: IdleRetry) => void;
    }
  | { driver: 'pglite'; dataDir?: string };

/**
 * Opens PostgreSQL through postgres.js, or embedded PGlite (in memory when dataDir is omitted).
 * On PostgreSQL, a read or a not-yet-begun transaction that meets a connection which died while
 * idle is run once more on a fresh connection (see retryOnIdleConnectionLoss).
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.driver === 'postgres') {
    const connect = (max: number) =>
      postgres(options.url, {
        max,
        onnotice: () => {},
        // postgres.js prepares statements; a generic plan for a trigram LIKE is ~60x slower than a custom one.
        connection: { plan_cache_mode: 'force_custom_plan', application_name: 'partnerbook' },
      });
    const sql = connect(options.maxConnections ?? 10);
    const client = retryOnIdleConnectionLoss(sql, {
      freshClient: () => {
        const fresh = connect(1);
        // The type parsers drizzle installed on the pool's client (dates stay strings for drizzle to map).
        Object.assign(fresh.options.parsers, sql.options.parsers);
        Object.assign(fresh.options.serializers, sql.options.serializers);
        return fresh;
      },
      onRetry: options.onIdleRetry,
    });
    const db = drizzlePostgres({ client, schema }) as unknown as Db;
    return {
      db,
      driver: 'postgres',
      location: redactUrl(options.url),
      sql,
      close: () => sql.end({ timeout: 5 }),
    };
  }
  // PGlite (a WASM PostgreSQL) is loaded only for the embedded database.
  const [{ PGlite: Embedded }, { pg_trgm }, { unaccent }, { drizzle: drizzlePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('@electric-sql/pglite/contrib/unaccent'),
    import('drizzle-orm/pglite'),
  ]);
  const pglite = await Embedded.create(options.dataDir ?? 'memory://', { extensions: { pg_trgm, unaccent } });
  const db = drizzlePglite({ client: pglite, schema }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    location: options.dataDir ?? 'memory',
    pglite,
    close: () => pglite.close(),
  };
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres';
  }
}

/** Rows of a `db.execute()` result: PGlite returns `{ rows }`, postgres.js an array. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
