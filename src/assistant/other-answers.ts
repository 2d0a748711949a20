import type { z } from 'zod';
import type { checkComplianceResult } from '../directory/compliance/compliance-check.ts';
import type { SearchResult } from '../directory/search/search.ts';
import type { DirectorySummary } from '../directory/summary/summary.ts';
import { money } from '../tools/index.ts';
import { ASK_ACTION } from './clarify-reply.ts';
import { partnerReply } from './partner-reply.ts';
import type { Reading } from './reader/question-reader.ts';
import { listCountries } from './reader/question-reader-describe.ts';
import { callRead, type ReadingAnswerOptions } from './reading-answers.ts';
import { type BotReply, isReply, type ReplyPart, reply } from './reply.ts';
import { rowWords } from './search-reply.ts';

type ComplianceResult = z.infer<typeof checkComplianceResult>;

const plural = (kind: string | undefined) => (kind ? `${kind}s` : 'customers and suppliers');
const place = (countries: readonly string[] | undefined) =>
  countries?.length ? ` in ${listCountries(countries)}` : '';

/**
 * Partners whose compliance items expire soon (or expired), from check_compliance over the
 * question's filters: each with its items and dates. check_compliance looks at 200 partners at
 * most; past that the answer says it checked only the first 200.
 */
export async function answerCompliance(
  options: ReadingAnswerOptions,
  reading: Extract<Reading, { intent: 'compliance' }>,
): Promise<BotReply> {
  const result = await callRead<ComplianceResult>(options, 'check_compliance', { scope: reading.args });
  if (isReply(result)) return result;
  const wanted = reading.items === 'failing' ? ['expiring', 'expired'] : [reading.items];
  const found = result.partners
    .map((partner) => ({ partner, items: partner.items.filter((item) => wanted.includes(item.status)) }))
    .filter(({ items }) => items.length > 0);
  const state =
    reading.items === 'expired'
      ? `expired (valid to before ${result.etd})`
      : `expiring within ${result.windowDays} days of ${result.etd}${reading.items === 'failing' ? ' or expired' : ''}`;
  const count = result.truncated ? `At least ${found.length}` : String(found.length);
  const parts: ReplyPart[] = [
    {
      type: 'heading',
      text: `${count} ${plural(reading.args.kind)}${place(reading.args.countries)} with compliance items ${state}`,
    },
  ];
  if (found.length)
    parts.push({
      type: 'rows',
      rows: found.map(({ partner, items }) => [
        { strong: partner.code },
        ` ${partner.name}: ${items.map((item) => `${item.name} valid to ${item.validTo}`).join(', ')}`,
      ]),
    });
  if (result.truncated)
    parts.push({
      type: 'note',
      text: 'I checked the first 200 matching records by name only; name a country or a kind to check them all.',
    });
  return reply(parts);
}

/**
 * Total sales or purchases per currency, from directory_summary: each record keeps its total in
 * its own currency, so amounts are summed per currency and never converted.
 */
export async function answerTotals(
  options: ReadingAnswerOptions,
  reading: Extract<Reading, { intent: 'totals' }>,
): Promise<BotReply> {
  const kind = reading.args.kind ?? 'customer';
  const summary = await callRead<DirectorySummary>(options, 'directory_summary', reading.args);
  if (isReply(summary)) return summary;
  const totals = summary.totals.filter((total) => total.kind === kind);
  const records = summary[kind]?.all ?? 0;
  const what = `Total ${kind === 'customer' ? 'sales to' : 'purchases from'} ${kind}s${place(reading.args.countries)}`;
  const amounts = totals.map((total) => money(total.amount, total.currency)).join(' · ');
  return reply([
    { type: 'heading', text: records ? `${what}: ${amounts}` : `${what}: none (no ${kind}s)` },
    {
      type: 'note',
      text: `${records.toLocaleString('en-US')} ${kind}${records === 1 ? '' : 's'}, as of ${summary.asOf}. Each record keeps its total in its own currency; totals are summed per currency, not converted.`,
    },
  ]);
}

/** The full record of the one partner a name matches; several matches are listed with a button each. */
export async function answerLookup(
  options: ReadingAnswerOptions,
  reading: Extract<Reading, { intent: 'lookup' }>,
): Promise<BotReply> {
  const found = await callRead<SearchResult>(options, 'search_partners', {
    query: reading.query,
    ...(reading.kind ? { kind: reading.kind } : {}),
    limit: 5,
  });
  if (isReply(found)) return found;
  const only = found.items[0];
  if (found.total === 1 && only) {
    const partner = await callRead<Record<string, unknown>>(options, 'get_partner', {
      code: only.code,
      kind: only.kind,
    });
    return isReply(partner) ? partner : partnerReply(partner);
  }
  if (found.total === 0)
    return reply([
      { type: 'paragraph', text: `No ${reading.kind ?? 'customer or supplier'} matches "${reading.query}".` },
    ]);
  const questions = found.items.map((row) => `everything about ${row.code}`);
  return reply([
    {
      type: 'paragraph',
      text: `${found.totalIsExact ? found.total : 'Many'} records match "${reading.query}". Which one did you mean?`,
    },
    { type: 'rows', rows: found.items.map(rowWords) },
    {
      type: 'actions',
      id: ASK_ACTION,
      actions: found.items.map((row, index) => ({
        id: `${ASK_ACTION}_${index}`,
        label: row.code,
        value: questions[index] ?? '',
      })),
    },
  ]);
}
