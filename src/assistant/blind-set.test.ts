import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, supplierInput, TODAY } from '../../test/context.ts';
import { openTestDatabase } from '../../test/database.ts';
import { type BlindQuestion, blindSet, type Reading } from '../../test/reader-blind-set.ts';
import { createLogger } from '../app/logger.ts';
import type { Database } from '../db/client.ts';
import { partners } from '../db/schema/index.ts';
import { seedDemo } from '../demo/demo-seed.ts';
import { addDays } from '../directory/activity/clock.ts';
import { createPartnerInput } from '../directory/partners/partner-schema.ts';
import { createPartner } from '../directory/partners/partner-write.ts';
import { type ToolContext, tools } from '../tools/index.ts';
import { answerQuestion, type BotAnswer } from './answer-question.ts';
import { plainWords } from './reply.ts';

/**
 * The blind set (test/reader-blind-set.ts, written and committed before the reader was read) run
 * end to end through answerQuestion on the demo directory, without a model. Each answer is
 * exact (the count or rows the expected reading gives, computed here from the rows themselves,
 * not through the search), asked back (no count or list: a clarifying answer), or wrong (a count
 * or list that does not match, or any count or list where the set expects a question back).
 */

interface Row {
  kind: 'customer' | 'supplier';
  code: string;
  status: string;
  country: string | null;
  total: number;
  currency: string;
  since: string | null;
  lastOrderDate: string | null;
  city: string | null;
  notes: string | null;
}

let database: Database;
let rows: Row[] = [];
const windowStart = addDays(TODAY, -30);

const toolCtx = (): ToolContext => ({
  ...contextFor(database, { role: 'admin', via: 'slack' }),
  logger: createLogger('silent'),
  publicUrl: 'http://localhost:3000',
});

beforeAll(async () => {
  database = await openTestDatabase();
  const ctx = contextFor(database);
  await seedDemo(ctx, { count: 400, today: TODAY, seed: 1 });
  // Two records the demo notes do not have, for the notes questions.
  for (const input of [
    supplierInput({
      companyName: 'Siam Palm Products',
      country: 'TH',
      currency: 'THB',
      notes: 'RSPO palm oil certification renewed every year.',
      totalPurchases: 30_500,
      supplierSince: '2022-03-01',
    }),
    supplierInput({
      companyName: 'Green Thread Mills',
      country: 'IN',
      currency: 'USD',
      notes: 'Organic cotton yarn, GOTS certified.',
      totalPurchases: 12_300,
      supplierSince: '2021-09-01',
    }),
  ])
    await createPartner(ctx, createPartnerInput.parse(input));
  const found = await database.db.select().from(partners);
  rows = found.map((row) => ({
    kind: row.kind,
    code: row.code,
    status: row.status,
    country: row.country,
    total: Number(row.total),
    currency: row.currency,
    since: row.since,
    lastOrderDate: row.lastOrderDate,
    city: row.city,
    notes: row.notes,
  }));
});
afterAll(async () => {
  await database?.close();
});

/** Lower case, accents and spaces away: "Hà Nội" and "Hanoi" compare equal, as a person reads them. */
const loose = (text: string | null) =>
  (text ?? '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/[\s-]+/g, '');
const words = (text: string | null) => (text ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

function inPeriod(date: string | null, span: NonNullable<Reading['period']>['span']): boolean {
  if (date === null || date > TODAY) return false;
  if (span === 'last-7-days') return date >= addDays(TODAY, -7);
  if (span === 'this-month') return date >= `${TODAY.slice(0, 8)}01`;
  const weekday = (new Date(`${TODAY}T00:00:00Z`).getUTCDay() + 6) % 7;
  return date >= addDays(TODAY, -weekday);
}

/** The rows an expected reading selects (amount bounds inclusive or strict, per `strict`). */
function expectedRows(reading: Reading, strict: boolean): Row[] {
  const selected = rows.filter((row) => {
    if (reading.kind !== 'both' && row.kind !== reading.kind) return false;
    if (reading.status && row.status !== reading.status) return false;
    if (reading.activity === 'new' && !(row.since !== null && row.since >= windowStart && row.since <= TODAY))
      return false;
    if (reading.activity === 'active' && !(row.lastOrderDate !== null && row.lastOrderDate >= windowStart))
      return false;
    if (reading.activity === 'inactive' && !(row.lastOrderDate === null || row.lastOrderDate < windowStart))
      return false;
    if (reading.countries && !reading.countries.includes(row.country ?? '')) return false;
    if (reading.notCountries?.includes(row.country ?? '')) return false;
    if (reading.min !== undefined && !(strict ? row.total > reading.min : row.total >= reading.min))
      return false;
    if (reading.max !== undefined && !(strict ? row.total < reading.max : row.total <= reading.max))
      return false;
    if (reading.currency && row.currency !== reading.currency) return false;
    if (reading.notes && !words(row.notes).includes(words(reading.notes))) return false;
    if (reading.city && loose(row.city) !== loose(reading.city)) return false;
    if (reading.neverOrdered && row.lastOrderDate !== null) return false;
    if (reading.period) {
      const date = reading.period.field === 'since' ? row.since : row.lastOrderDate;
      if (!inPeriod(date, reading.period.span)) return false;
    }
    return true;
  });
  if (reading.sort) {
    const sign = reading.sort === 'total-desc' ? -1 : 1;
    selected.sort((a, b) => sign * (a.total - b.total));
  }
  return reading.limit ? selected.slice(0, reading.limit) : selected;
}

interface Seen {
  /** The number the answer's heading starts with; undefined when the answer gives no count. */
  count?: number;
  codes: string[];
  text: string;
}

function seen(answer: BotAnswer): Seen {
  const heading = answer.reply.parts.find((part) => part.type === 'heading');
  const match = heading ? /^([\d,]+)\b/.exec(plainWords(heading.text).trim()) : null;
  const codes: string[] = [];
  for (const part of answer.reply.parts) {
    if (part.type !== 'rows') continue;
    for (const row of part.rows) {
      const first = typeof row === 'string' ? undefined : row[0];
      if (first && typeof first === 'object' && 'strong' in first) codes.push(first.strong);
    }
  }
  return {
    count: match?.[1] ? Number(match[1].replaceAll(',', '')) : undefined,
    codes,
    text: answer.reply.text,
  };
}

type Verdict = 'exact' | 'asked back' | 'wrong';

function judge(question: BlindQuestion, answer: BotAnswer): { verdict: Verdict; why: string } {
  const got = seen(answer);
  const answered = got.count !== undefined || answer.path === 'model' || answer.proposal !== undefined;
  if (question.expected === 'ask') {
    return answered
      ? { verdict: 'wrong', why: 'answered where a question back was expected' }
      : { verdict: 'asked back', why: 'asked back, as expected' };
  }
  if (!answered) return { verdict: 'asked back', why: '' };
  const reading = question.expected;
  const candidates = [expectedRows(reading, true), expectedRows(reading, false)];
  if (reading.kind === 'both' && reading.mode === 'count') {
    const customers = rows.filter((row) => row.kind === 'customer').length;
    const suppliers = rows.length - customers;
    const numbers = (got.text.match(/\d[\d,]*/g) ?? []).map((n) => Number(n.replaceAll(',', '')));
    const ok = got.count === rows.length || (numbers.includes(customers) && numbers.includes(suppliers));
    return ok
      ? { verdict: 'exact', why: '' }
      : { verdict: 'wrong', why: `expected ${customers} customers and ${suppliers} suppliers` };
  }
  const problems: string[] = [];
  const fits = candidates.some((expected) => {
    problems.length = 0;
    const all = reading.limit ? undefined : expected.length;
    if (all !== undefined && got.count !== all) problems.push(`count ${got.count}, expected ${all}`);
    if (reading.limit && got.count !== expected.length && got.count !== undefined) {
      // With a limit the heading may give all matches: then it must not be fewer than shown.
      const unlimited = expectedRows({ ...reading, limit: undefined }, expected === candidates[0]).length;
      if (got.count !== unlimited)
        problems.push(`count ${got.count}, expected ${expected.length} or ${unlimited}`);
    }
    if (reading.mode === 'list') {
      const shown = expected.slice(0, 10);
      if (reading.sort) {
        // Ties in total may come in either order: compare the totals in order and the set of codes.
        const totalOf = new Map(rows.map((row) => [row.code, row.total]));
        const gotTotals = got.codes.map((code) => totalOf.get(code));
        const wantTotals = shown.map((row) => row.total);
        if (JSON.stringify(gotTotals) !== JSON.stringify(wantTotals))
          problems.push(`rows ${got.codes.join(' ')}, expected ${shown.map((row) => row.code).join(' ')}`);
      } else if (got.codes.length !== shown.length) {
        problems.push(`${got.codes.length} rows shown, expected ${shown.length}`);
      }
      // With a sort and a limit, rows tied with the last one shown may stand in for it (the totals
      // in order are checked above), so any row of the unlimited reading is allowed.
      const allowed = new Set(
        (reading.sort && reading.limit
          ? expectedRows({ ...reading, limit: undefined }, expected === candidates[0])
          : expected
        ).map((row) => row.code),
      );
      const stray = got.codes.filter((code) => !allowed.has(code));
      if (stray.length) problems.push(`rows outside the reading: ${stray.join(' ')}`);
    }
    return problems.length === 0;
  });
  if (fits) return { verdict: 'exact', why: '' };
  const want = candidates[0] ?? [];
  const codes =
    want.length <= 10 ? ` (expected ${want.map((row) => `${row.code} ${row.city ?? ''}`).join(', ')})` : '';
  return { verdict: 'wrong', why: `${problems.join('; ')}${codes}` };
}

describe('the blind set of 70 questions (issue 12)', () => {
  it('has 70 questions, each with a reading or "ask"', () => {
    expect(blindSet).toHaveLength(70);
    expect(new Set(blindSet.map((question) => question.id)).size).toBe(70);
  });

  it('answers none wrong, and prints exact / asked back / wrong', async () => {
    const results: { question: BlindQuestion; verdict: Verdict; why: string; text: string; n?: number }[] =
      [];
    for (const question of blindSet) {
      const answer = await answerQuestion({ question: question.question, ctx: toolCtx(), tools });
      const { verdict, why } = judge(question, answer);
      const n = question.expected === 'ask' ? undefined : expectedRows(question.expected, true).length;
      results.push({ question, verdict, why, text: answer.reply.text, n });
    }
    const tally = (verdict: Verdict) => results.filter((result) => result.verdict === verdict).length;
    const expectedAsk = results.filter((result) => result.question.expected === 'ask');
    const lines = results.map(
      (r) =>
        `#${r.question.id} [${r.verdict}] (${r.question.group}) ${r.question.question}` +
        `${r.n !== undefined ? `  (expected ${r.n} rows)` : ''}${r.why ? `\n    ${r.why}` : ''}` +
        `\n    -> ${r.text.split('\n').slice(0, 3).join(' | ')}`,
    );
    console.log(
      [
        ...lines,
        '',
        `blind set: ${tally('exact')} exact, ${tally('asked back')} asked back, ${tally('wrong')} wrong (of ${results.length})`,
        `  of the ${results.length - expectedAsk.length} with a reading: ${tally('exact')} exact; ` +
          `of the ${expectedAsk.length} expected to ask back: ${expectedAsk.filter((r) => r.verdict === 'asked back').length} asked back`,
      ].join('\n'),
    );
    expect(
      results.filter((result) => result.verdict === 'wrong').map((result) => result.question.id),
    ).toEqual([]);
  });
});
