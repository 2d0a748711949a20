import { allCountryNames, normalizeName, resolveCountry } from '../../directory/values/country.ts';
import { matchLocalName } from './question-reader-local-names.ts';
import type { Token } from './question-reader-text.ts';

/**
 * Two-letter codes that are also English words, abbreviations or company suffixes ("in", "it",
 * "us", "no", "AG", "PT", "HR", "AI"). Upper case they count only right after "in"/"from", inside
 * a list of countries ("in DE, FR or IT") or, for "US", before a kind word ("US customers").
 * Lower case only at the end of a list of lower-case codes ("in de, fr or it"); "us" never.
 */
const WORD_CODES = new Set(
  `in it is at be by me my no to us am as do go so id ad ai la ma pa pm pr ps tv cv hr dm ms mr na er
  eh st sh gp bs bi cc ie eg co gm km cm kg mm ng re li pe sa ag se bv sl pt qa fm mo tt`.split(/\s+/),
);

/** Three-letter codes that are also words ("AND", "CAN", "PER"); only after "in"/"from". */
const WORD_CODES_3 = new Set(
  `and are can per nor fin ton dom mar ben gin lie pan com arm bra col cub mac vat gum jam pry ken cod
  ago iot geo`.split(/\s+/),
);

/** Short names people write in any case: "uk", "usa", "uae". */
const SHORT_NAMES = new Set(['uk', 'usa', 'uae', 'drc', 'prc', 'u.s', 'u.k']);

const DEMONYMS: Record<string, string> = {
  vietnamese: 'VN',
  german: 'DE',
  french: 'FR',
  italian: 'IT',
  spanish: 'ES',
  dutch: 'NL',
  belgian: 'BE',
  swiss: 'CH',
  austrian: 'AT',
  polish: 'PL',
  british: 'GB',
  irish: 'IE',
  swedish: 'SE',
  danish: 'DK',
  norwegian: 'NO',
  finnish: 'FI',
  portuguese: 'PT',
  greek: 'GR',
  turkish: 'TR',
  ukrainian: 'UA',
  american: 'US',
  canadian: 'CA',
  mexican: 'MX',
  brazilian: 'BR',
  chinese: 'CN',
  japanese: 'JP',
  korean: 'KR',
  taiwanese: 'TW',
  thai: 'TH',
  cambodian: 'KH',
  laotian: 'LA',
  malaysian: 'MY',
  singaporean: 'SG',
  indonesian: 'ID',
  filipino: 'PH',
  indian: 'IN',
  pakistani: 'PK',
  bangladeshi: 'BD',
  australian: 'AU',
  hungarian: 'HU',
  romanian: 'RO',
  czech: 'CZ',
  slovak: 'SK',
  slovenian: 'SI',
  croatian: 'HR',
  serbian: 'RS',
  bulgarian: 'BG',
  lithuanian: 'LT',
  latvian: 'LV',
  estonian: 'EE',
  icelandic: 'IS',
  russian: 'RU',
  scottish: 'GB',
  english: 'GB',
  welsh: 'GB',
  argentinian: 'AR',
  argentine: 'AR',
  chilean: 'CL',
  colombian: 'CO',
  peruvian: 'PE',
  egyptian: 'EG',
  moroccan: 'MA',
  nigerian: 'NG',
  kenyan: 'KE',
  israeli: 'IL',
  saudi: 'SA',
  emirati: 'AE',
  burmese: 'MM',
  nepalese: 'NP',
  luxembourgish: 'LU',
  'south korean': 'KR',
  'south african': 'ZA',
  'sri lankan': 'LK',
};

/** Every demonym the reader knows, for the typo vocabulary. */
export function demonymWords(): string[] {
  return Object.keys(DEMONYMS);
}

/** Whether a word is a demonym the reader knows ("French", "Japanese"). */
export function isDemonym(key: string): boolean {
  return DEMONYMS[key] !== undefined;
}

const CONNECTORS = new Set([',', 'and', 'or', '&', '/', '+', 'nor', 'plus']);
const KIND_KEYS = new Set(
  `customer customers client clients buyer buyers account accounts supplier suppliers vendor vendors
  seller sellers manufacturer manufacturers producer producers partner partners contact contacts
  company companies`.split(/\s+/),
);

/** "🇻🇳" -> VN: a flag emoji is two regional indicator letters. */
function flagCode(text: string): string | undefined {
  if (!/^[\u{1F1E6}-\u{1F1FF}]{2}$/u.test(text)) return undefined;
  const code = [...text]
    .map((letter) => String.fromCharCode((letter.codePointAt(0) ?? 0) - 0x1f1e6 + 65))
    .join('');
  return resolveCountry(code)?.code;
}

/** Where the reader stands when it meets a possible country. */
export interface CountryContext {
  /** A name question ("who is", "find"): countries only after "in"/"from" or in a list. */
  nameMode: boolean;
  /** The whole message is in capitals: upper case says nothing about codes. */
  shouted: boolean;
}

/** Right after "in"/"from" (optionally "the"): "in VN", "from the Netherlands". */
export function afterInOrFrom(tokens: readonly Token[], index: number): boolean {
  let before = index - 1;
  if (tokens[before]?.key === 'the') before -= 1;
  const key = tokens[before]?.key;
  return key === 'in' || key === 'from';
}

/** The country read just before a connector: "FR" for "IT" in "DE, FR or IT". */
function previousInList(tokens: readonly Token[], index: number): Token | undefined {
  let before = index - 1;
  if (tokens[before]?.key === 'the') before -= 1;
  if (!CONNECTORS.has(tokens[before]?.key ?? '')) return undefined;
  // One connector or a run of them: ", or", "and/or".
  while (CONNECTORS.has(tokens[before - 1]?.key ?? '')) before -= 1;
  const previous = tokens[before - 1];
  return previous?.role === 'country' ? previous : undefined;
}

function endsList(tokens: readonly Token[], index: number): boolean {
  const next = tokens[index + 1];
  return !next || next.punct || CONNECTORS.has(next.key);
}

/**
 * A country starting at tokens[index]: an English name or alias (longest first, "viet nam",
 * "south korea"), a demonym ("German"), or an ISO code under the word-code rules above.
 */
export function matchCountry(
  tokens: readonly Token[],
  index: number,
  context: CountryContext,
): { code: string; length: number } | undefined {
  const first = tokens[index];
  if (!first) return undefined;
  const flag = flagCode(first.text);
  if (flag) return { code: flag, length: 1 };
  if (first.punct) return undefined;
  const previous = previousInList(tokens, index);
  const introduced = afterInOrFrom(tokens, index) || previous !== undefined || first.based === true;
  if (context.nameMode && !introduced) return undefined;
  // A word read as a country from a typo counts only where a place is expected.
  if (first.typed !== undefined && !introduced && !KIND_KEYS.has(tokens[index + 1]?.key ?? ''))
    return undefined;
  const local = matchLocalName(tokens, index);
  if (local) return local;
  const names = allCountryNames();
  for (let length = Math.min(6, tokens.length - index); length >= 1; length -= 1) {
    const words = tokens.slice(index, index + length);
    if (words.some((word) => word.punct || word.used)) continue;
    const phrase = normalizeName(
      words.map((word) => (word.typed === undefined ? word.text : word.key)).join(' '),
    );
    if (length === 1 && phrase.replace(/[^a-z]/g, '').length <= 3) break;
    const code = names.get(phrase);
    if (code) return { code, length };
  }
  const key = first.key.replace(/\.$/, '');
  if (SHORT_NAMES.has(key)) {
    const code = names.get(key) ?? names.get(`${key}.`);
    return code ? { code, length: 1 } : undefined;
  }
  const pair = `${key} ${tokens[index + 1]?.key ?? ''}`;
  if (DEMONYMS[pair] && !context.nameMode && !tokens[index + 1]?.used)
    return { code: DEMONYMS[pair], length: 2 };
  const demonym = DEMONYMS[key];
  if (demonym && !context.nameMode) return { code: demonym, length: 1 };
  if (!/^[A-Za-z]{2,3}$/.test(first.text)) return undefined;
  const country = resolveCountry(first.text);
  if (!country) return undefined;
  const found = { code: country.code, length: 1 };
  const upper = !context.shouted && first.text === first.text.toUpperCase();
  const isWord = key.length === 2 ? WORD_CODES.has(key) : WORD_CODES_3.has(key);
  if (upper) {
    if (!isWord) return found;
    const beforeKind = key === 'us' && KIND_KEYS.has(tokens[index + 1]?.key ?? '');
    return introduced || beforeKind ? found : undefined;
  }
  if (key.length === 3) return undefined;
  if (!isWord) return introduced ? found : undefined;
  // A lower-case word code only inside a list of lower-case codes ("de, fr or it"), never "us".
  const listOfCodes = previous !== undefined && /^[a-z]{2}$/.test(previous.text);
  return key !== 'us' && listOfCodes && endsList(tokens, index) ? found : undefined;
}
