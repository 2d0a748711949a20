import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openTestDatabase } from './database.ts';

// The real `partnerbook` binary in child processes, on a fresh embedded database in a temp
// DATA_DIR, or on a fresh PostgreSQL database when the suite runs with DATABASE_URL.
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const bin = join(repoRoot, 'bin', 'partnerbook.js');
/** Generous limits for a busy shared machine: a command takes about 3 s when idle, a start about 10 s. */
export const commandLimitMs = 180_000;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One directory for a suite's CLI runs: its environment, and its cleanup. */
export interface CliWorld {
  driver: 'pglite' | 'postgres';
  dataDir: string;
  env: NodeJS.ProcessEnv;
  run(args: string[], options?: { env?: NodeJS.ProcessEnv; input?: string }): Promise<CliRun>;
  spawn(args: string[], options?: { env?: NodeJS.ProcessEnv }): ChildProcess;
  close(): Promise<void>;
}

/** The caller's environment without anything that would point the CLI elsewhere. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env))
    if (/^(DATABASE_URL|PARTNERBOOK_|SLACK_|OPENAI_|PUBLIC_URL|FORCE_COLOR|NO_COLOR)/.test(key))
      delete env[key];
  return { ...env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...extra };
}

/** Runs `partnerbook <args>` to its end; stdout and stderr are pipes (not a terminal). */
export function runCli(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<CliRun> {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    env,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (input !== undefined) child.stdin!.end(input);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `partnerbook ${args.join(' ')} did not end within ${commandLimitMs} ms:\n${stdout}\n${stderr}`,
        ),
      );
    }, commandLimitMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * A fresh directory for the CLI: a temp DATA_DIR (embedded database), or with DATABASE_URL a new
 * PostgreSQL database and an admin token made by `partnerbook tokens create` (PARTNERBOOK_TOKEN;
 * none with `token: false`, for a first start).
 */
export async function openCliWorld(options: { token?: boolean } = {}): Promise<CliWorld> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pb-cli-'));
  const children: ChildProcess[] = [];
  let env = cleanEnv({ DATA_DIR: join(dataDir, 'data') });
  let closeDatabase = async () => {};
  let driver: CliWorld['driver'] = 'pglite';
  if (process.env.DATABASE_URL) {
    const database = await openTestDatabase({ migrate: false });
    closeDatabase = () => database.close();
    driver = 'postgres';
    env = { ...env, DATABASE_URL: database.url };
    if (options.token === false) return world();
    const made = await runCli(['tokens', 'create', '--name', 'suite-admin', '--role', 'admin'], env);
    if (made.code !== 0) throw new Error(`tokens create failed: ${made.stderr}`);
    env = { ...env, PARTNERBOOK_TOKEN: made.stdout.trim() };
  }
  return world();

  function world(): CliWorld {
    return {
      driver,
      dataDir,
      env,
      run: (args, options = {}) => runCli(args, { ...env, ...options.env }, options.input),
      spawn(args, options = {}) {
        const child = spawn(process.execPath, [bin, ...args], {
          cwd: repoRoot,
          env: { ...env, ...options.env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        children.push(child);
        return child;
      },
      async close() {
        for (const child of children)
          if (child.exitCode === null && child.signalCode === null) {
            const exited = new Promise((resolve) => child.once('exit', resolve));
            child.kill('SIGTERM');
            await exited;
          }
        await closeDatabase();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
}

/**
 * Starts `partnerbook serve` and resolves once it prints where it runs (or rejects with its
 * output when it exits first); `output()` reads everything it printed so far.
 */
export async function startServe(
  world: CliWorld,
  options: { args?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = world.spawn(['serve', ...(options.args ?? [])], { env: options.env });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no start within the limit:\n${output}`)),
      commandLimitMs,
    );
    const look = () => {
      const match = /partnerbook is running at (http:\/\/\S+) /.exec(output);
      if (match && output.includes('Stop with Ctrl+C.')) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      look();
    });
    child.stderr!.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before listening:\n${output}`));
    });
  });
  return { child, url, output: () => output };
}

/** Stops a server started by startServe (SIGTERM, as Ctrl+C would) and waits for it to exit. */
export async function stopServe(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
