import type { PartnerKind } from '../../directory/partners/partner-schema.ts';
import { CODE_PATTERN } from '../../directory/values/contact-fields.ts';
import { type CreateReading, readCreate } from './question-reader-create.ts';
import { kindOfCode, STANDARD_CODE } from './question-reader-fields.ts';
import {
  type ComplianceReading,
  type LookupReading,
  readCompliance,
  readLookup,
  readTotals,
  type TotalsReading,
} from './question-reader-other.ts';
import { readSearch, type SearchArgs, type SearchExtras } from './question-reader-search.ts';
import { cleanSlackText, isFiller, tokenize } from './question-reader-text.ts';
import { readSetStatus, readUpdate } from './question-reader-update.ts';

export type { ComplianceReading, LookupReading, TotalsReading } from './question-reader-other.ts';
export type { Correction, Period, SearchArgs, SearchExtras } from './question-reader-search.ts';

/**
 * What a Slack question asks for. `understood` names, in plain words, each thing recognised (for
 * "I understood: ..."); `complete` is true only when every meaningful word was accounted for, so
 * the bot may call the tools directly. A search also carries its period, the words read as
 * typos (`corrections`), and what it did not understand (`unread`, `ambiguous`) for the
 * clarifying answer. Changes (create, update, set_status) are only parsed here; the bot confirms
 * them with a button and the domain validates the values.
 */
export type Reading =
  | ({ intent: 'search'; args: SearchArgs; understood: string[]; complete: boolean } & SearchExtras)
  | ({ intent: 'count'; args: SearchArgs; understood: string[]; complete: boolean } & SearchExtras)
  | ComplianceReading
  | TotalsReading
  | LookupReading
  | { intent: 'get'; code: string; kind?: PartnerKind; understood: string[]; complete: boolean }
  | { intent: 'summary'; understood: string[]; complete: boolean }
  | CreateReading
  | {
      intent: 'update';
      code: string;
      changes: Record<string, unknown>;
      understood: string[];
      complete: boolean;
    }
  | {
      intent: 'set_status';
      code: string;
      status: 'enabled' | 'disabled';
      reason?: string;
      understood: string[];
      complete: boolean;
    }
  | { intent: 'help'; understood: string[]; complete: boolean }
  | ({ intent: 'unknown'; understood: string[]; complete: boolean } & Partial<SearchExtras>);

const HELP =
  /^(?:help(?: me)?|\?+|what can you do|what can i ask(?: you)?|what do you do|how do i use (?:this|you|the bot)|how does this work|commands|examples|usage|hi|hello|hey)$/;

function isHelp(text: string): boolean {
  const plain = text
    .toLowerCase()
    .replace(/[!.,?]+/g, ' ')
    .replace(/\b(?:please|pls|bot|partnerbook|hey|hi|hello)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return (
    plain === '' ||
    HELP.test(plain) ||
    HELP.test(
      text
        .toLowerCase()
        .replace(/[!.]+$/, '')
        .trim(),
    )
  );
}

const GREETINGS = new Set(['hey', 'hi', 'hello', 'please', 'pls', 'plz', 'thanks', 'thank', 'you', 'bot']);

/** "thanks!", "hey :wave:", "good morning": nothing but politeness from the closed filler list. */
function onlyPoliteness(text: string): boolean {
  const tokens = tokenize(text);
  return tokens.every((token) => token.punct || token.filler || GREETINGS.has(token.key));
}

const SUMMARY =
  /\b(?:(?:directory|daily|quick|short|brief|weekly)\s+)?(?:summary|summarize|summarise|overview|digest|stats|statistics|status report)\b|\bhow (?:are we|is the directory|is business) doing\b|\bhow(?:'s| is) (?:the directory|business|it going)\b|\bstate of the directory\b/i;
const SUMMARY_FILLER = new Set([
  'directory',
  'today',
  'quick',
  'short',
  'brief',
  'current',
  'overall',
  'latest',
]);

function readSummary(text: string): Reading | undefined {
  const match = SUMMARY.exec(text);
  if (!match) return undefined;
  const rest = `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}`;
  const tokens = tokenize(rest);
  const complete = tokens.every((token, index) => isFiller(tokens, index) || SUMMARY_FILLER.has(token.key));
  return { intent: 'summary', understood: ['directory summary'], complete };
}

const GET_WORDS = new Set(
  `details detail info information about record profile open view display lookup look up find code full
  card everything page`.split(/\s+/),
);
/** What the full record shows: "when did CUS-000012 last order", "email of SUP-000001". */
const RECORD_WORDS = new Set(
  `when last latest order orders ordered since email phone number address city country website company
  contact notes total sales purchases`.split(/\s+/),
);
const KIND_WORD: Record<string, PartnerKind> = {
  customer: 'customer',
  client: 'customer',
  supplier: 'supplier',
  vendor: 'supplier',
};
const SHOW_CODE =
  /^(?:(?:please|can you|could you)\s+)?(show(?:\s+me)?|get|open|view|display|details\s+(?:of|for|on|about)|info\s+(?:on|about|for)|look\s+up|lookup|find|pull\s+up)\s+(?:the\s+)?(?:(customer|client|supplier|vendor|partner|record)\s+)?(?:code\s+)?(\S+?)[?.!]*$/i;

/**
 * One record by code: a generated code (CUS-000001, SUP-000123) anywhere, or any code with a
 * digit right after show/get/open/details of ("show ACME-VN1"). Digits alone after "find" or
 * "look up" are left to the search (they are more likely a phone number).
 */
function readGet(text: string): Reading | undefined {
  const standard = STANDARD_CODE.exec(text);
  if (standard) {
    const code = standard[0].toUpperCase();
    const tokens = tokenize(`${text.slice(0, standard.index)} ${text.slice(standard.index + code.length)}`);
    const complete = tokens.every(
      (token, index) =>
        isFiller(tokens, index) ||
        GET_WORDS.has(token.key) ||
        RECORD_WORDS.has(token.key) ||
        KIND_WORD[token.key] !== undefined ||
        token.key === "'s",
    );
    const kind = kindOfCode(code);
    return { intent: 'get', code, ...(kind ? { kind } : {}), understood: [`record ${code}`], complete };
  }
  const shown = SHOW_CODE.exec(text);
  const code = shown?.[3]?.toUpperCase();
  if (!shown || !code || !CODE_PATTERN.test(code) || !/\d/.test(code)) return undefined;
  if (/^(?:find|look\s+up|lookup)$/i.test(shown[1] ?? '') && !/[A-Z]/.test(code)) return undefined;
  const kind = KIND_WORD[(shown[2] ?? '').toLowerCase()];
  return { intent: 'get', code, ...(kind ? { kind } : {}), understood: [`record ${code}`], complete: true };
}

/**
 * Reads a Slack question or request without a model: Slack markup is undone first, then a
 * status change, an edit, a create, a record by code, the summary, a record by name ("everything
 * about"), expiring compliance items, totals per currency and finally a search or count are
 * tried in that order. Empty text and "help" give help; nothing recognised gives unknown.
 */
export function readQuestion(text: string): Reading {
  const cleaned = cleanSlackText(text);
  if (isHelp(cleaned) || onlyPoliteness(cleaned))
    return { intent: 'help', understood: cleaned ? ['help'] : [], complete: true };
  const change = readSetStatus(cleaned) ?? readUpdate(cleaned) ?? readCreate(cleaned);
  if (change) return change;
  const direct = readGet(cleaned) ?? readSummary(cleaned);
  if (direct) return direct;
  const other = readLookup(cleaned) ?? readCompliance(cleaned) ?? readTotals(cleaned);
  if (other) return other;
  const { intent, ...search } = readSearch(cleaned);
  if (intent === 'unknown') {
    const { args: _args, ...rest } = search;
    return { intent, ...rest, complete: false };
  }
  return { intent, ...search };
}
