import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

/**
 * Load over HTTP against a real server process (the same `partnerbook serve` as npm start) on
 * PostgreSQL: MCP tools/call throughput and latency with autocannon, CSV/XLSX exports through
 * GET /api/export with the server's peak RSS, and an optional soak of mixed calls.
 */

const bin = fileURLToPath(new URL('../bin/partnerbook.js', import.meta.url));
const TOKEN = 'bench-admin-token-0123456789abcdefghij';

export interface HttpScenarioResult {
  name: string;
  connections: number;
  seconds: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Resident memory now and the peak so far (MB), from /proc. */
  memory(): { rssMb: number; peakMb: number };
  stop(): Promise<void>;
}

/** Starts `partnerbook serve` on the database, with the rate limit out of the way. */
export async function startServer(options: { databaseUrl: string; port: number }): Promise<ServerProcess> {
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: options.databaseUrl,
      PORT: String(options.port),
      HOST: '127.0.0.1',
      PARTNERBOOK_ADMIN_TOKEN: TOKEN,
      RATE_LIMIT_PER_MINUTE: '100000000',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = `http://127.0.0.1:${options.port}`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in 60 s')), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (String(chunk).includes('partnerbook is running')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const status = () => readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status())?.[1] ?? 0) / 1024;
  return {
    url,
    child,
    memory: () => ({ rssMb: Math.round(field('VmRSS')), peakMb: Math.round(field('VmHWM')) }),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const headers = {
  authorization: `Bearer ${TOKEN}`,
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2025-06-18',
};

function toolCall(name: string, args: Record<string, unknown>, id: number): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
}

/** One autocannon run of MCP tools/call requests whose arguments come from `args()`. */
export async function loadTool(options: {
  url: string;
  name: string;
  tool: string;
  args: () => Record<string, unknown>;
  connections: number;
  seconds: number;
}): Promise<HttpScenarioResult> {
  let id = 0;
  const result = await autocannon({
    url: `${options.url}/mcp`,
    method: 'POST',
    headers,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        setupRequest: (request) => ({ ...request, body: toolCall(options.tool, options.args(), ++id) }),
      },
    ],
  });
  return {
    name: options.name,
    connections: options.connections,
    seconds: options.seconds,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** Streams an export over HTTP to nowhere; rows/s from the line or row count given. */
export async function timeExport(options: {
  url: string;
  query: string;
  rows: number;
  server: ServerProcess;
}) {
  const started = performance.now();
  const response = await fetch(`${options.url}/api/export?${options.query}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  if (!response.ok || !response.body) throw new Error(`export failed: HTTP ${response.status}`);
  let bytes = 0;
  for await (const chunk of response.body) bytes += (chunk as Uint8Array).length;
  const seconds = (performance.now() - started) / 1000;
  return {
    query: options.query,
    rows: options.rows,
    seconds: Number(seconds.toFixed(2)),
    rowsPerSecond: Math.round(options.rows / seconds),
    megabytes: Math.round(bytes / 1e6),
    serverPeakRssMb: options.server.memory().peakMb,
  };
}

/** Mixed calls for `seconds`, sampling the server's RSS every 10 s. */
export async function soak(options: {
  url: string;
  server: ServerProcess;
  seconds: number;
  codes: string[];
  countries: string[];
}) {
  const samples: { at: number; rssMb: number }[] = [];
  const started = Date.now();
  const timer = setInterval(
    () =>
      samples.push({ at: Math.round((Date.now() - started) / 1000), rssMb: options.server.memory().rssMb }),
    10_000,
  );
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
  let id = 0;
  const calls = [
    () => toolCall('get_partner', { code: pick(options.codes), kind: 'customer' }, ++id),
    () =>
      toolCall(
        'search_partners',
        { kind: 'supplier', countries: [pick(options.countries)], activity: 'inactive' },
        ++id,
      ),
    () =>
      toolCall(
        'search_partners',
        { query: pick(['nguyen', 'textile', 'müller', 'packaging', 'wang']), limit: 10 },
        ++id,
      ),
    () => toolCall('directory_summary', { kind: 'customer' }, ++id),
  ];
  const result = await autocannon({
    url: `${options.url}/mcp`,
    method: 'POST',
    headers,
    connections: 8,
    duration: options.seconds,
    requests: [{ setupRequest: (request) => ({ ...request, body: pick(calls)() }) }],
  });
  clearInterval(timer);
  const steady = samples.filter((s) => s.at >= 60);
  const first = steady[0]?.rssMb ?? samples[0]?.rssMb ?? 0;
  const last = samples.at(-1)?.rssMb ?? 0;
  return {
    seconds: options.seconds,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.average),
    errors: result.errors + result.non2xx,
    rssAfterWarmupMb: first,
    rssAtEndMb: last,
    rssMaxMb: Math.max(...samples.map((s) => s.rssMb)),
    samples,
  };
}
