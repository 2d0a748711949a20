import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A stateless MCP session id: the client's name from initialize, signed with the server
 * secret and bound to the principal. Any replica can read it back, so no session affinity
 * is needed, yet every audit event can name the client that asked.
 */
export function signSession(options: { secret: string; principalId: string; clientName: string }): string {
  const payload = Buffer.from(
    JSON.stringify({ p: options.principalId, c: options.clientName.slice(0, 100) }),
  ).toString('base64url');
  return `${payload}.${mac(options.secret, payload)}`;
}

export function readSession(options: {
  secret: string;
  principalId: string;
  sessionId: string | undefined;
}): string | undefined {
  const [payload, signature] = (options.sessionId ?? '').split('.');
  if (!payload || !signature) return undefined;
  const expected = Buffer.from(mac(options.secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { p?: string; c?: string };
    return data.p === options.principalId && typeof data.c === 'string' ? data.c : undefined;
  } catch {
    return undefined;
  }
}

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}
