import type { Context, MiddlewareHandler } from 'hono';
import type { Db } from '../db/client.ts';
import type { Principal, Via } from '../directory/access/principal.ts';
import { authenticateToken } from '../directory/access/principals.ts';
import { clientAddress } from './client-address.ts';
import { errorResponse } from './http-errors.ts';
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
 * revocations apply at once), then the per-principal rate limit. Failed attempts are counted
 * per client address: past `failures` limit an address is refused with 429 before its token is
 * even looked at, so guessing is slow, while other addresses go on as usual.
 */
export function bearerAuth(options: {
  db: Db;
  bootstrapToken?: string;
  /** The embedded server's token for CLI commands run beside it (from DATA_DIR, mode 0600). */
  localToken?: string;
  limiter: RateLimiter;
  failures: RateLimiter;
  trustProxy: boolean;
}): MiddlewareHandler<AuthEnv> {
  const tooMany = (c: Context, wait: number) => {
    c.header('Retry-After', String(wait));
    return errorResponse(c, 'rate_limited', `Too many requests; retry in ${wait} s.`);
  };
  return async (c, next) => {
    const address = clientAddress(c, options.trustProxy);
    const blocked = options.failures.wait(address);
    if (blocked > 0) return tooMany(c, blocked);
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      c.header('WWW-Authenticate', challenge('invalid_request', 'Send Authorization: Bearer <token>'));
      return errorResponse(c, 'unauthorized', 'Authentication required: send Authorization: Bearer <token>.');
    }
    const token = match[1]!;
    const principal =
      options.localToken && token === options.localToken
        ? localCliPrincipal
        : await authenticateToken(options.db, { token, bootstrapToken: options.bootstrapToken });
    if (!principal) {
      options.failures.take(address);
      c.header('WWW-Authenticate', challenge('invalid_token', 'The token is unknown or revoked'));
      return errorResponse(c, 'unauthorized', 'The token is unknown or revoked.');
    }
    const wait = options.limiter.take(principal.id);
    if (wait > 0) return tooMany(c, wait);
    c.set('principal', principal);
    await next();
  };
}
