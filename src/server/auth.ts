import type { MiddlewareHandler } from 'hono';
import type { Db } from '../db/client.ts';
import type { Principal, Via } from '../directory/principal.ts';
import { authenticateToken } from '../directory/principals.ts';
import type { RateLimiter } from './rate-limit.ts';

/** The operator running CLI commands beside an embedded-database server. */
export const localCliPrincipal: Principal = {
  id: 'local-cli',
  name: 'local cli',
  role: 'admin',
  accessGroups: [],
};

export type AuthEnv = { Variables: { principal: Principal; via?: Via } };

const challenge = (error: string, description: string) =>
  `Bearer realm="partnerbook", error="${error}", error_description="${description}"`;

/**
 * Bearer authentication (principal read fresh on every request, so role changes and
 * revocations apply at once), then the per-principal rate limit.
 */
export function bearerAuth(options: {
  db: Db;
  bootstrapToken?: string;
  /** The embedded server's token for CLI commands run beside it (from DATA_DIR, mode 0600). */
  localToken?: string;
  limiter: RateLimiter;
}): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      c.header('WWW-Authenticate', challenge('invalid_request', 'Send Authorization: Bearer <token>'));
      return c.json(
        { error: 'unauthorized', message: 'Authentication required: send Authorization: Bearer <token>.' },
        401,
      );
    }
    const token = match[1]!;
    const principal =
      options.localToken && token === options.localToken
        ? localCliPrincipal
        : await authenticateToken(options.db, { token, bootstrapToken: options.bootstrapToken });
    if (!principal) {
      c.header('WWW-Authenticate', challenge('invalid_token', 'The token is unknown or revoked'));
      return c.json({ error: 'unauthorized', message: 'The token is unknown or revoked.' }, 401);
    }
    const wait = options.limiter.take(principal.id);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return c.json({ error: 'rate_limited', message: `Too many requests; retry in ${wait} s.` }, 429);
    }
    c.set('principal', principal);
    await next();
  };
}
