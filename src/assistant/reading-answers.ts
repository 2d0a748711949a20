import { addDays } from '../directory/activity/clock.ts';
import type { PartnerRowView } from '../directory/partners/partner-view.ts';
import type { SearchInput, SearchResult } from '../directory/search/search.ts';
import type { DirectorySummary } from '../directory/summary/summary.ts';
import { runTool, type ToolContext, type ToolDefinition } from '../tools/index.ts';
import { clarifyReply } from './clarify-reply.ts';
import type { Correction, Period, Reading } from './reader/question-reader.ts';
import { type BotReply, isReply, type ReplyPart, reply } from './reply.ts';
import { capitalize, describeSearch, ROWS_SHOWN, rowWords } from './search-reply.ts';

/** What the answers below need: the asking user's tool context and the tools. */
export interface ReadingAnswerOptions {
  question: string;
  ctx: ToolContext;
  tools: readonly ToolDefinition[];
}

type SearchReading = Extract<Reading, { intent: 'search' | 'count' }>;

/** Runs a read tool; a tool error becomes the reply. */
export async function callRead<T>(
  options: ReadingAnswerOptions,
  name: string,
  args: Record<string, unknown>,
) {
  const tool = options.tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`tool ${name} is not registered`);
  const result = await runTool(tool, args, options.ctx);
  if (result.isError) return reply([{ type: 'paragraph', text: result.text }]);
  return result.structured as T;
}

/** "I read 'venders' as vendors." before an answer that read a typo. */
export function withCorrections(answer: BotReply, corrections: readonly Correction[]): BotReply {
  if (!corrections.length) return answer;
  const text = `I read ${corrections.map((c) => `'${c.word}' as ${c.as}`).join(', ')}.`;
  return reply([{ type: 'note', text }, ...answer.parts]);
}

/**
 * A stated currency ("over €75k") is compared only when every record in scope keeps its total
 * in that currency; otherwise the answer says why it cannot compare and asks. Undefined: go on.
 */
export async function checkCurrency(options: ReadingAnswerOptions, reading: SearchReading) {
  if (!reading.currency) return undefined;
  const scope = {
    ...(reading.args.kind ? { kind: reading.args.kind } : {}),
    ...(reading.args.countries ? { countries: reading.args.countries } : {}),
  };
  const summary = await callRead<DirectorySummary>(options, 'directory_summary', scope);
  if (isReply(summary)) return summary;
  const currencies = [...new Set(summary.totals.map((total) => total.currency))].sort();
  if (currencies.every((currency) => currency === reading.currency)) return undefined;
  const asked = clarifyReply({
    question: options.question,
    reading: { ...reading, unread: [] },
    examples: [],
  });
  const lead = `The records here keep their totals in ${currencies.join(', ')}, and I cannot convert between currencies, so I cannot compare them with an amount in ${reading.currency}.`;
  return reply([
    { type: 'paragraph', text: `${lead} Shall I compare the amounts as each record keeps them?` },
    ...asked.parts.slice(1),
  ]);
}

/** The first and last day of a period, from today in the workspace (YYYY-MM-DD). */
export function periodRange(period: Period, today: string): { from: string; to: string; label: string } {
  if (period.calendar === 'day') return { from: today, to: today, label: `today (${today})` };
  if (period.calendar === 'week') {
    const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
    const from = addDays(today, -weekday);
    const to = addDays(from, 6);
    return { from, to, label: `this calendar week (${from} to ${to})` };
  }
  if (period.calendar === 'month') {
    const from = `${today.slice(0, 8)}01`;
    const next = new Date(`${from}T00:00:00Z`);
    next.setUTCMonth(next.getUTCMonth() + 1);
    const to = addDays(next.toISOString().slice(0, 10), -1);
    return { from, to, label: `this calendar month (${from} to ${to})` };
  }
  const from = addDays(today, -(period.days ?? 0));
  return { from, to: today, label: `the last ${period.days} days (${from} to ${today})` };
}

const PAGE = 200;
const MAX_PAGES = 5;
const dateOf = (row: PartnerRowView, date: Period['date']) =>
  date === 'since' ? (row.customerSince ?? row.supplierSince ?? null) : row.lastOrderDate;

/**
 * Records by a date the search cannot filter on: a since or last order date in a period, or no
 * last order date at all. Pages through the search sorted by that date (newest first, or no
 * order first) until past the period, so the count is exact up to 1,000 matches.
 */
export async function answerByDate(options: ReadingAnswerOptions, reading: SearchReading): Promise<BotReply> {
  const { sortBy, sortDir, limit, cursor: _cursor, ...filters } = reading.args;
  const period = reading.period;
  const date = period?.date ?? 'lastOrderDate';
  const args: SearchInput = { ...filters, sortBy: date, sortDir: period ? 'desc' : 'asc', limit: PAGE };
  const found: PartnerRowView[] = [];
  let range: ReturnType<typeof periodRange> | undefined;
  let asOf = '';
  let cursor: string | undefined;
  let more = false;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await callRead<SearchResult>(options, 'search_partners', {
      ...args,
      ...(cursor ? { cursor } : {}),
    });
    if (isReply(result)) return result;
    asOf = result.asOf;
    range ??= period ? periodRange(period, asOf) : undefined;
    let past = false;
    for (const row of result.items) {
      const value = dateOf(row, date);
      if (!range) {
        if (value !== null) past = true;
        else found.push(row);
      } else if (value === null || value < range.from) past = true;
      else if (value <= range.to) found.push(row);
      if (past) break;
    }
    cursor = result.nextCursor ?? undefined;
    if (past || !cursor) break;
    more = page === MAX_PAGES - 1;
  }
  const total = more ? `more than ${found.length.toLocaleString('en-US')}` : found.length;
  const what = period
    ? `with a ${date === 'since' ? 'since' : 'last order'} date in ${range?.label ?? ''}`
    : 'that never ordered (no last order date)';
  const heading = `${capitalize(describeSearch({ ...filters }, total))} ${what}`;
  const note: ReplyPart = {
    type: 'note',
    text: `As of ${asOf}.${period?.calendar ? ' A calendar period, not the 30-day activity window.' : ''}`,
  };
  if (reading.intent === 'count') return reply([{ type: 'heading', text: heading }, note]);
  if (sortBy) found.sort(compareBy(sortBy, sortDir ?? 'asc'));
  const rows = found.slice(0, Math.min(limit ?? ROWS_SHOWN, ROWS_SHOWN));
  const parts: ReplyPart[] = [{ type: 'heading', text: heading }];
  if (rows.length) parts.push({ type: 'rows', rows: rows.map(rowWords) });
  const left = Math.min(limit ?? found.length, found.length) - rows.length;
  if (left > 0 || more)
    parts.push({ type: 'note', text: `and ${more ? 'more than ' : ''}${left.toLocaleString('en-US')} more` });
  parts.push(note);
  return reply(parts);
}

function compareBy(sortBy: NonNullable<SearchInput['sortBy']>, dir: 'asc' | 'desc') {
  const key = (row: PartnerRowView): string | number => {
    if (sortBy === 'total') return row.totalSales ?? row.totalPurchases ?? 0;
    if (sortBy === 'orders') return row.ordersCount;
    if (sortBy === 'lastOrderDate') return row.lastOrderDate ?? '';
    if (sortBy === 'since') return row.customerSince ?? row.supplierSince ?? '';
    if (sortBy === 'city') return row.city ?? '';
    if (sortBy === 'country') return row.countryName ?? '';
    if (sortBy === 'company') return row.companyName ?? '';
    if (sortBy === 'code') return row.code;
    return `${row.firstName} ${row.lastName ?? ''}`.toLowerCase();
  };
  const sign = dir === 'asc' ? 1 : -1;
  return (a: PartnerRowView, b: PartnerRowView) => {
    const x = key(a);
    const y = key(b);
    return (x < y ? -1 : x > y ? 1 : 0) * sign;
  };
}
