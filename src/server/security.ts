import type { MiddlewareHandler } from 'hono';
import { errorResponse } from './http-errors.ts';

const localHosts = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function hostnameOf(value: string): string | undefined {
  try {
    return new URL(value.includes('://') ? value : `http://${value}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * DNS rebinding protection: a present Origin must be local or in ALLOWED_ORIGINS, and when the
 * server is bound to a loopback address the Host must be a loopback name. Both refuse with 403
 * before anything else runs.
 */
export function originGuard(options: {
  allowedOrigins: string[];
  boundToLoopback: boolean;
}): MiddlewareHandler {
  const allowed = new Set(options.allowedOrigins.map((origin) => origin.replace(/\/$/, '').toLowerCase()));
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      const host = hostnameOf(origin);
      if (!allowed.has(origin.toLowerCase()) && !(host && localHosts.has(host))) {
        return errorResponse(c, 'forbidden', `Origin ${origin} is not allowed; add it to ALLOWED_ORIGINS.`);
      }
    }
    if (options.boundToLoopback) {
      const host = hostnameOf(c.req.header('host') ?? new URL(c.req.url).host);
      if (!host || !localHosts.has(host)) {
        return errorResponse(c, 'forbidden', 'This server only answers requests addressed to localhost.');
      }
    }
    await next();
  };
}

/** Refuses credentials in the query string (they end up in logs and browser history). */
export const noQueryTokens: MiddlewareHandler = async (c, next) => {
  const url = new URL(c.req.url);
  for (const key of ['token', 'access_token', 'api_key', 'apikey', 'key', 'auth']) {
    if (url.searchParams.has(key)) {
      return errorResponse(
        c,
        'invalid_request',
        'Tokens in the URL are not accepted; send Authorization: Bearer <token>.',
      );
    }
  }
  await next();
};
