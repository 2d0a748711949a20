import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmbeddedDatabaseBusy, lockEmbeddedDatabase, readHolder } from './embedded-lock.ts';

const lockModule = fileURLToPath(new URL('./embedded-lock.ts', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pb-lock-'));
  dirs.push(dir);
  return dir;
}

/** Another process that tries to lock `dir`; it reports `locked` or `busy` and, if locked, holds it until killed. */
function lockInChild(dir: string): { child: ChildProcess; outcome: Promise<'locked' | 'busy'> } {
  const script = `
    const { lockEmbeddedDatabase } = await import(${JSON.stringify(lockModule)});
    try {
      await lockEmbeddedDatabase(${JSON.stringify(dir)}, 'child');
      console.log('locked');
      setInterval(() => {}, 1000);
    } catch (error) {
      console.log(error.constructor.name === 'EmbeddedDatabaseBusy' ? 'busy' : 'error ' + error.message);
    }`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const outcome = new Promise<'locked' | 'busy'>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) =>
      line === 'locked' || line === 'busy' ? resolve(line) : reject(new Error(line)),
    );
    child.once('exit', (code) => reject(new Error(`the child exited (${code}) before locking`)));
  });
  return { child, outcome };
}

async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

function setAge(path: string, seconds: number): void {
  const then = new Date(Date.now() - seconds * 1000);
  utimesSync(path, then, then);
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(children.splice(0).map(killHard));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('lockEmbeddedDatabase', () => {
  it('takes over at once a lock whose holder was killed with SIGKILL', async () => {
    const dir = tempDir();
    const holder = lockInChild(dir);
    expect(await holder.outcome).toBe('locked');
    await killHard(holder.child);

    const started = Date.now();
    const lock = await lockEmbeddedDatabase(dir, 'test');
    // Well under the 15 s heartbeat limit: the dead pid decided it, not the lock's age.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(lock.tookOverFrom?.reason).toMatch(`pid ${holder.child.pid}`);
    expect(readHolder(dir)?.pid).toBe(process.pid);
    await lock.release();
    expect(readHolder(dir)).toBeUndefined();
  });

  it('refuses while the holder is alive, naming its pid', async () => {
    const dir = tempDir();
    const holder = lockInChild(dir);
    expect(await holder.outcome).toBe('locked');
    const refused = await lockEmbeddedDatabase(dir, 'test').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(EmbeddedDatabaseBusy);
    expect((refused as Error).message).toMatch(`pid ${holder.child.pid}`);
  });

  it.skipIf(!existsSync('/proc/self/stat'))(
    'keeps the lock of a live holder whose heartbeat is old (a long synchronous call blocks it)',
    async () => {
      const dir = tempDir();
      const holder = lockInChild(dir);
      expect(await holder.outcome).toBe('locked');
      setAge(join(dir, 'partnerbook.lock', 'holder.json'), 120);
      await expect(lockEmbeddedDatabase(dir, 'test')).rejects.toBeInstanceOf(EmbeddedDatabaseBusy);
    },
  );

  it("judges another host's lock by its heartbeat alone", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'partnerbook.lock'));
    const record = join(dir, 'partnerbook.lock', 'holder.json');
    // A pid that exists nowhere here: on another host it says nothing about the holder.
    writeFileSync(record, JSON.stringify({ pid: 2 ** 22 + 1, command: 'serve', host: 'elsewhere.invalid' }));
    await expect(lockEmbeddedDatabase(dir, 'test')).rejects.toBeInstanceOf(EmbeddedDatabaseBusy);

    setAge(record, 60);
    const lock = await lockEmbeddedDatabase(dir, 'test');
    expect(lock.tookOverFrom?.reason).toMatch(/not been refreshed/);
    await lock.release();
  });

  it("takes over an older version's lock directory (no holder record) only once it is 15 s old", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'partnerbook.lock'));
    await expect(lockEmbeddedDatabase(dir, 'test')).rejects.toBeInstanceOf(EmbeddedDatabaseBusy);
    setAge(join(dir, 'partnerbook.lock'), 30);
    const lock = await lockEmbeddedDatabase(dir, 'test');
    expect(lock.tookOverFrom).toBeDefined();
    await lock.release();
  });

  it("lets exactly one of several processes take over a dead holder's lock", async () => {
    const dir = tempDir();
    const holder = lockInChild(dir);
    expect(await holder.outcome).toBe('locked');
    await killHard(holder.child);

    const contenders = Array.from({ length: 4 }, () => lockInChild(dir));
    const outcomes = await Promise.all(contenders.map((contender) => contender.outcome));
    expect(outcomes.filter((outcome) => outcome === 'locked')).toHaveLength(1);
    const winner = contenders[outcomes.indexOf('locked')]!;
    expect(readHolder(dir)?.pid).toBe(winner.child.pid);
  });

  it('tells its holder when the lock was taken over by someone else', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const dir = tempDir();
    const onLost = vi.fn();
    const lock = await lockEmbeddedDatabase(dir, 'test', { onLost });
    vi.advanceTimersByTime(6_000);
    expect(onLost).not.toHaveBeenCalled();

    const record = join(dir, 'partnerbook.lock', 'holder.json');
    writeFileSync(record, JSON.stringify({ ...readHolder(dir), nonce: 'someone-else' }));
    vi.advanceTimersByTime(6_000);
    expect(onLost).toHaveBeenCalledOnce();
    await lock.release();
    // Not ours any more: release leaves the other holder's lock alone.
    expect(readHolder(dir)?.nonce).toBe('someone-else');
  });
});
