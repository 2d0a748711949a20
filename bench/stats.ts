/** Latency percentiles of one benchmark scenario. */
export interface Measurement {
  database: 'postgres' | 'pglite';
  rows: number;
  scenario: string;
  /** What was varied between iterations (terms, filters, depth). */
  detail: string;
  iterations: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  target?: Target;
  /** undefined when there is no target for this database. */
  pass?: boolean;
  /** Why a scenario could not run, when it could not. */
  error?: string;
}

export interface Target {
  p95?: number;
  p99: number;
}

/** Nearest-rank percentile of ascending samples. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** Runs `run(i)` `warmup` times untimed, then `iterations` times timed one after the other (ms). */
export async function sample(options: {
  iterations: number;
  warmup: number;
  run: (iteration: number) => Promise<unknown>;
}): Promise<number[]> {
  for (let i = 0; i < options.warmup; i++) await options.run(i);
  const samples: number[] = [];
  for (let i = 0; i < options.iterations; i++) {
    const started = performance.now();
    await options.run(options.warmup + i);
    samples.push(performance.now() - started);
  }
  return samples;
}

/** Summarizes samples and checks them against a target (p95 and/or p99, ms). */
export function summarize(
  samples: number[],
  meta: Pick<Measurement, 'database' | 'rows' | 'scenario' | 'detail'> & { target?: Target },
): Measurement {
  const sorted = [...samples].sort((a, b) => a - b);
  const p95 = percentile(sorted, 95);
  const p99 = percentile(sorted, 99);
  const { target } = meta;
  return {
    ...meta,
    iterations: samples.length,
    p50: round(percentile(sorted, 50)),
    p95: round(p95),
    p99: round(p99),
    max: round(sorted.at(-1) ?? Number.NaN),
    pass: target ? p99 <= target.p99 && (target.p95 === undefined || p95 <= target.p95) : undefined,
  };
}

function describeTarget(target: Target | undefined): string {
  if (!target) return '-';
  return [target.p95 !== undefined ? `p95 <= ${target.p95}` : '', `p99 <= ${target.p99}`]
    .filter(Boolean)
    .join(', ');
}

/** The results as a markdown table, for the README's performance section. */
export function markdownTable(measurements: Measurement[]): string {
  const lines = [
    '| Database | Rows | Scenario | p50 ms | p95 ms | p99 ms | Target (ms) | Result |',
    '|---|---:|---|---:|---:|---:|---|---|',
  ];
  for (const m of measurements) {
    const result = m.error ? `error: ${m.error}` : m.pass === undefined ? 'info' : m.pass ? 'pass' : 'FAIL';
    const cells = m.error ? ['-', '-', '-'] : [m.p50, m.p95, m.p99].map((value) => value.toFixed(1));
    lines.push(
      `| ${m.database === 'postgres' ? 'PostgreSQL' : 'PGlite'} | ${m.rows.toLocaleString('en')} | ${m.scenario} | ${cells.join(' | ')} | ${describeTarget(m.target)} | ${result} |`,
    );
  }
  return lines.join('\n');
}
