import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import lockfile from 'proper-lockfile';

/** Thrown when another process holds the embedded database. */
export class EmbeddedDatabaseBusy extends Error {}

/** Who holds the embedded database; a serving holder also gives its URL and a local CLI token. */
export interface Holder {
  pid: number;
  command: string;
  url?: string;
  localToken?: string;
}

/** The current holder of the embedded database, if it left its details. */
export function readHolder(dataDir: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(join(resolve(dataDir), 'partnerbook-holder.json'), 'utf8')) as Holder;
  } catch {
    return undefined;
  }
}

/**
 * PGlite allows one process at a time. Takes an exclusive lock on DATA_DIR (stale after 15 s
 * if its holder died) and records who holds it, so a second process can say plainly what to do.
 */
export async function lockEmbeddedDatabase(
  dataDir: string,
  command: string,
): Promise<{ release(): Promise<void>; setServer(server: { url: string; localToken: string }): void }> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const holderFile = join(dir, 'partnerbook-holder.json');
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, {
      lockfilePath: join(dir, 'partnerbook.lock'),
      stale: 15_000,
      update: 5_000,
      realpath: false,
    });
  } catch (error) {
    if ((error as { code?: string }).code !== 'ELOCKED') throw error;
    const holder = readHolder(dir);
    const who = holder
      ? `\`partnerbook ${holder.command}\` (pid ${holder.pid}${holder.url ? `, ${holder.url}` : ''})`
      : 'another partnerbook process';
    throw new EmbeddedDatabaseBusy(
      `The embedded database in ${dir} is in use by ${who}. The embedded database allows one process at a time: ` +
        'stop that process and run this command again, or use the running server instead (its MCP endpoint, or `partnerbook ask` once it is stopped). ' +
        'For several processes at once, use PostgreSQL: set DATABASE_URL.',
    );
  }
  const holder: Holder = { pid: process.pid, command };
  writeFileSync(holderFile, JSON.stringify(holder), { mode: 0o600 });
  return {
    setServer(server) {
      Object.assign(holder, server);
      writeFileSync(holderFile, JSON.stringify(holder), { mode: 0o600 });
    },
    async release() {
      rmSync(holderFile, { force: true });
      await release();
    },
  };
}
