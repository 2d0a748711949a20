import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, type CliWorld, openCliWorld, startServe, stopServe } from '../../test/cli-process.ts';
import { addDays, todayIn } from '../directory/activity/clock.ts';

// The directory commands through the real binary, piped (not a terminal): plain stable lines,
// exit codes, and errors that name the option and the fix. On PGlite (a temp DATA_DIR) or, with
// DATABASE_URL, on a fresh PostgreSQL database as the token the CLI was given.
const limit = 600_000;
let world: CliWorld;
const today = todayIn('UTC', { now: () => new Date() });

beforeAll(async () => {
  world = await openCliWorld();
  const seeded = await world.run(['seed', '--count', '40']);
  expect(seeded.stderr).toMatch(
    /^Loaded 20 customers, 20 suppliers, [\d,]+ orders and [\d,]+ compliance items in \d+ seconds?\.\n$/,
  );
  expect(seeded.code).toBe(0);
}, limit);
afterAll(async () => {
  await world?.close();
});

const codesIn = (text: string) => [...text.matchAll(/^(SUP|CUS)-\d{6}/gm)].map((m) => m[0]);

describe('partnerbook search', () => {
  it(
    'pages with --limit and prints the next page as a command that works as printed',
    async () => {
      const first = await world.run(['search', '--kind', 'supplier', '--limit', '5']);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^20 matches, showing 5:\n/);
      const page1 = codesIn(first.stdout);
      expect(page1).toHaveLength(5);
      // Plain lines when piped: no table borders, money with its currency and two decimals, "1 order" / "N orders".
      expect(first.stdout).not.toMatch(/[┌│─]/);
      expect(first.stdout).toMatch(/ · [A-Z]{3} [\d,]+\.\d{2} · (1 order|\d+ orders|0 orders)/);
      const next = /Next page:\n {2}npx partnerbook (.+)\n/.exec(first.stdout);
      expect(next?.[1]).toMatch(/--kind supplier --limit 5 --cursor \S+$/);
      const second = await world.run(next![1]!.split(' '));
      expect(second.code).toBe(0);
      const page2 = codesIn(second.stdout);
      expect(page2).toHaveLength(5);
      expect(page2.filter((code) => page1.includes(code))).toEqual([]);
    },
    limit,
  );

  it(
    'streams every page with --all: one line per record, JSON Lines with --json',
    async () => {
      const all = await world.run(['search', '--kind', 'supplier', '--all', '--limit', '7']);
      expect(all.code).toBe(0);
      expect(new Set(codesIn(all.stdout)).size).toBe(20);
      expect(all.stderr).toBe('20 of 20 matches.\n');
      const json = await world.run(['search', '--kind', 'customer', '--all', '--json']);
      const rows = json.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { code: string });
      expect(rows).toHaveLength(20);
      expect(rows.every((row) => row.code.startsWith('CUS-'))).toBe(true);
    },
    limit,
  );

  it(
    'filters by --min-total and --max-total and sorts with --sort and --asc',
    async () => {
      const sorted = await world.run([
        'search',
        '--kind',
        'supplier',
        '--sort',
        'total',
        '--asc',
        '--limit',
        '200',
        '--json',
      ]);
      const totals = (JSON.parse(sorted.stdout) as { items: { totalPurchases: number }[] }).items.map(
        (row) => row.totalPurchases,
      );
      expect(totals).toEqual([...totals].sort((a, b) => a - b));
      const middle = totals[10]!;
      const above = await world.run([
        'search',
        '--kind',
        'supplier',
        '--min-total',
        String(middle),
        '--json',
      ]);
      const aboveTotals = (JSON.parse(above.stdout) as { items: { totalPurchases: number }[] }).items.map(
        (row) => row.totalPurchases,
      );
      expect(aboveTotals.length).toBe(totals.filter((t) => t >= middle).length);
      const below = await world.run([
        'search',
        '--kind',
        'supplier',
        '--max-total',
        String(middle),
        '--json',
      ]);
      expect((JSON.parse(below.stdout) as { total: number }).total).toBe(
        totals.filter((t) => t <= middle).length,
      );
    },
    limit,
  );

  describe.each([
    [
      ['--limit', 'abc'],
      /option '--limit <n>' argument 'abc' is invalid\. Use a whole number from 1 to 200, e\.g\. 50\./,
    ],
    [['--limit', '0'], /--limit <n>.*Use a whole number from 1 to 200/],
    [['--limit', '500'], /--limit <n>.*Use a whole number from 1 to 200/],
    [['--sort', 'totl'], /--sort <key>.*Use one of: name, company, total, .*Did you mean total\?/],
    [['--min-total', 'ten'], /--min-total <amount>.*Use an amount of zero or more/],
    [['--max-total', '-5'], /--max-total <amount>.*Use an amount of zero or more/],
    [['--kind', 'partner'], /--kind <kind>.*Use one of: customer, supplier/],
    [['--activity', 'dormant'], /--activity <activity>.*Use one of: new, active, inactive/],
    [
      ['--cursor', 'not-a-cursor'],
      /cursor: The cursor is not one this search returned\. Repeat the search without cursor/,
    ],
  ])('refuses %j', (args, message) => {
    it(
      'names the option and the fix, exits 1, prints nothing on stdout',
      async () => {
        const result = await world.run(['search', ...args]);
        expect(result.stderr).toMatch(message);
        expect(result.stdout).toBe('');
        expect(result.code).toBe(1);
      },
      limit,
    );
  });
});

describe('partnerbook get', () => {
  it(
    'shows the record like the Slack card: address, compliance items flagged, recent orders; --json for scripts',
    async () => {
      const code = codesIn((await world.run(['search', '--kind', 'supplier', '--limit', '1'])).stdout)[0]!;
      const items = [
        { name: 'Old audit', validTo: '2020-01-31' },
        { name: 'ISO 9001', validTo: addDays(today, 10) },
        { name: 'Insurance', validFrom: '2024-01-01', validTo: '2099-12-31' },
      ];
      for (const item of items) {
        const set = await world.run([
          'call',
          'set_compliance_item',
          JSON.stringify({ partner: { code }, ...item }),
        ]);
        expect(set.code).toBe(0);
      }
      const order = { partner: { code }, reference: 'PO-CARD-1', orderDate: today, amount: 1234.5 };
      expect((await world.run(['call', 'record_order', JSON.stringify(order)])).code).toBe(0);

      const card = await world.run(['get', code]);
      expect(card.code).toBe(0);
      expect(card.stdout.split('\n')[0]).toMatch(new RegExp(`^${code} {2}.+\\(supplier, enabled, active`));
      expect(card.stdout).toMatch(/\n {2}Address: {9}\S/);
      expect(card.stdout).toMatch(/\n {2}Total purchases: [A-Z]{3} [\d,]+\.\d{2}\n/);
      expect(card.stdout).toContain('    Old audit: to 2020-01-31 (EXPIRED)');
      expect(card.stdout).toContain(`    ISO 9001: to ${addDays(today, 10)} (expires within 30 days)`);
      expect(card.stdout).toContain('    Insurance: 2024-01-01 to 2099-12-31 (valid)');
      expect(card.stdout).toMatch(new RegExp(`\\n {4}${today} {2}PO-CARD-1 {2}[A-Z]{3} 1,234\\.50`));
      expect(card.stdout).not.toContain('"changes"');

      const json = await world.run(['get', code, '--json']);
      const record = JSON.parse(json.stdout) as {
        code: string;
        recentHistory: unknown[];
        complianceItems: unknown[];
      };
      expect(record.code).toBe(code);
      expect(record.complianceItems).toHaveLength(3);
      expect(record.recentHistory.length).toBeGreaterThan(0);
    },
    limit,
  );

  it(
    'says plainly when no record has the code',
    async () => {
      const missing = await world.run(['get', 'SUP-999999']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/SUP-999999/);
      expect(missing.stderr).not.toMatch(/at .*\.ts:\d+/);
    },
    limit,
  );
});

describe('partnerbook export', () => {
  it(
    'prints CSV on stdout without --output (no byte order mark), with the same filters as search',
    async () => {
      const result = await world.run(['export', '--kind', 'supplier']);
      expect(result.code).toBe(0);
      expect(result.stdout.startsWith('Supplier,Code,')).toBe(true);
      expect(codesIn(result.stdout.replace(/^[^,\n]*,/gm, ''))).toHaveLength(20);
      const filtered = await world.run([
        'export',
        '--kind',
        'supplier',
        '--min-total',
        '0',
        '--max-total',
        '0',
      ]);
      const search = await world.run(['search', '--kind', 'supplier', '--max-total', '0', '--json']);
      expect(filtered.stdout.trim().split('\n').length - 1).toBe(
        (JSON.parse(search.stdout) as { total: number }).total,
      );
    },
    limit,
  );

  it(
    'writes CSV (with a BOM, for Excel) or XLSX to --output and says how many records',
    async () => {
      const csv = join(world.dataDir, 'suppliers.csv');
      const wrote = await world.run(['export', '--kind', 'supplier', '--output', csv]);
      expect(wrote.code).toBe(0);
      expect(wrote.stderr).toBe(`Wrote 20 suppliers to ${csv}.\n`);
      expect(readFileSync(csv, 'utf8').startsWith('\uFEFFSupplier,Code,')).toBe(true);
      const xlsx = join(world.dataDir, 'customers.xlsx');
      const excel = await world.run(['export', '--kind', 'customer', '--output', xlsx]);
      expect(excel.code).toBe(0);
      expect(readFileSync(xlsx).subarray(0, 2).toString()).toBe('PK');
    },
    limit,
  );

  describe.each([
    [['--format', 'xlsx'], /XLSX file is binary and is not printed: give --output FILE\.xlsx/],
    [
      ['--format', 'csv', '--output', 'x.xlsx'],
      /--format csv does not match --output x\.xlsx: name the file \.csv, or drop --format/,
    ],
    [['--format', 'pdf'], /--format <format>.*Use one of: csv, xlsx/],
    [['--country', 'Atlantis'], /countries/],
  ])('refuses %j', (args, message) => {
    it(
      'names the option and the fix, and writes no file',
      async () => {
        const result = await world.run(['export', ...args]);
        expect(result.stderr).toMatch(message);
        expect(result.code).toBe(1);
        expect(result.stdout).toBe('');
        expect(existsSync(join(world.dataDir, 'x.xlsx'))).toBe(false);
      },
      limit,
    );
  });
});

describe('partnerbook summary', () => {
  it(
    'understands "vendors" as suppliers and prints counts with thousands separators',
    async () => {
      const result = await world.run(['summary', '--kind', 'vendors']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        /\nSuppliers: 20 in all \(\d+ enabled, \d+ disabled\), \d+ new, \d+ active, \d+ inactive\n$/,
      );
      expect(result.stdout).not.toContain('Customers');
    },
    limit,
  );
});

describe('partnerbook tokens and settings', () => {
  it(
    'lists tokens under a header, and refuses a second active token with the same name',
    async () => {
      const made = await world.run(['tokens', 'create', '--name', 'laptop', '--role', 'viewer']);
      expect(made.code).toBe(0);
      expect(made.stdout).toMatch(/^pb_\S+\n$/);
      const again = await world.run(['tokens', 'create', '--name', 'laptop', '--role', 'viewer']);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('An active token is already named "laptop".');
      expect(again.stderr).toContain('npx partnerbook tokens revoke "laptop"');
      const list = await world.run(['tokens', 'list']);
      expect(list.stdout.split('\n')[0]).toMatch(/^NAME +ROLE +GROUPS +PREFIX +CREATED +STATE +ID$/);
      expect(list.stdout).toMatch(/\nlaptop +viewer +- +pb_\S+… +\d{4}-\d{2}-\d{2} +active +[0-9a-f-]{36}\n/);
    },
    limit,
  );

  it(
    'lists the allowed roles and suggests the closest setting key',
    async () => {
      const role = await world.run(['tokens', 'create', '--name', 'root', '--role', 'superuser']);
      expect(role.code).toBe(1);
      expect(role.stderr).toMatch(
        /--role <role>.*'superuser' is invalid\. Use one of: viewer, editor, admin\./,
      );
      const setting = await world.run(['settings', 'set', 'defaultCurency', 'EUR']);
      expect(setting.code).toBe(1);
      expect(setting.stderr).toMatch(/There is no setting "defaultCurency"/);
      expect(setting.stderr).toMatch(/use one of: defaultCurrency.*did you mean defaultCurrency\?/);
    },
    limit,
  );
});

describe('partnerbook seed', () => {
  it(
    'on a directory that has records, refuses and says how to force; --force adds them, with a summary line',
    async () => {
      const refused = await world.run(['seed']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/already has \d+ partners/);
      expect(refused.stderr).toContain('npx partnerbook seed --force');
      const forced = await world.run(['seed', '--count', '2', '--force']);
      expect(forced.code).toBe(0);
      // Piped: no progress bar, one summary line.
      expect(forced.stderr).toMatch(
        /^Loaded 1 customer, 1 supplier, [\d,]+ orders? and [\d,]+ compliance items? in \d+ seconds?/,
      );
      expect(forced.stderr.split('\n')).toHaveLength(2);
    },
    limit,
  );

  it(
    'shows a progress bar on a terminal (a pseudo-terminal from script)',
    async () => {
      const { stdout } = await promisify(execFile)(
        'script',
        ['-qec', `${JSON.stringify(process.execPath)} ${bin} seed --count 4 --force`, '/dev/null'],
        { env: { ...world.env, TERM: 'xterm-256color' } },
      );
      expect(stdout).toMatch(/Loading the demo directory \[[█░]+\] \d+% \| \d+\/4 partners/);
      expect(stdout).toMatch(/Loaded 2 customers, 2 suppliers/);
    },
    limit,
  );
});

describe('partnerbook ask', () => {
  it(
    'prints the curl command for the full-list link of an answer, and it downloads for whoever asked',
    async () => {
      const server = await startServe(world);
      try {
        // Links the CLI makes itself (on PostgreSQL) point where the server listens, as PORT says.
        const port = new URL(server.url).port;
        const answer = await world.run(['ask', 'all suppliers'], { env: { PORT: port } });
        expect(answer.code).toBe(0);
        expect(answer.stdout).toMatch(/and \d+ more: http:\/\/\S+\/exports\/[0-9a-f-]{36}/);
        const command = /\nDownload it \(valid 1 hour\):\n {2}(curl .+)\n/.exec(answer.stdout)?.[1];
        expect(command).toMatch(
          /^curl -fsSL( -H "Authorization: Bearer \$PARTNERBOOK_TOKEN")? -OJ http:\/\/\S+$/,
        );
        const folder = mkdtempSync(join(tmpdir(), 'pb-ask-'));
        try {
          await promisify(execFile)('sh', ['-c', command!], { cwd: folder, env: world.env });
          const [file] = readdirSync(folder);
          expect(file).toMatch(/^partnerbook-suppliers-\d{4}-\d{2}-\d{2}\.csv$/);
          const more = Number(/and (\d+) more/.exec(answer.stdout)![1]);
          const csv = readFileSync(join(folder, file!), 'utf8');
          expect(codesIn(csv.replace(/^[^,\n]*,/gm, ''))).toHaveLength(10 + more);
        } finally {
          rmSync(folder, { recursive: true, force: true });
        }
      } finally {
        await stopServe(server.child);
      }
    },
    limit,
  );
});
