import { resolve } from 'node:path';
import { EmbeddedDatabaseBusy, type Holder } from '../db/embedded-lock.ts';

/** How long the server holding the embedded database may take to answer its health check. */
const answerWithinMs = 10_000;

/**
 * Sends a CLI request to the server that holds the embedded database. When that server does not
 * answer (still starting, stopping, hung, or on another host that stopped uncleanly), says so
 * and what to do instead of a bare "fetch failed" or an endless wait.
 */
export async function requestHoldingServer(options: {
  holder: Holder & { url: string };
  dataDir: string;
  path: string;
  token: string;
  init?: RequestInit;
}): Promise<Response> {
  const { holder, path, token, init } = options;
  const notAnswering = (cause: unknown) =>
    new EmbeddedDatabaseBusy(
      `The partnerbook server at ${holder.url} (pid ${holder.pid}) holds the embedded database in ` +
        `${resolve(options.dataDir)} but is not answering. If it is starting or busy, try again in a moment. ` +
        `If it hangs, stop it (kill ${holder.pid}) and start it again with \`partnerbook serve\`; ` +
        'once no process holds the database, this command runs on it directly.',
      { cause },
    );
  try {
    // A hung server accepts connections but never answers: a bounded probe first.
    const health = await fetch(`${holder.url}/health`, { signal: AbortSignal.timeout(answerWithinMs) });
    await health.body?.cancel();
    return await fetch(`${holder.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
  } catch (error) {
    throw notAnswering(error);
  }
}
