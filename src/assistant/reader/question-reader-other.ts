import type { PartnerKind } from '../../directory/partners/partner-schema.ts';
import type { PartnerFilters } from '../../directory/search/search-filters.ts';
import { type Correction, readSearch, type SearchReading } from './question-reader-search.ts';
import { cleanValue, isFiller, tokenize } from './question-reader-text.ts';

/** Compliance items that expire soon (or already did), for partners matching the filters. */
export interface ComplianceReading {
  intent: 'compliance';
  args: PartnerFilters;
  /** expiring: valid to within the workspace's window of today; expired: before today; failing: either. */
  items: 'expiring' | 'expired' | 'failing';
  corrections: Correction[];
  understood: string[];
  complete: boolean;
}

/** The sum of total sales or purchases per currency, for a kind and countries. */
export interface TotalsReading {
  intent: 'totals';
  args: { kind?: PartnerKind; countries?: string[] };
  corrections: Correction[];
  understood: string[];
  complete: boolean;
}

/** One record by name, in full ("everything about Acme"). */
export interface LookupReading {
  intent: 'lookup';
  query: string;
  kind?: PartnerKind;
  understood: string[];
  complete: boolean;
}

/** Text with the match taken out, and whether only filler came before it. */
function without(text: string, match: RegExpExecArray): { rest: string; fillerBefore: boolean } {
  const before = text.slice(0, match.index);
  const tokens = tokenize(before);
  return {
    rest: `${before} ${text.slice(match.index + match[0].length)}`,
    fillerBefore: tokens.every((_, index) => isFiller(tokens, index)),
  };
}

/** The rest of a question read as filters; undefined unless every word of it was understood. */
function filtersOf(rest: string): SearchReading | undefined {
  const reading = readSearch(rest);
  if (reading.intent === 'unknown') return reading.unread.length === 0 ? reading : undefined;
  if (reading.intent !== 'search' || !reading.complete) return undefined;
  return reading;
}

const FILTER_KEYS = new Set([
  'kind',
  'countries',
  'activity',
  'status',
  'minTotal',
  'maxTotal',
  'city',
  'notes',
]);

const COMPLIANCE_NOUN = String.raw`(?:compliance\s+(?:items?|documents?|docs?)|certificates?|certifications?|certs?|licen[cs]es?|permits?|accreditations?|compliance|documents?)`;
const EXPIRING = String.raw`(?:expiring(?:\s+soon)?|about\s+to\s+expire|due\s+to\s+expire|(?:that|which)\s+(?:expire|expires|will\s+expire)\s+soon|(?:that|which)\s+(?:are\s+)?(?:expiring|running\s+out)(?:\s+soon)?|running\s+out(?:\s+soon)?)`;
const EXPIRED = String.raw`(?:expired|out\s+of\s+date|lapsed)`;
const COMPLIANCE = [
  { items: 'expiring' as const, pattern: new RegExp(String.raw`\b${EXPIRING}\s+${COMPLIANCE_NOUN}\b`, 'i') },
  { items: 'expiring' as const, pattern: new RegExp(String.raw`\b${COMPLIANCE_NOUN}\s+${EXPIRING}\b`, 'i') },
  { items: 'expired' as const, pattern: new RegExp(String.raw`\b${EXPIRED}\s+${COMPLIANCE_NOUN}\b`, 'i') },
  {
    items: 'expired' as const,
    pattern: new RegExp(
      String.raw`\b${COMPLIANCE_NOUN}\s+(?:that\s+|which\s+)?(?:have\s+|has\s+)?${EXPIRED}\b`,
      'i',
    ),
  },
];
const ITEM_WORDS = { expiring: 'expiring soon', expired: 'expired', failing: 'expiring or expired' };

/** "suppliers with expiring certificates", "customers whose compliance items expired". */
export function readCompliance(text: string): ComplianceReading | undefined {
  for (const { items, pattern } of COMPLIANCE) {
    const match = pattern.exec(text);
    if (!match) continue;
    const { rest } = without(text, match);
    const filters = filtersOf(rest);
    const args: PartnerFilters = {};
    const extra = filters && Object.keys(filters.args).some((key) => !FILTER_KEYS.has(key));
    for (const [key, value] of Object.entries(filters?.args ?? {}))
      if (FILTER_KEYS.has(key)) Object.assign(args, { [key]: value });
    const understood = [`compliance items ${ITEM_WORDS[items]}`, ...(filters?.understood ?? [])];
    const complete = filters !== undefined && !extra && !filters.period && !filters.neverOrdered;
    return {
      intent: 'compliance',
      args,
      items,
      corrections: filters?.corrections ?? [],
      understood,
      complete,
    };
  }
  return undefined;
}

const TOTAL_OF =
  /\b(?:what(?:'s| is| are)\s+|whats\s+)?(?:our\s+|the\s+)?(?:total|sum\s+of(?:\s+the)?(?:\s+total)?)\s+(sales|purchases|purchasing|revenue|turnover|spend|spending|spent)\b/i;
const HOW_MUCH =
  /\bhow\s+much\s+(?:do|did|have|has)\s+we\s+(sell|sold|buy|bought|purchase|purchased|spend|spent|invoice|invoiced)\b/i;
const SALES_WORD = /^(?:sales|revenue|turnover|sell|sold|invoice|invoiced)$/i;

/** "what's our total sales to customers in the UK", "how much did we buy from suppliers in Vietnam". */
export function readTotals(text: string): TotalsReading | undefined {
  const match = TOTAL_OF.exec(text) ?? HOW_MUCH.exec(text);
  if (!match) return undefined;
  const { rest, fillerBefore } = without(text, match);
  if (!fillerBefore) return undefined;
  const wordKind: PartnerKind = SALES_WORD.test(match[1] ?? '') ? 'customer' : 'supplier';
  const filters = filtersOf(rest);
  const args: TotalsReading['args'] = { kind: filters?.args.kind ?? wordKind };
  if (filters?.args.countries) args.countries = filters.args.countries;
  const onlyCountries =
    filters !== undefined &&
    Object.keys(filters.args).every((key) => key === 'kind' || key === 'countries') &&
    !filters.period &&
    !filters.neverOrdered &&
    (filters.args.kind ?? wordKind) === wordKind;
  const understood = [
    `total ${wordKind === 'customer' ? 'sales' : 'purchases'}`,
    ...(filters?.understood ?? []),
  ];
  return {
    intent: 'totals',
    args,
    corrections: filters?.corrections ?? [],
    understood,
    complete: onlyCountries && filters.intent !== 'count',
  };
}

const LOOKUP =
  /\b(?:everything|all(?:\s+the)?\s+(?:details|info|information)|(?:the\s+)?full\s+(?:details|record|profile|info|information|card)|all\s+(?:you|we)\s+(?:know|have))\s+(?:about|on|of|for)\s+(.+)$/i;
const KIND_PREFIX = /^(?:the\s+)?(customer|client|supplier|vendor)\s+/i;

/** "show me everything about Acme Textiles": the full record of the one partner of that name. */
export function readLookup(text: string): LookupReading | undefined {
  const match = LOOKUP.exec(text);
  if (!match?.[1]) return undefined;
  if (!without(text, match).fillerBefore) return undefined;
  let name = cleanValue(match[1]).replace(/^the\s+/i, '');
  const kindWord = KIND_PREFIX.exec(name)?.[1]?.toLowerCase();
  if (kindWord) name = name.slice(KIND_PREFIX.exec(name)?.[0].length ?? 0);
  if (!name) return undefined;
  // "everything about our top customer" or "... customers in Germany" names no one: not a lookup.
  if (readSearch(name).complete) return undefined;
  const kind: PartnerKind | undefined = kindWord
    ? kindWord === 'customer' || kindWord === 'client'
      ? 'customer'
      : 'supplier'
    : undefined;
  return {
    intent: 'lookup',
    query: name,
    ...(kind ? { kind } : {}),
    understood: [`everything about "${name}"`],
    complete: true,
  };
}
