import type { Context } from 'hono';

/**
 * The address a request came from: the socket's peer, or behind a trusted reverse proxy
 * (TRUST_PROXY) the last X-Forwarded-For entry, the one our own proxy added. Requests made
 * in-process (tests) have no socket and share the key "local".
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'local';
}
