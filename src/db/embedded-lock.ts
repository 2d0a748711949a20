import { randomBytes } from 'node:crypto';
import {
  mkdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/** Thrown when another process holds the embedded database (or its server does not answer). */
export class EmbeddedDatabaseBusy extends Error {}

/** Who holds the embedded database; a serving holder also gives its URL and a local CLI token. */
export interface Holder {
  pid: number;
  command: string;
  /** The holder's host (name, and pid namespace on Linux): its pid means something only there. */
  host?: string;
  /** Linux: the holder's start time, which tells the holder from a later process reusing its pid. */
  startTime?: string;
  /** Identifies one hold of the lock, so a holder notices when its lock was taken over. */
  nonce?: string;
  url?: string;
  localToken?: string;
}

/** A lock whose holder has not touched it for this long is stale (the holder hangs or is on another host). */
const staleAfterMs = 15_000;
const heartbeatMs = 5_000;

// The lock is a directory (mkdir is atomic) holding the holder's record, so a record always
// belongs to the lock it sits in; the record's mtime is the heartbeat.
const lockDirOf = (dir: string) => join(dir, 'partnerbook.lock');
const holderFileOf = (dir: string) => join(lockDirOf(dir), 'holder.json');
// Taking over a stale lock is serialized by a second directory, held for milliseconds.
const takeoverDirOf = (dir: string) => join(dir, 'partnerbook.lock.takeover');

/** The current holder of the embedded database, if it left its details. */
export function readHolder(dataDir: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(holderFileOf(resolve(dataDir)), 'utf8')) as Holder;
  } catch {
    return undefined;
  }
}

type LockState =
  | { kind: 'free' }
  | { kind: 'held'; holder?: Holder }
  | { kind: 'stale'; holder?: Holder; reason: string };

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as { code?: string }).code !== 'ESRCH';
  }
}

/** This host's name and, on Linux, its pid namespace (containers sharing a volume may share a name). */
function thisHost(): string {
  try {
    return `${hostname()} ${readlinkSync('/proc/self/ns/pid')}`;
  } catch {
    return hostname();
  }
}

/** A process's start time in clock ticks since boot, from /proc (Linux); undefined elsewhere. */
function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces; starttime is field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function ageMs(path: string): number | undefined {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function inspectLock(dir: string): LockState {
  const lockAge = ageMs(lockDirOf(dir));
  if (lockAge === undefined) return { kind: 'free' };
  const holder = readHolder(dir);
  if (holder && holder.host === thisHost()) {
    if (!processExists(holder.pid))
      return { kind: 'stale', holder, reason: `its process (pid ${holder.pid}) no longer exists` };
    const startTime = processStartTime(holder.pid);
    if (holder.startTime && startTime) {
      if (startTime !== holder.startTime)
        return { kind: 'stale', holder, reason: `its process (pid ${holder.pid}) no longer exists` };
      // The holder is alive, however old its heartbeat: a long synchronous PGlite call blocks its
      // timer, and taking the lock then would put two writers on one data directory.
      return { kind: 'held', holder };
    }
  }
  // Without a record the lock is being created (or was left by an older version, which touched the directory).
  const heartbeatAge = (holder ? ageMs(holderFileOf(dir)) : undefined) ?? lockAge;
  if (heartbeatAge > staleAfterMs)
    return {
      kind: 'stale',
      holder,
      reason: `it has not been refreshed for ${Math.round(heartbeatAge / 1000)} s`,
    };
  return { kind: 'held', holder };
}

function writeHolder(dir: string, holder: Holder): void {
  // Written aside and renamed into place, so a reader never sees half a record.
  const temporary = join(lockDirOf(dir), `holder.${holder.nonce}.tmp`);
  writeFileSync(temporary, JSON.stringify(holder), { mode: 0o600 });
  renameSync(temporary, holderFileOf(dir));
}

function tryCreateLock(dir: string, holder: Holder): boolean {
  try {
    mkdirSync(lockDirOf(dir));
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeHolder(dir, holder);
  } catch (error) {
    rmSync(lockDirOf(dir), { recursive: true, force: true });
    throw error;
  }
  return true;
}

/** Replaces a stale lock with ours, unless another process is doing the same right now. */
function tryTakeOver(dir: string, holder: Holder): boolean {
  const takeoverDir = takeoverDirOf(dir);
  try {
    mkdirSync(takeoverDir);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
    // Held for milliseconds; an old one was left by a process that died taking over.
    if ((ageMs(takeoverDir) ?? 0) > staleAfterMs) rmSync(takeoverDir, { recursive: true, force: true });
    return false;
  }
  try {
    // Judged again under the takeover lock: another process may have taken it over meanwhile.
    if (inspectLock(dir).kind === 'stale') rmSync(lockDirOf(dir), { recursive: true, force: true });
    return tryCreateLock(dir, holder);
  } finally {
    rmSync(takeoverDir, { recursive: true, force: true });
  }
}

function busyError(dir: string, holder: Holder | undefined): EmbeddedDatabaseBusy {
  const who = holder
    ? `\`partnerbook ${holder.command}\` (pid ${holder.pid}${holder.url ? `, ${holder.url}` : ''})`
    : 'another partnerbook process';
  return new EmbeddedDatabaseBusy(
    `The embedded database in ${dir} is in use by ${who}. The embedded database allows one process at a time: ` +
      'stop that process and run this command again. While a partnerbook server holds it, the directory commands ' +
      '(search, get, summary, export, call, ask, digest) go through that server; installation commands (migrate, seed, tokens, settings, slack-users) need it stopped. ' +
      'For several processes at once, use PostgreSQL: set DATABASE_URL.',
  );
}

export interface EmbeddedLock {
  /** Set when the previous holder died without releasing the lock: who it was and how that was seen. */
  tookOverFrom?: { holder?: Holder; reason: string };
  release(): Promise<void>;
  setServer(server: { url: string; localToken: string }): void;
}

/**
 * PGlite allows one process at a time. Takes an exclusive lock on DATA_DIR and records who
 * holds it, so a second process can say plainly what to do. A lock whose holder is gone is
 * taken over at once: its pid no longer exists on this host (or, on Linux, now belongs to a
 * process that started later). Where that cannot be told (another host, no /proc), a lock
 * whose heartbeat (every 5 s) is older than 15 s is stale. `onLost` runs if our lock is ever
 * taken over all the same; by default it throws.
 */
export async function lockEmbeddedDatabase(
  dataDir: string,
  command: string,
  options: { onLost?: (error: Error) => void } = {},
): Promise<EmbeddedLock> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const holder: Holder = {
    pid: process.pid,
    command,
    host: thisHost(),
    startTime: processStartTime(process.pid),
    nonce: randomBytes(8).toString('hex'),
  };
  let tookOverFrom: EmbeddedLock['tookOverFrom'];
  for (let attempt = 0; ; attempt++) {
    if (tryCreateLock(dir, holder)) break;
    const state = inspectLock(dir);
    if (state.kind === 'held') throw busyError(dir, state.holder);
    if (state.kind === 'stale' && tryTakeOver(dir, holder)) {
      tookOverFrom = { holder: state.holder, reason: state.reason };
      break;
    }
    // Released or being taken over by another process meanwhile: look again shortly.
    if (attempt >= 50) throw busyError(dir, readHolder(dir));
    await new Promise((wake) => setTimeout(wake, 100));
  }
  // A record an older version kept beside the lock.
  rmSync(join(dir, 'partnerbook-holder.json'), { force: true });

  const ours = () => readHolder(dir)?.nonce === holder.nonce;
  const onLost =
    options.onLost ??
    ((error: Error) => {
      throw error;
    });
  const heartbeat = setInterval(() => {
    try {
      if (!ours()) throw new Error('not ours');
      const now = new Date();
      utimesSync(holderFileOf(dir), now, now);
    } catch {
      clearInterval(heartbeat);
      onLost(new Error(`The lock on the embedded database in ${dir} was taken over by another process.`));
    }
  }, heartbeatMs);
  heartbeat.unref();
  return {
    tookOverFrom,
    setServer(server) {
      Object.assign(holder, server);
      if (ours()) writeHolder(dir, holder);
    },
    async release() {
      clearInterval(heartbeat);
      if (ours()) rmSync(lockDirOf(dir), { recursive: true, force: true });
    },
  };
}
