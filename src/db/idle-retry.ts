import type postgres from 'postgres';
import { isConnectionLost } from './connection-errors.ts';

/** What was retried after its pooled connection turned out to be dead, for a log line. */
export interface IdleRetry {
  kind: 'read' | 'transaction';
  error: unknown;
}

// Anything that writes, locks, advances a sequence or signals: such a statement is never re-run.
const writesOrLocks =
  /\b(insert|update|delete|merge|truncate|into|nextval|setval|set_config|pg_advisory\w*|pg_notify|pg_terminate_backend|pg_cancel_backend|share)\b/i;

/**
 * True for a statement that only reads: a SELECT (or WITH ... SELECT) with no data-modifying part,
 * locking clause or side-effecting function. Unsure means false (drizzle sends values as parameters,
 * so the text holds only SQL).
 */
export function isReadOnlyStatement(statement: string): boolean {
  return /^\s*(select|with)\b/i.test(statement) && !writesOrLocks.test(statement);
}

/**
 * Wraps the postgres.js client drizzle queries through, so that work which failed only because
 * its pooled connection had died while idle (PostgreSQL restarted, an idle timeout, or
 * pg_terminate_backend) is run once more on a fresh connection of its own:
 * - a read-only statement outside a transaction, whenever its connection is lost;
 * - a transaction whose BEGIN failed on a lost connection: its callback never ran, nothing was sent
 *   that could have committed. A transaction that loses its connection after it began is not re-run;
 *   it has rolled back and its caller gets a retryable error.
 * Writes outside a transaction are never re-run: whether they committed cannot be known.
 * Statements inside a transaction go to postgres.js's transaction client, not through here.
 */
export function retryOnIdleConnectionLoss(
  sql: postgres.Sql,
  options: { freshClient: () => postgres.Sql; onRetry?: (retry: IdleRetry) => void },
): postgres.Sql {
  async function onFreshClient<T>(work: (client: postgres.Sql) => Promise<T>): Promise<T> {
    const client = options.freshClient();
    try {
      return await work(client);
    } finally {
      await client.end({ timeout: 5 });
    }
  }

  function unsafe(statement: string, parameters?: unknown[], queryOptions?: postgres.UnsafeQueryOptions) {
    let asValues = false;
    let result: Promise<unknown> | undefined;
    const query = (client: postgres.Sql) => {
      const pending = client.unsafe(statement, parameters as postgres.ParameterOrJSON<never>[], queryOptions);
      return asValues ? pending.values() : pending;
    };
    const run = async () => {
      try {
        return await query(sql);
      } catch (error) {
        if (!isConnectionLost(error) || !isReadOnlyStatement(statement)) throw error;
        options.onRetry?.({ kind: 'read', error });
        return onFreshClient(async (client) => await query(client));
      }
    };
    // drizzle awaits the result of unsafe(...) or unsafe(...).values(); postgres.js runs a query when awaited.
    const pending = {
      values() {
        asValues = true;
        return pending;
      },
      // biome-ignore lint/suspicious/noThenProperty: stands in for postgres.js's lazy PendingQuery
      then<A, B>(onFulfilled?: (value: unknown) => A | PromiseLike<A>, onRejected?: (reason: unknown) => B) {
        result ??= run();
        return result.then(onFulfilled, onRejected);
      },
    };
    return pending;
  }

  async function begin(...args: unknown[]) {
    const callback = args.at(-1) as (tx: postgres.TransactionSql) => unknown;
    const mode = args.length > 1 ? (args[0] as string) : '';
    let began = false;
    try {
      return await sql.begin(mode, (tx) => {
        began = true;
        return callback(tx);
      });
    } catch (error) {
      if (began || !isConnectionLost(error)) throw error;
      options.onRetry?.({ kind: 'transaction', error });
      return onFreshClient(async (client) => await client.begin(mode, callback));
    }
  }

  return new Proxy(sql, {
    get(target, key, receiver) {
      if (key === 'unsafe') return unsafe;
      if (key === 'begin') return begin;
      return Reflect.get(target, key, receiver);
    },
  });
}
