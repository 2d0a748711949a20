import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bin,
  type CliWorld,
  cleanEnv,
  openCliWorld,
  runCli,
  startServe,
  stopServe,
} from '../../test/cli-process.ts';

// A newcomer's first hour through the real binary: a first start (port taken, token, empty
// directory), a record of their own, links that open for whoever asked, a wrong PostgreSQL URL,
// and tables on a terminal (a pseudo-terminal from `script`) versus plain text when piped.
const limit = 600_000;
const run = promisify(execFile);

/** A port something else listens on (another program), held until released. */
async function takePort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, server };
}

describe('a first start', () => {
  let world: CliWorld;
  beforeAll(async () => {
    world = await openCliWorld({ token: false });
  }, limit);
  afterAll(async () => {
    await world?.close();
  });

  it(
    'refuses a port in use before creating anything, then prints the token once on the start that listens',
    async () => {
      const taken = await takePort();
      try {
        const refused = await world.run(['serve', '--empty'], { env: { PORT: String(taken.port) } });
        expect(refused.code).toBe(2);
        expect(refused.stderr).toBe(
          `Port ${taken.port} on 127.0.0.1 is already in use. Another program (perhaps another partnerbook) listens there: stop it, or start on another port instead, e.g. PORT=${taken.port + 1} npm start. Nothing was created.\n`,
        );
        expect(refused.stdout).toBe('');
        if (world.driver === 'pglite') expect(existsSync(world.env.DATA_DIR!)).toBe(false);
      } finally {
        taken.server.close();
      }

      // At the default log level, as a newcomer starts it.
      const first = await startServe(world, { args: ['--empty'], env: { LOG_LEVEL: 'info' } });
      const text = first.output();
      // The token was not made by the refused start: this start makes it and prints it.
      const token =
        /^Admin token \(shown this once; store it now, e\.g\. in a password manager\): (pb_\S+)$/m.exec(
          text,
        )?.[1];
      expect(token).toBeDefined();
      // Human text only: no JSON log line in the middle of it.
      expect(text.split('\n').filter((line) => line.startsWith('{'))).toEqual([]);
      expect(text).toContain(
        'The directory is empty. Add your first supplier (README, "Bring your own data"):',
      );
      expect(text).toContain(
        `  npx partnerbook call create_partner '{"kind":"supplier","firstName":"Linh","email":"linh@saigoncotton.vn","companyName":"Saigon Cotton","country":"Vietnam","totalPurchases":0,"termsAccepted":true}'`,
      );
      if (world.driver === 'postgres')
        expect(text).toContain('export PARTNERBOOK_TOKEN=<the admin token above>');
      const asAdmin = await fetch(`${first.url}/api/tools/directory_summary`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(asAdmin.status).toBe(200);
      await stopServe(first.child);

      const again = await startServe(world, { args: ['--empty'] });
      expect(again.output()).not.toContain(token!);
      expect(again.output()).toContain(
        'Lost it? Make another with `npx partnerbook tokens create --name me --role admin`',
      );
      await stopServe(again.child);
    },
    limit,
  );
});

describe('beside a running server', () => {
  let world: CliWorld;
  let server: Awaited<ReturnType<typeof startServe>>;
  beforeAll(async () => {
    world = await openCliWorld();
    server = await startServe(world, { args: ['--empty'] });
    // Links the CLI makes itself (on PostgreSQL) point where the server listens, as PORT says.
    world.env.PORT = new URL(server.url).port;
  }, limit);
  afterAll(async () => {
    if (server) await stopServe(server.child);
    await world?.close();
  });

  it(
    'adds a record with the command the empty directory suggests; without a since date it counts as New',
    async () => {
      const created = await world.run([
        'call',
        'create_partner',
        '{"kind":"supplier","firstName":"Linh","email":"linh@saigoncotton.vn","companyName":"Saigon Cotton","country":"Vietnam","totalPurchases":0,"termsAccepted":true}',
      ]);
      expect(created.stderr).toBe('');
      expect(created.stdout).toMatch(
        /^Created SUP-\d{6} Linh \(Saigon Cotton\), supplier, enabled, version 1\./,
      );
      const summary = await world.run(['summary', '--kind', 'supplier']);
      expect(summary.stdout).toMatch(
        /\nSuppliers: 1 in all \(1 enabled, 0 disabled\), 1 new, 0 active, 1 inactive\n$/,
      );
    },
    limit,
  );

  it(
    'prints the exact curl command for an export link, and it downloads the file for whoever asked',
    async () => {
      const answer = await world.run(['call', 'export_partners', '{"kind":"supplier"}']);
      expect(answer.code).toBe(0);
      expect(answer.stdout).not.toContain('attached');
      const command = /\n {2}(curl -fsSL .+)\n$/.exec(answer.stdout)?.[1];
      expect(command).toMatch(
        world.env.PARTNERBOOK_TOKEN
          ? /^curl -fsSL -H "Authorization: Bearer \$PARTNERBOOK_TOKEN" -o partnerbook-suppliers-\d{4}-\d{2}-\d{2}\.csv http:\/\/\S+\/exports\/[0-9a-f-]{36}$/
          : /^curl -fsSL -o partnerbook-suppliers-\d{4}-\d{2}-\d{2}\.csv http:\/\/\S+\/exports\/[0-9a-f-]{36}$/,
      );
      const folder = mkdtempSync(join(tmpdir(), 'pb-curl-'));
      try {
        await run('sh', ['-c', command!], { cwd: folder, env: world.env });
        const [file] = readdirSync(folder);
        expect(readFileSync(join(folder, file!), 'utf8')).toMatch(
          /^\uFEFFSupplier,Code,.*\nLinh,SUP-\d{6},linh@saigoncotton\.vn/s,
        );
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
    limit,
  );

  it(
    'exports CSV to stdout through the server that holds the database',
    async () => {
      const csv = await world.run(['export', '--kind', 'supplier', '--country', 'VN']);
      expect(csv.code).toBe(0);
      expect(csv.stdout).toMatch(/^Supplier,Code,.*\nLinh,SUP-\d{6},linh@saigoncotton\.vn/s);
      const file = join(world.dataDir, 'suppliers.xlsx');
      const xlsx = await world.run(['export', '--kind', 'supplier', '--output', file]);
      expect(xlsx.stderr).toBe(`Wrote 1 supplier to ${file}.\n`);
      expect(readFileSync(file).subarray(0, 2).toString()).toBe('PK');
    },
    limit,
  );

  it(
    'draws a table on a terminal (colour unless NO_COLOR) and plain lines when piped',
    async () => {
      const shell = (extra: string) =>
        run(
          'script',
          // Without CI in its environment: Node's hasColors() turns colour off on CI machines.
          [
            '-qec',
            `env -u CI ${extra} ${JSON.stringify(process.execPath)} ${bin} search --kind supplier`,
            '/dev/null',
          ],
          {
            env: { ...world.env, TERM: 'xterm-256color' },
          },
        );
      const coloured = await shell('');
      expect(coloured.stdout).toMatch(/┌─+┬/);
      expect(coloured.stdout).toMatch(/│ \S*Code\S* +│ \S*Name/);
      expect(coloured.stdout).toContain('\u001b[1m');
      const plain = await shell('NO_COLOR=1');
      expect(plain.stdout).toMatch(/┌─+┬/);
      expect(plain.stdout).not.toContain('\u001b[');
      const piped = await world.run(['search', '--kind', 'supplier']);
      expect(piped.stdout).toMatch(
        /^1 match:\nSUP-\d{6} · Linh · Saigon Cotton · Viet Nam · [A-Z]{3} 0\.00 · 0 orders\n$/,
      );
    },
    limit,
  );
});

describe('a wrong PostgreSQL URL', () => {
  it(
    'names the host and database that could not be reached, and why, without a stack trace',
    async () => {
      const free = await takePort();
      await new Promise((resolve) => free.server.close(resolve));
      const env = cleanEnv({ DATABASE_URL: `postgres://postgres@127.0.0.1:${free.port}/partnerbook` });
      for (const args of [['summary'], ['serve']]) {
        const refused = await runCli(args, env);
        expect(refused.code).toBe(2);
        expect(refused.stderr).toBe(
          `Could not use PostgreSQL database "partnerbook" on 127.0.0.1:${free.port} (DATABASE_URL): the connection was refused: nothing listens on 127.0.0.1:${free.port}. Start PostgreSQL there, or fix the host or port in DATABASE_URL.\n`,
        );
      }
      if (!process.env.DATABASE_URL) return;
      const url = new URL(process.env.DATABASE_URL);
      url.pathname = '/pb_no_such_database';
      const missing = await runCli(['migrate'], cleanEnv({ DATABASE_URL: url.toString() }));
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(
        /^Could not use PostgreSQL database "pb_no_such_database" on \S+ \(DATABASE_URL\): there is no database "pb_no_such_database" on \S+\. Create it \(createdb pb_no_such_database/,
      );
    },
    limit,
  );
});
