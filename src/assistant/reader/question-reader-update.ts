import type { PartnerStatus } from '../../directory/partners/partner-schema.ts';
import {
  asCode,
  describeChange,
  FIELD_LABEL_SOURCE,
  type FieldTarget,
  fieldOfLabel,
  fieldValues,
  kindOfCode,
  STANDARD_CODE,
} from './question-reader-fields.ts';
import { cleanValue } from './question-reader-text.ts';

export type StatusReading =
  | {
      intent: 'set_status';
      code: string;
      status: PartnerStatus;
      reason?: string;
      understood: string[];
      complete: boolean;
    }
  | { intent: 'unknown'; understood: string[]; complete: false };

export interface UpdateReading {
  intent: 'update';
  code: string;
  changes: Record<string, unknown>;
  understood: string[];
  complete: boolean;
}

const POLITE = "(?:(?:please|pls|kindly|can you|could you|can we|let's|go ahead and)\\s+)*";
const STATUS_VERB = new RegExp(
  `^${POLITE}(disable|deactivate|suspend|block|enable|re-?enable|reactivate|activate|unblock|unsuspend)\\s+(.*)$`,
  'i',
);
const REASON = /(?:\s*[,;]\s*|\s+)(?:because(?:\s+of)?|reason(?:\s+is)?\s*[:=]?|due\s+to)\s+(.+)$/i;
const RECORD_WORDS = new Set(
  'the this that customer supplier client vendor partner record account code please now for me us it too as well'.split(
    ' ',
  ),
);

/** Splits "CODE words" into the code and whatever else was said around it. */
function findCode(text: string): { code: string; start: number; end: number } | undefined {
  const standard = STANDARD_CODE.exec(text);
  if (standard) {
    return {
      code: standard[0].toUpperCase(),
      start: standard.index,
      end: standard.index + standard[0].length,
    };
  }
  for (const word of text.matchAll(/\S+/g)) {
    if (/^(?:to|=|as|into)$/i.test(word[0])) return undefined;
    const code = asCode(word[0]);
    if (code)
      return { code, start: word.index, end: word.index + word[0].replace(/['’]s$|[.,;:!?]+$/i, '').length };
  }
  return undefined;
}

/**
 * "disable SUP-000123 because they closed", "reactivate CUS-000001": a status change with the
 * reason after "because", "reason:" or "due to" (or a ":"/" - " right after the code).
 */
export function readSetStatus(text: string): StatusReading | undefined {
  const match = STATUS_VERB.exec(text);
  if (!match) return undefined;
  const verb = (match[1] ?? '').toLowerCase();
  const status: PartnerStatus = /^(?:disable|deactivate|suspend|block)$/.test(verb) ? 'disabled' : 'enabled';
  const action = status === 'disabled' ? 'disable' : 'enable';
  let rest = match[2] ?? '';
  let reason: string | undefined;
  const because = REASON.exec(rest);
  if (because) {
    reason = cleanValue(because[1] ?? '');
    rest = rest.slice(0, because.index);
  }
  const found = findCode(rest);
  if (!found) return { intent: 'unknown', understood: [action], complete: false };
  let after = rest.slice(found.end).replace(/^['’]s\b/, '');
  const dash = /^\s*(?::|\s-|–|—)\s*(.+)$/.exec(after);
  if (!reason && dash) {
    reason = cleanValue(dash[1] ?? '');
    after = '';
  }
  const others = `${rest.slice(0, found.start)} ${after}`
    .toLowerCase()
    .split(/[\s,.!?]+/)
    .filter(Boolean);
  const understood = [`${action} ${found.code}`, ...(reason ? [`reason "${reason}"`] : [])];
  return {
    intent: 'set_status',
    code: found.code,
    status,
    ...(reason ? { reason } : {}),
    understood,
    complete: others.every((word) => RECORD_WORDS.has(word)),
  };
}

const UPDATE_VERB = new RegExp(
  `^${POLITE}(change|set|update|edit|modify|correct|fix|rename|make|clear|remove|delete|erase|unset|blank)\\s+(.*)$`,
  'i',
);
const CLEARING_VERBS = new Set(['clear', 'remove', 'delete', 'erase', 'unset', 'blank']);
const RECORD = '(?:\\s+(?:the\\s+)?(?:customer|supplier|client|vendor|partner|record|account))?';
const FIELD_BEFORE_CODE = new RegExp(
  `^(?:the\\s+)?(${FIELD_LABEL_SOURCE})(?:\\s+(?:of|for|on|from|in|at))?${RECORD}$`,
  'i',
);
const FIELD_AFTER_CODE = new RegExp(
  `^(?:['’]s\\s+|\\s+)?(?:the\\s+|its\\s+|their\\s+)?(${FIELD_LABEL_SOURCE})(?=\\s|$|:|=)\\s*(?:(?:to|=|:|as|into|->|→|is)(?:\\s+|$))?(.*)$`,
  'i',
);
const VALUE_INTRO = /^\s*(?:(?:to|=|:|as|into|->|→|with)\s+)?(.*)$/i;
const NEXT_ASSIGNMENT = new RegExp(
  `\\s*(?:,|;|\\band\\b)\\s*(?:(?:set|change|update)\\s+)?(?:the\\s+|its\\s+|their\\s+)?(${FIELD_LABEL_SOURCE})\\s*(?:to|=|:|as|into|is)\\s+`,
  'gi',
);

/** "v1, and phone to v2" -> [[first, v1], [phone, v2]]. */
function assignments(first: FieldTarget, text: string): [FieldTarget, string][] {
  const pairs: [FieldTarget, string][] = [];
  let field = first;
  let from = 0;
  for (const next of text.matchAll(NEXT_ASSIGNMENT)) {
    const nextField = fieldOfLabel(next[1] ?? '');
    if (!nextField) continue;
    pairs.push([field, text.slice(from, next.index)]);
    field = nextField;
    from = next.index + next[0].length;
  }
  pairs.push([field, text.slice(from)]);
  return pairs;
}

/**
 * An edit of one record: "change the city of CUS-000001 to Da Nang", "update CUS-000001 email
 * to x@y.com", "rename CUS-000002 to Acme Ltd" (the company name), "clear the website of X"
 * (null). Several fields may follow with "and"/",". Undefined when no code is given.
 */
export function readUpdate(text: string): UpdateReading | undefined {
  const match = UPDATE_VERB.exec(text);
  if (!match) return undefined;
  const verb = (match[1] ?? '').toLowerCase();
  const rest = match[2] ?? '';
  const found = findCode(rest);
  if (!found) return undefined;
  const kind = kindOfCode(found.code);
  const clearing = CLEARING_VERBS.has(verb);
  const before = rest.slice(0, found.start).trim();
  const after = rest.slice(found.end).replace(/[?!]+\s*$/, '');
  let pairs: [FieldTarget, string | null][] = [];
  let complete = true;
  const beforeField = before ? FIELD_BEFORE_CODE.exec(before) : undefined;
  if (before && !beforeField) complete = false;
  if (beforeField) {
    const field = fieldOfLabel(beforeField[1] ?? '');
    const value = VALUE_INTRO.exec(after)?.[1]?.trim() ?? '';
    if (field && clearing) {
      pairs = [[field, null]];
      complete &&= value === '';
    } else if (field && value) pairs = assignments(field, value);
    else complete = false;
  } else if (!before) {
    const named = FIELD_AFTER_CODE.exec(after);
    const field = named ? fieldOfLabel(named[1] ?? '') : undefined;
    const value = named?.[2]?.trim() ?? '';
    if (field && clearing) {
      pairs = value
        .split(/\s*(?:,|\band\b)\s*(?:the\s+)?/i)
        .map((label) => (label ? fieldOfLabel(label) : undefined))
        .filter((target): target is FieldTarget => Boolean(target))
        .map((target) => [target, null]);
      pairs.unshift([field, null]);
      complete = value
        .split(/\s*(?:,|\band\b)\s*(?:the\s+)?/i)
        .every((label) => !label || fieldOfLabel(label));
    } else if (field && value) pairs = assignments(field, value);
    else if (verb === 'rename' && /^\s*(?:to|as|into)\s+\S/i.test(after)) {
      pairs = [['companyName', after.replace(/^\s*(?:to|as|into)\s+/i, '')]];
    } else complete = false;
  }
  const changes: Record<string, unknown> = {};
  for (const [field, raw] of pairs) {
    Object.assign(changes, fieldValues({ field, raw, kind }));
  }
  for (const value of Object.values(changes)) if (value === '') complete = false;
  const understood = [
    `change ${found.code}`,
    ...Object.entries(changes).map(([field, value]) => describeChange(field, value)),
  ];
  return {
    intent: 'update',
    code: found.code,
    changes,
    understood,
    complete: complete && Object.keys(changes).length > 0,
  };
}
