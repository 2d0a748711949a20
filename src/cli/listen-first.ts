import { serve as listen } from '@hono/node-server';
import type { Config } from '../config.ts';
import { readHolder } from '../db/embedded-lock.ts';
import { nodeServerOptions } from '../server/node-server.ts';

type Fetch = (request: Request) => Response | Promise<Response>;

/** The port could not be taken: says why and what to do (nothing has been created yet). */
export class PortUnavailable extends Error {}

const starting: Fetch = () =>
  Response.json(
    { error: 'unavailable', message: 'partnerbook is starting; try again in a moment.' },
    { status: 503, headers: { 'retry-after': '2' } },
  );

/**
 * Takes the port before anything else happens (no database file, token or demo data is made on
 * a start that cannot listen), answering 503 "starting" until `ready(fetch)` hands over the app.
 */
export async function listenFirst(config: Config) {
  let handler: Fetch = starting;
  const server = await new Promise<ReturnType<typeof listen>>((resolve, reject) => {
    const instance = listen(
      {
        fetch: (request: Request) => handler(request),
        port: config.PORT,
        hostname: config.HOST,
        serverOptions: nodeServerOptions(config),
      },
      () => {
        instance.off('error', refused);
        resolve(instance);
      },
    );
    const refused = (error: NodeJS.ErrnoException) => reject(portError(config, error));
    instance.once('error', refused);
  });
  return {
    server,
    ready(fetch: Fetch) {
      handler = fetch;
    },
  };
}

/** EADDRINUSE / EACCES / EADDRNOTAVAIL in words, naming the variable to change. */
export function portError(config: Config, error: NodeJS.ErrnoException): Error {
  const where = `${config.HOST}:${config.PORT}`;
  const elsewhere = `start on another port instead, e.g. PORT=${config.PORT + 1} npm start`;
  if (error.code === 'EADDRINUSE') {
    const holder = config.DATABASE_URL ? undefined : readHolder(config.DATA_DIR);
    const running = holder?.url?.endsWith(`:${config.PORT}`)
      ? `partnerbook already runs there on this data folder (pid ${holder.pid}, ${holder.url}): use it (e.g. npx partnerbook summary), or stop it, or ${elsewhere}.`
      : `Another program (perhaps another partnerbook) listens there: stop it, or ${elsewhere}.`;
    return new PortUnavailable(
      `Port ${config.PORT} on ${config.HOST} is already in use. ${running} Nothing was created.`,
      { cause: error },
    );
  }
  if (error.code === 'EACCES')
    return new PortUnavailable(
      `Port ${config.PORT} needs administrator rights on this system (ports below 1024 usually do): ${elsewhere} (PORT=3000 is the default).`,
      { cause: error },
    );
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
    return new PortUnavailable(
      `HOST=${config.HOST} is not an address of this machine, so ${where} cannot be listened on. Use HOST=127.0.0.1 (this machine only) or HOST=0.0.0.0 (every interface).`,
      { cause: error },
    );
  return error;
}
