import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The real binary, on an embedded database in a temporary DATA_DIR: directly, then through a running server.
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(repoRoot, 'bin', 'partnerbook.js');
const startLimitMs = 180_000;
const children: ChildProcess[] = [];
let dataDir: string;

function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0' };
  for (const key of Object.keys(env))
    if (/^(DATABASE_URL|PARTNERBOOK_|SLACK_|OPENAI_|PUBLIC_URL)/.test(key)) delete env[key];
  env.LOG_LEVEL = 'warn';
  return env;
}

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

async function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, 'serve', '--empty'], {
    cwd: repoRoot,
    env: cliEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within the limit:\n${output}`)), startLimitMs);
    const look = (chunk: Buffer) => {
      output += chunk;
      if (/partnerbook is running at http:\/\/\S+ /.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before listening:\n${output}`));
    });
  });
  return child;
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pb-import-cli-'));
});
afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('partnerbook import', () => {
  it('checks with --dry-run, then imports; a rejected row aborts with exit code 1 (database directly)', async () => {
    const file = join(dataDir, 'suppliers.csv');
    writeFileSync(
      file,
      'Company;Contact;E-mail;Tel;Country;Total purchases\nSông Đà JSC;Lan Tran;lan@cli.test;0912345678;Viet Nam;10\nVN Parts;Minh Le;minh@cli.test;0912345679;VN;0\n',
    );
    const dry = await runCli(['import', file, '--kind', 'supplier', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    // Not a terminal: no bar, one plain summary line.
    expect(dry.stdout).toMatch(
      /^Dry run, nothing written \(suppliers\.csv, import [0-9a-f-]+\): 2 rows read: would create 2/,
    );
    expect(dry.stderr).not.toMatch(/\[|%/);
    const real = await runCli(['import', file, '--kind', 'supplier', '--match', 'email']);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toMatch(/^Imported .*: 2 rows read: create 2, update 0, unchanged 0, rejected 0\./);

    const bad = join(dataDir, 'bad.csv');
    writeFileSync(
      bad,
      'Email,Name,Country,Total purchases\nnew@cli.test,New One,VN,0\nx@cli.test,X,Vietnum,0\n',
    );
    const refused = await runCli(['import', bad, '--kind', 'supplier']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^Nothing written .*rejected 1\./);
    expect(refused.stdout).toMatch(/row 3: country: .*Vietnum/);
  }, 600_000);

  it('goes through the server that holds the embedded database', async () => {
    await startServer();
    const file = join(dataDir, 'more.csv');
    writeFileSync(
      file,
      'Email,Name,City,Total purchases\nlan@cli.test,Lan Tran,Hanoi,10\nthree@cli.test,Ba,Hue,0\n',
    );
    const result = await runCli(['import', file, '--kind', 'supplier', '--match', 'email', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: 'completed',
      fileName: 'more.csv',
      created: 1,
      updated: 1,
      rejected: 0,
    });
    const search = await runCli(['search', 'lan@cli.test', '--json']);
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout).toContain('Hanoi');
    const undo = await runCli(['import', 'undo', JSON.parse(result.stdout).id]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(undo.stdout).toMatch(/^Undid import [0-9a-f-]+: 1 record\(s\) removed, 1 restored\./);
  }, 600_000);
});
