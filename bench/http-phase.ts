import postgres from 'postgres';
import { type HttpScenarioResult, loadTool, soak, startServer, timeExport } from './http.ts';

/** Targets from the MCP issue, for a 2-core machine. */
export const httpTargets = {
  getByCode: { requestsPerSecond: 2000 },
  filter: { requestsPerSecond: 1000, p99: 50 },
  text: { requestsPerSecond: 150, p99: 60 },
  csv: { rowsPerSecond: 200_000, peakRssMb: 150 },
  xlsx: { rowsPerSecond: 50_000, peakRssMb: 250 },
};

export interface HttpBenchResult {
  scenarios: (HttpScenarioResult & { pass: boolean; target: string })[];
  exports: (Awaited<ReturnType<typeof timeExport>> & { format: string; pass: boolean; target: string })[];
  soak?: Awaited<ReturnType<typeof soak>>;
}

const PORT = 3917;

/**
 * The HTTP half of the bench: a `partnerbook serve` process on the loaded PostgreSQL database,
 * driven by autocannon over loopback with MCP tools/call requests, then full exports through
 * GET /api/export (each on a fresh server so its peak RSS is the export's), then the soak.
 */
export async function benchHttp(options: {
  databaseUrl: string;
  seconds: number;
  soakSeconds: number;
  log: (line: string) => void;
}): Promise<HttpBenchResult> {
  const { log } = options;
  const probe = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
  const codes = (
    await probe<
      { code: string }[]
    >`select code from partners where kind = 'customer' order by random() limit 2000`
  ).map((r) => r.code);
  const countries = (
    await probe<
      { country: string }[]
    >`select country from partners where country is not null group by country order by count(*) desc limit 12`
  ).map((r) => r.country);
  const terms = (
    await probe<{ email: string }[]>`select email from partners order by random() limit 500`
  ).map((r) => r.email.split('@')[0]!);
  const [counts] = await probe<
    { total: number; customers: number }[]
  >`select count(*)::int as total, (count(*) filter (where kind = 'customer'))::int as customers from partners`;
  const { total, customers } = counts!;
  await probe.end();
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
  const result: HttpBenchResult = { scenarios: [], exports: [] };

  let server = await startServer({ databaseUrl: options.databaseUrl, port: PORT });
  try {
    const run = async (
      scenario: Parameters<typeof loadTool>[0],
      pass: (r: HttpScenarioResult) => boolean,
      target: string,
    ) => {
      await loadTool({ ...scenario, seconds: 3 }); // warm-up
      const measured = await loadTool(scenario);
      const row = {
        ...measured,
        pass: pass(measured) && measured.errors === 0 && measured.non2xx === 0,
        target,
      };
      result.scenarios.push(row);
      log(
        `  ${row.name}, ${row.connections} connections: ${row.requestsPerSecond}/s, p50 ${row.p50} ms, p99 ${row.p99} ms${row.errors || row.non2xx ? `, ${row.errors} errors, ${row.non2xx} non-2xx` : ''} -> ${row.pass ? 'pass' : 'FAIL'} (${target})`,
      );
    };
    const seconds = options.seconds;
    for (const connections of [4, 10, 50]) {
      await run(
        {
          url: server.url,
          name: 'get_partner by code',
          tool: 'get_partner',
          args: () => ({ code: pick(codes), kind: 'customer' }),
          connections,
          seconds,
        },
        (r) => r.requestsPerSecond >= httpTargets.getByCode.requestsPerSecond,
        '>= 2,000/s',
      );
    }
    for (const connections of [10, 50]) {
      await run(
        {
          url: server.url,
          name: 'search_partners country + activity',
          tool: 'search_partners',
          args: () => ({
            kind: pick(['customer', 'supplier']),
            countries: [pick(countries)],
            activity: pick(['new', 'active', 'inactive']),
          }),
          connections,
          seconds,
        },
        (r) => r.requestsPerSecond >= httpTargets.filter.requestsPerSecond && r.p99 <= httpTargets.filter.p99,
        '>= 1,000/s, p99 <= 50 ms',
      );
    }
    await run(
      {
        url: server.url,
        name: 'search_partners selective text',
        tool: 'search_partners',
        args: () => ({ query: pick(terms) }),
        connections: 4,
        seconds,
      },
      (r) => r.requestsPerSecond >= httpTargets.text.requestsPerSecond && r.p99 <= httpTargets.text.p99,
      '>= 150/s, p99 <= 60 ms at 4 connections',
    );
  } finally {
    await server.stop();
  }

  for (const [format, query, rows] of [
    ['csv', 'format=csv', total],
    ['xlsx', 'kind=customer&format=xlsx', customers],
  ] as const) {
    server = await startServer({ databaseUrl: options.databaseUrl, port: PORT });
    try {
      const measured = await timeExport({ url: server.url, query, rows, server });
      const target = httpTargets[format];
      const pass =
        measured.rowsPerSecond >= target.rowsPerSecond && measured.serverPeakRssMb <= target.peakRssMb;
      result.exports.push({
        ...measured,
        format,
        pass,
        target: `>= ${target.rowsPerSecond.toLocaleString('en')} rows/s, server peak RSS <= ${target.peakRssMb} MB`,
      });
      log(
        `  export ${format} of ${rows.toLocaleString('en')} rows over HTTP: ${measured.rowsPerSecond.toLocaleString('en')} rows/s, ${measured.seconds} s, server peak RSS ${measured.serverPeakRssMb} MB -> ${pass ? 'pass' : 'FAIL'}`,
      );
    } finally {
      await server.stop();
    }
  }

  if (options.soakSeconds > 0) {
    server = await startServer({ databaseUrl: options.databaseUrl, port: PORT });
    try {
      log(`  soak: ${options.soakSeconds} s of mixed calls at 8 connections...`);
      result.soak = await soak({ url: server.url, server, seconds: options.soakSeconds, codes, countries });
      log(
        `  soak: ${result.soak.requests.toLocaleString('en')} calls (${result.soak.requestsPerSecond}/s, ${result.soak.errors} errors); RSS after warm-up ${result.soak.rssAfterWarmupMb} MB, at end ${result.soak.rssAtEndMb} MB, max ${result.soak.rssMaxMb} MB`,
      );
    } finally {
      await server.stop();
    }
  }
  return result;
}

/** The HTTP results as a markdown table for the README. */
export function httpMarkdown(result: HttpBenchResult): string {
  const lines = [
    '| Scenario | Connections | Calls/s | p50 ms | p99 ms | Target | Result |',
    '|---|---:|---:|---:|---:|---|---|',
  ];
  for (const s of result.scenarios)
    lines.push(
      `| ${s.name} | ${s.connections} | ${s.requestsPerSecond.toLocaleString('en')} | ${s.p50} | ${s.p99} | ${s.target} | ${s.pass ? 'pass' : 'FAIL'} |`,
    );
  lines.push(
    '',
    '| Export over HTTP | Rows | Rows/s | Seconds | Server peak RSS MB | Target | Result |',
    '|---|---:|---:|---:|---:|---|---|',
  );
  for (const e of result.exports)
    lines.push(
      `| ${e.format} (${e.query}) | ${e.rows.toLocaleString('en')} | ${e.rowsPerSecond.toLocaleString('en')} | ${e.seconds} | ${e.serverPeakRssMb} | ${e.target} | ${e.pass ? 'pass' : 'FAIL'} |`,
    );
  if (result.soak) {
    lines.push(
      '',
      `Soak: ${result.soak.seconds} s, ${result.soak.requests.toLocaleString('en')} mixed calls, ${result.soak.errors} errors; server RSS ${result.soak.rssAfterWarmupMb} MB after the first minute, ${result.soak.rssAtEndMb} MB at the end (max ${result.soak.rssMaxMb} MB).`,
    );
  }
  return lines.join('\n');
}
