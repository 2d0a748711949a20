import { type Column, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf } from '../../db/client.ts';
import { partners } from '../../db/schema/index.ts';
import { requirePermission } from '../access/principal.ts';
import { visibleTo } from '../access/visibility.ts';
import type { DirectoryContext } from '../context.ts';
import { type FieldProblem, throwIfProblems } from '../errors.ts';
import { partnerKinds } from '../partners/partner-schema.ts';
import { readCountry } from '../values/country.ts';

/**
 * Trigram similarity of two company keys (legal forms removed) from which close names count,
 * when they also share the email domain or the city. Measured (duplicates.test.ts): plural and
 * spelling variants score 0.77 to 0.84 ("ABC Trading" ~ "ABC Tradings", "Hoang Long Logistics" ~
 * "Hoang Long Logistic"), an added word 0.65 ("Song Hong Trading" ~ "Song Hong Trading
 * Services"); different companies sharing a word score 0.5 ("ABC Trading" ~ "XYZ Trading") and
 * a short name inside a longer one 0.31 ("Acme" ~ "Acme Industries"). 0.6 keeps the first group.
 */
export const CLOSE_NAME_SIMILARITY = 0.6;

/** Scores of the rules: the same company in one country, the same phone, close names (their similarity, scaled). */
const scores = { sameCompany: 0.95, samePhone: 0.9 } as const;

/** Outer records read per query; a page reads at most MAX_CHUNKS of them. */
const CHUNK = 500;
const MAX_CHUNKS = 40;

export const findDuplicatesInput = z.strictObject({
  kind: z
    .enum(partnerKinds)
    .optional()
    .describe('customer or supplier (default: both, each within its kind).'),
  countries: z
    .array(z.string().max(80))
    .max(20)
    .optional()
    .describe('Only records in these countries (code or name).'),
  minScore: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('Only pairs scoring at least this (0..1, default 0.5).'),
  limit: z.number().int().min(1).max(100).optional().describe('Groups per page (default 20).'),
  cursor: z.string().max(64).optional().describe('nextCursor of the previous page.'),
});
export type FindDuplicatesInput = z.infer<typeof findDuplicatesInput>;

const recordShape = z.object({
  code: z.string(),
  kind: z.enum(partnerKinds),
  name: z.string(),
  companyName: z.string().nullable(),
  email: z.string(),
  phone: z.string().nullable(),
  city: z.string().nullable(),
  country: z.string().nullable(),
});
export const duplicateGroups = z.object({
  groups: z.array(
    z.object({
      score: z.number(),
      records: z.array(recordShape),
      reasons: z.array(z.object({ codes: z.array(z.string()), reason: z.string(), score: z.number() })),
    }),
  ),
  nextCursor: z.string().nullable(),
});
export type DuplicateGroups = z.infer<typeof duplicateGroups>;

/** One candidate pair as the query returns it: a_* and b_* columns of both records, and the rule flags. */
type PairRow = Record<string, unknown> & {
  a_id: string;
  b_id: string | null;
  same_phone: boolean;
  same_company: boolean;
  same_key: boolean;
  similarity: number | string;
  same_domain: boolean;
  same_city: boolean;
};

const textOf = (row: PairRow, key: string) => (row[key] as string | null) ?? null;

function recordOf(row: PairRow, side: 'a' | 'b'): z.infer<typeof recordShape> {
  const first = textOf(row, `${side}_first_name`) ?? '';
  const last = textOf(row, `${side}_last_name`);
  return {
    code: textOf(row, `${side}_code`)!,
    kind: textOf(row, `${side}_kind`) as 'customer' | 'supplier',
    name: last ? `${first} ${last}` : first,
    companyName: textOf(row, `${side}_company_name`),
    email: textOf(row, `${side}_email`)!,
    phone: textOf(row, `${side}_phone`),
    city: textOf(row, `${side}_city`),
    country: textOf(row, `${side}_country`),
  };
}

/** Why a pair matched, each rule with its score. */
function reasonsOf(row: PairRow): { reason: string; score: number }[] {
  const reasons: { reason: string; score: number }[] = [];
  if (row.same_company)
    reasons.push({ reason: 'same company name in the same country', score: scores.sameCompany });
  if (row.same_phone) reasons.push({ reason: 'same phone', score: scores.samePhone });
  const similarity = Number(row.similarity);
  // One name in two countries is two companies (or two branches), however alike their emails.
  if (!row.same_key && similarity >= CLOSE_NAME_SIMILARITY && (row.same_domain || row.same_city))
    reasons.push({
      reason: `similar company names (${Math.round(similarity * 100)}%) and the same ${row.same_domain ? 'email domain' : 'city'}`,
      score: Math.round(similarity * 0.9 * 100) / 100,
    });
  return reasons;
}

/**
 * Likely duplicates within each kind, among the records the caller may see: the same phone, the
 * same company name (after normalization and without legal forms) in the same country, or close
 * company names with the same email domain or city. (The same email is refused by the database.)
 * Candidates come from indexes (one lookup per record, never a cross join); records are read in
 * id order and a page ends after `limit` groups, so nextCursor goes on from there. A group found
 * across two pages shows as two groups.
 */
export async function findDuplicates(
  ctx: DirectoryContext,
  input: FindDuplicatesInput,
): Promise<DuplicateGroups> {
  const { principal } = ctx.actor;
  requirePermission(principal, 'read', 'look for duplicates');
  const problems: FieldProblem[] = [];
  const countries = (input.countries ?? []).flatMap((text) => {
    const code = readCountry({ text, field: 'countries', problems });
    return code ? [code] : [];
  });
  if (input.cursor !== undefined && !/^[0-9a-f-]{36}$/.test(input.cursor))
    problems.push({
      field: 'cursor',
      code: 'invalid',
      message: 'Pass nextCursor from the previous page as it was.',
    });
  throwIfProblems(problems, 'The duplicate search');
  const limit = input.limit ?? 20;
  const minScore = input.minScore ?? 0.5;
  const seeA = visibleTo(principal, sql.raw('a.access_groups') as unknown as Column) ?? sql`true`;
  const seeB = visibleTo(principal, sql.raw('b.access_groups') as unknown as Column) ?? sql`true`;
  const kindA = input.kind ? sql`a.kind = ${input.kind}` : sql`true`;
  const countryA = countries.length
    ? sql`a.country in (${sql.join(
        countries.map((c) => sql`${c}`),
        sql`, `,
      )})`
    : sql`true`;

  const pairs: PairRow[] = [];
  let cursor = input.cursor ?? '00000000-0000-0000-0000-000000000000';
  let more = true;
  for (let chunk = 0; chunk < MAX_CHUNKS && more; chunk++) {
    const rows = rowsOf<PairRow & { last_outer: string | null; outer_count: number }>(
      await ctx.db.execute(sql`
        with outer_rows as (
          select a.* , pb_company_key(a.company_name) as company_key from ${partners} a
          where a.id > ${cursor}::uuid and ${kindA} and ${countryA} and ${seeA}
          order by a.id limit ${CHUNK}
        ), last_outer as (select max(id::text) as id, count(*)::int as n from outer_rows)
        select (select id from last_outer) as last_outer, (select n from last_outer) as outer_count,
          a.id as a_id, a.code as a_code, a.kind as a_kind, a.first_name as a_first_name, a.last_name as a_last_name,
          a.company_name as a_company_name, a.email as a_email, a.phone as a_phone, a.city as a_city, a.country as a_country,
          b.id as b_id, b.code as b_code, b.kind as b_kind, b.first_name as b_first_name, b.last_name as b_last_name,
          b.company_name as b_company_name, b.email as b_email, b.phone as b_phone, b.city as b_city, b.country as b_country,
          coalesce(a.phone = b.phone, false) as same_phone,
          coalesce(a.company_key = pb_company_key(b.company_name) and a.country is not distinct from b.country, false) as same_company,
          coalesce(a.company_key = pb_company_key(b.company_name), false) as same_key,
          coalesce(similarity(a.company_key, pb_company_key(b.company_name)), 0) as similarity,
          split_part(a.email, '@', 2) = split_part(b.email, '@', 2) as same_domain,
          coalesce(pb_norm(a.city) = pb_norm(b.city), false) as same_city
        from outer_rows a
        left join lateral (
          select * from ${partners} b
          where b.kind = a.kind and b.id > a.id and ${seeB} and (
            (a.phone is not null and b.kind = a.kind and b.phone = a.phone)
            or (a.company_key is not null and pb_company_key(b.company_name) = a.company_key
                and b.kind = a.kind and b.country is not distinct from a.country)
            or (a.company_key is not null and pb_company_key(b.company_name) % a.company_key)
          )
        ) b on true
        order by a.id, b.id`),
    );
    const outerCount = rows[0]?.outer_count ?? 0;
    more = outerCount === CHUNK;
    if (rows[0]?.last_outer) cursor = rows[0].last_outer;
    for (const row of rows) {
      if (!row.b_id) continue;
      const reasons = reasonsOf(row).filter((r) => r.score >= minScore);
      if (reasons.length) pairs.push(row);
    }
    if (new Set(pairs.map((p) => p.a_id)).size >= limit) break;
  }
  return { groups: groupPairs(pairs, { limit, minScore }), nextCursor: more ? cursor : null };
}

/** Joins pairs that share a record into groups (union-find), best score first. */
function groupPairs(
  pairs: PairRow[],
  options: { limit: number; minScore: number },
): DuplicateGroups['groups'] {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    const up = parent.get(id) ?? id;
    if (up === id) return id;
    const root = find(up);
    parent.set(id, root);
    return root;
  };
  for (const pair of pairs) parent.set(find(pair.a_id), find(pair.b_id!));
  const groups = new Map<string, DuplicateGroups['groups'][number] & { ids: Set<string> }>();
  for (const pair of pairs) {
    const root = find(pair.a_id);
    const group = groups.get(root) ?? { score: 0, records: [], reasons: [], ids: new Set<string>() };
    groups.set(root, group);
    for (const side of ['a', 'b'] as const) {
      const id = textOf(pair, `${side}_id`)!;
      if (!group.ids.has(id)) {
        group.ids.add(id);
        group.records.push(recordOf(pair, side));
      }
    }
    for (const reason of reasonsOf(pair).filter((r) => r.score >= options.minScore)) {
      group.reasons.push({ codes: [textOf(pair, 'a_code')!, textOf(pair, 'b_code')!], ...reason });
      group.score = Math.max(group.score, reason.score);
    }
  }
  return [...groups.values()]
    .map(({ ids: _ids, ...group }) => ({
      ...group,
      // In code order, whatever order the ids gave: the same group reads the same every time.
      records: group.records.sort((a, b) => a.code.localeCompare(b.code)),
      reasons: group.reasons.map((r) => ({ ...r, codes: [...r.codes].sort() })),
    }))
    .slice(0, options.limit);
}
