import type { ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../config.ts';

/**
 * Options for Node's HTTP server that cut off slow clients: the headers must arrive within
 * HEADERS_TIMEOUT_MS and the whole request (body included) within REQUEST_TIMEOUT_MS, checked
 * every second (Node's default check runs every 30 s). Node answers 408 and closes the socket.
 */
export function nodeServerOptions(config: Config): ServerOptions {
  return {
    headersTimeout: config.HEADERS_TIMEOUT_MS,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    connectionsCheckingInterval: 1000,
  };
}

/**
 * Caps the open connections of one client address (MAX_CONNECTIONS_PER_ADDRESS): a further
 * connection is closed at once, so one address cannot hold every socket the server has.
 */
export function limitConnectionsPerAddress(
  server: { on(event: 'connection', listener: (socket: Socket) => void): unknown },
  max: number,
): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
