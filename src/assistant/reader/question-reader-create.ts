import { totalField } from '../../directory/partners/partner-field-rules.ts';
import { type PartnerKind, partnerFieldsShape } from '../../directory/partners/partner-schema.ts';
import { resolveCountry } from '../../directory/values/country.ts';
import {
  describeChange,
  FIELD_LABEL_SOURCE,
  type FieldTarget,
  fieldOfLabel,
  fieldValues,
} from './question-reader-fields.ts';

export interface CreateReading {
  intent: 'create';
  kind: PartnerKind;
  fields: Record<string, unknown>;
  missing: string[];
  understood: string[];
  complete: boolean;
}

const KIND_OF_WORD: Record<string, PartnerKind> = {
  customer: 'customer',
  client: 'customer',
  buyer: 'customer',
  account: 'customer',
  supplier: 'supplier',
  vendor: 'supplier',
  seller: 'supplier',
  manufacturer: 'supplier',
  producer: 'supplier',
};
const CREATE = new RegExp(
  `^(?:(?:please|pls|kindly|can you|could you|can we|let's|go ahead and)\\s+)*(create|add|register|onboard|new)\\s+(?:(?:a|an|the)\\s+)?(?:new\\s+)?(${Object.keys(KIND_OF_WORD).join('|')})(s?)\\b[:,]?\\s*(?:(?:named|called)\\s+)?(.*)$`,
  'i',
);
/** After "new <kind>", what makes it a record to create rather than a search for new ones. */
const LOOKS_LIKE_A_RECORD = /@|\+\d|\b(?:phone|email|total|company|named|called|city)\b|^\p{Lu}/u;

const AMOUNT = String.raw`(?:[$€£₫]\s?)?\d[\d.,]*(?:\s?(?:k|m|bn|thousand|million)\b)?(?:\s?(?:usd|eur|vnd|dollars|euros)\b)?`;
const SEPARATOR = '\uE000';

/** Pieces taken out of the text by their shape, before the labelled fields are read. */
const EXTRACTORS: { pattern: RegExp; field: (match: RegExpExecArray) => [FieldTarget, string] }[] = [
  { pattern: /\bnotes?\s*[:=]?\s+(.+)$/i, field: (m) => ['notes', m[1] ?? ''] },
  {
    pattern: /(?:\b(?:e-?mail(?:\s+address)?)\s*(?::|=|is)?\s*)?([^\s<>,;@]+@[^\s<>,;@]+\.[\p{L}]{2,})/iu,
    field: (m) => ['email', m[1] ?? ''],
  },
  {
    pattern:
      /\b(?:phone(?:\s+number)?|tel(?:ephone)?|mobile|cell)\s*(?::|=|is)?\s*(\+?[\d(][\d\s()./-]{4,}\d)/i,
    field: (m) => ['phone', m[1] ?? ''],
  },
  { pattern: /(?<=^|[\s,;])((?:\+|00)\d[\d\s().-]{5,}\d)/, field: (m) => ['phone', m[1] ?? ''] },
  {
    pattern: new RegExp(
      `\\b(total\\s+sales|total\\s+purchases|total|sales|purchases|revenue|turnover)\\s*(?:of|:|=|is|at)?\\s*(${AMOUNT})`,
      'i',
    ),
    field: (m) => [fieldOfLabel(m[1] ?? '') ?? 'total', m[2] ?? ''],
  },
  {
    pattern:
      /\b(?:employees|headcount|staff)\s*(?::|=|of|is)?\s*(\d[\d,]*)\b|\b(\d[\d,]*)\s+(?:employees|staff|people|workers)\b/i,
    field: (m) => ['employees', m[1] ?? m[2] ?? ''],
  },
  {
    pattern:
      /\b(?:customer\s+since|supplier\s+since|since|start\s+date|started(?:\s+on)?)\s*:?\s*(\d{4}-\d{2}-\d{2})\b/i,
    field: (m) => ['since', m[1] ?? ''],
  },
  {
    pattern:
      /(?:\b(?:website|web\s+site|homepage|url|site)\s*(?::|=|is)?\s*)?(?<=^|\s)((?:https?:\/\/|www\.)\S+)/i,
    field: (m) => ['website', m[1] ?? ''],
  },
];

type PieceTarget = FieldTarget | 'location' | 'from';
const PIECE_LABELS = `${FIELD_LABEL_SOURCE}|based\\s+in|located\\s+in|in|from|at`;
const LOWER_ONLY = new Set(['in', 'from', 'at']);

function labelTarget(label: string): PieceTarget | undefined {
  const key = label.toLowerCase().replace(/\s+/g, ' ');
  if (key === 'in' || key === 'based in' || key === 'located in') return 'location';
  if (key === 'from' || key === 'at') return 'from';
  return fieldOfLabel(key);
}

/** Labels inside one comma-separated piece; lower case only, except at the start of the piece. */
function labelsIn(piece: string): { target: PieceTarget; start: number; end: number }[] {
  const found: { target: PieceTarget; start: number; end: number }[] = [];
  for (const match of piece.matchAll(new RegExp(`(?<=^|\\s)(${PIECE_LABELS})(?=\\s|:|$)`, 'gi'))) {
    const label = match[1] ?? '';
    const atStart = piece.slice(0, match.index).trim() === '';
    if (label !== label.toLowerCase() && !(atStart && label.slice(1) === label.slice(1).toLowerCase()))
      continue;
    if (LOWER_ONLY.has(label.toLowerCase()) && label !== label.toLowerCase()) continue;
    const target = labelTarget(label);
    if (target) found.push({ target, start: match.index, end: match.index + label.length });
  }
  return found;
}

const EDGE_FILLER = /^(?:(?:and|with|plus|who|whose|is|has|the|a|an)\s+)+|\s+(?:and|with|plus)$/gi;

/**
 * "create a customer Anna Nguyen anna@acme.vn total sales 0 in Vietnam", "add supplier Linh from
 * Saigon Cotton, linh@saigoncotton.vn, phone +84 912 345 678, total purchases 1200": the kind and
 * the fields under createPartnerInput's names. The words right after the kind are the contact's
 * name; "in X" is the country (or the city when X is no country); "from/at X" the company (or the
 * country). `missing` lists the required fields not given. termsAccepted is never read here.
 */
export function readCreate(text: string): CreateReading | undefined {
  const match = CREATE.exec(text);
  if (!match) return undefined;
  const verb = (match[1] ?? '').toLowerCase();
  const kind = KIND_OF_WORD[(match[2] ?? '').toLowerCase()] ?? 'customer';
  let rest = (match[4] ?? '').trim();
  if (verb === 'new' && (match[3] || !rest || !LOOKS_LIKE_A_RECORD.test(rest))) return undefined;
  const pairs: [PieceTarget, string][] = [];
  for (const extractor of EXTRACTORS) {
    for (let found = extractor.pattern.exec(rest); found; found = extractor.pattern.exec(rest)) {
      pairs.push(extractor.field(found));
      rest = `${rest.slice(0, found.index)}${SEPARATOR}${rest.slice(found.index + found[0].length)}`;
    }
  }
  let complete = true;
  let nameTaken = false;
  for (const rawPiece of rest.split(/[\uE000,;]+/)) {
    const piece = rawPiece
      .replace(EDGE_FILLER, '')
      .trim()
      .replace(/[.!?]+$/, '');
    if (!piece) continue;
    const labels = labelsIn(piece);
    const head = piece.slice(0, labels[0]?.start ?? piece.length).trim();
    if (head && !nameTaken) pairs.push(['name', head]);
    else if (head && resolveCountry(head)) pairs.push(['country', head]);
    else if (head) complete = false;
    nameTaken = true;
    labels.forEach((label, index) => {
      const value = piece
        .slice(label.end, labels[index + 1]?.start ?? piece.length)
        .replace(/^\s*(?::|=|is)\s*/i, '')
        .trim();
      if (!value) complete = false;
      else if (label.target === 'location') pairs.push([resolveCountry(value) ? 'country' : 'city', value]);
      else if (label.target === 'from')
        pairs.push([resolveCountry(value) ? 'country' : 'companyName', value]);
      else pairs.push([label.target, value]);
    });
  }
  const given: Record<string, unknown> = {};
  for (const [field, raw] of pairs) {
    const values = fieldValues({ field: field as FieldTarget, raw, kind });
    if (Object.keys(values).some((key) => key in given)) complete = false;
    else Object.assign(given, values);
  }
  const fields = Object.fromEntries(
    Object.keys(partnerFieldsShape)
      .filter((field) => field in given)
      .map((field) => [field, given[field]]),
  );
  const total = totalField(kind);
  const missing = ['firstName', 'email', total].filter((field) => fields[field] === undefined);
  const understood = [
    `new ${kind}`,
    ...Object.entries(fields).map(([field, value]) => describeChange(field, value, ' ')),
  ];
  return { intent: 'create', kind, fields, missing, understood, complete };
}
