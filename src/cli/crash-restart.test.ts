import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHolder } from '../db/embedded-lock.ts';

// Real processes: `partnerbook serve` on the embedded database, killed with SIGKILL, started again.
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(repoRoot, 'bin', 'partnerbook.js');
// Generous limits for a busy machine: a start takes about 10 s when idle.
const startLimitMs = 180_000;
const children: ChildProcess[] = [];
let dataDir: string;
type Server = Awaited<ReturnType<typeof startServer>>;

function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0' };
  // The embedded database, whatever the suite runs on; no tokens or integrations from the caller.
  for (const key of Object.keys(env))
    if (/^(DATABASE_URL|PARTNERBOOK_|SLACK_|OPENAI_|PUBLIC_URL)/.test(key)) delete env[key];
  env.LOG_LEVEL = 'warn';
  return env;
}

/** Starts `partnerbook serve --empty` and waits until it says where it listens. */
async function startServer(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--empty'], {
    cwd: repoRoot,
    env: cliEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within the limit:\n${output}`)), startLimitMs);
    const look = () => {
      const match = /partnerbook is running at (http:\/\/\S+) /.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before listening:\n${output}`));
    });
  });
  return { child, url, output: () => output };
}

/** Runs a CLI command on the same DATA_DIR to its end. */
async function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    env: cliEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}

async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function healthy(url: string): Promise<boolean> {
  const response = await fetch(`${url}/health`);
  return response.ok && ((await response.json()) as { status?: string }).status === 'ok';
}

describe('partnerbook serve on the embedded database after SIGKILL', () => {
  let running: Server | undefined;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'pb-crash-'));
  });
  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGCONT');
      await killHard(child);
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts again at once after the previous server was killed', async () => {
    const first = await startServer();
    expect(await healthy(first.url)).toBe(true);
    await killHard(first.child);

    const second = await startServer();
    expect(await healthy(second.url)).toBe(true);
    expect(second.output()).toMatch(/stopped without releasing it; taking over/);
    // The CLI reaches the new server, not the dead one's address.
    const search = await runCli(['search', 'x']);
    expect(search.stderr).not.toMatch(/fetch failed/);
    expect(search.code, search.stderr).toBe(0);
    await killHard(second.child);
  }, 600_000);

  it('lets the CLI work on the database directly once the server was killed', async () => {
    const search = await runCli(['search', 'x']);
    expect(search.stderr).not.toMatch(/fetch failed/);
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout).toMatch(/match/);
    // The CLI released the lock again: a server starts.
    running = await startServer();
    expect(await healthy(running.url)).toBe(true);
  }, 600_000);

  it('says the holding server is not answering, and what to do, when it hangs', async () => {
    const server = running!.child;
    server.kill('SIGSTOP');
    try {
      const search = await runCli(['search', 'x']);
      expect(search.code).not.toBe(0);
      expect(search.stderr).not.toMatch(/fetch failed/);
      expect(search.stderr).toMatch(/is not answering/);
      expect(search.stderr).toMatch(`kill ${server.pid}`);
      expect(search.stderr).toMatch(/partnerbook serve/);
    } finally {
      server.kill('SIGCONT');
    }
    // Resumed, it still holds the database and answers: nobody took it over while it was stopped.
    expect(await healthy(running!.url)).toBe(true);
    expect(readHolder(dataDir)?.pid).toBe(server.pid);
    // A clean stop releases the lock.
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
    expect(readHolder(dataDir)).toBeUndefined();
  }, 600_000);
});
