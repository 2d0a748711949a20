/** The codes PostgreSQL and Node give when a database cannot be reached, in words with the fix. */
const reasons: Record<string, (where: Where) => string> = {
  ECONNREFUSED: (w) =>
    `the connection was refused: nothing listens on ${w.host}:${w.port}. Start PostgreSQL there, or fix the host or port in DATABASE_URL.`,
  ENOTFOUND: (w) => `the host "${w.host}" is not known. Fix the host name in DATABASE_URL.`,
  EAI_AGAIN: (w) => `the host "${w.host}" could not be looked up (DNS). Check the network or the host name.`,
  ETIMEDOUT: (w) =>
    `${w.host}:${w.port} did not answer in time. Check the host, the port and any firewall between them.`,
  CONNECT_TIMEOUT: (w) =>
    `${w.host}:${w.port} did not answer in time. Check the host, the port and any firewall between them.`,
  EHOSTUNREACH: (w) =>
    `${w.host} cannot be reached from here. Check the host in DATABASE_URL and the network.`,
  '3D000': (w) =>
    `there is no database "${w.database}" on ${w.host}:${w.port}. Create it (createdb ${w.database}, or CREATE DATABASE "${w.database}";) or fix its name at the end of DATABASE_URL.`,
  '28P01': (w) =>
    `the password for user "${w.user}" was refused. Fix the user or password in DATABASE_URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE).`,
  '28000': (w) =>
    `user "${w.user}" may not connect to database "${w.database}" (pg_hba.conf or no such role). Use another user in DATABASE_URL or allow this one.`,
  '42501': (w) =>
    `user "${w.user}" lacks a privilege partnerbook needs in "${w.database}" (it creates its schemas and tables). Grant it, e.g. GRANT CREATE ON DATABASE "${w.database}" TO "${w.user}";`,
  '53300': (w) => `${w.host}:${w.port} has too many connections open. Close some, or raise max_connections.`,
  '57P03': (w) => `PostgreSQL on ${w.host}:${w.port} is starting up or shutting down. Try again in a moment.`,
};

interface Where {
  host: string;
  port: string;
  database: string;
  user: string;
}

function whereOf(url: string): Where {
  try {
    const parsed = new URL(url);
    return {
      host: parsed.hostname || 'localhost',
      port: parsed.port || '5432',
      database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username),
      user: decodeURIComponent(parsed.username) || 'postgres',
    };
  } catch {
    return { host: 'the host', port: '5432', database: 'the database', user: 'the user' };
  }
}

/** The codes along an error's cause chain (drizzle wraps postgres.js, which wraps Node's). */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error, depth = 0; current && depth < 6; depth++) {
    const { code, errors, cause } = current as { code?: unknown; errors?: unknown[]; cause?: unknown };
    if (typeof code === 'string') codes.push(code);
    if (Array.isArray(errors)) for (const inner of errors) codes.push(...codesOf(inner));
    current = cause;
  }
  return codes;
}

/**
 * Says which PostgreSQL host and database could not be reached and why (refused, unknown host,
 * no such database, authentication), with the fix, instead of the failed query's text; undefined
 * when the error is not about reaching the database. The password is never shown.
 */
export function explainDatabaseError(error: unknown, databaseUrl: string | undefined): string | undefined {
  if (!databaseUrl) return undefined;
  const code = codesOf(error).find((c) => reasons[c]);
  if (!code) return undefined;
  const where = whereOf(databaseUrl);
  return `Could not use PostgreSQL database "${where.database}" on ${where.host}:${where.port} (DATABASE_URL): ${reasons[code]!(where)}`;
}
