import { distance } from 'fastest-levenshtein';
import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import type { FieldProblem } from '../errors.ts';

countries.registerLocale(en);

/** Short English names where the library's first name is long or not the usual one. */
const displayNames: Record<string, string> = {
  VN: 'Viet Nam',
  US: 'United States',
  GB: 'United Kingdom',
  KR: 'South Korea',
  KP: 'North Korea',
  TW: 'Taiwan',
  RU: 'Russia',
  IR: 'Iran',
  LA: 'Laos',
  SY: 'Syria',
  TZ: 'Tanzania',
  BO: 'Bolivia',
  VE: 'Venezuela',
  MD: 'Moldova',
  MK: 'North Macedonia',
  CZ: 'Czechia',
  CD: 'DR Congo',
  CG: 'Congo',
  PS: 'Palestine',
  BN: 'Brunei',
  FM: 'Micronesia',
  VA: 'Vatican City',
  MO: 'Macao',
  HK: 'Hong Kong',
  CI: "Côte d'Ivoire",
};

/** Names people use that the library does not know (it matches ~20 English aliases only). */
const extraAliases: Record<string, string> = {
  'viet nam': 'VN',
  'socialist republic of vietnam': 'VN',
  america: 'US',
  'united states': 'US',
  'u.s.': 'US',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  britain: 'GB',
  'great britain': 'GB',
  holland: 'NL',
  korea: 'KR',
  'south korea': 'KR',
  'north korea': 'KP',
  czech: 'CZ',
  czechia: 'CZ',
  russia: 'RU',
  uae: 'AE',
  emirates: 'AE',
  'ivory coast': 'CI',
  laos: 'LA',
  burma: 'MM',
  macau: 'MO',
  turkey: 'TR',
  turkiye: 'TR',
  swaziland: 'SZ',
  'cape verde': 'CV',
  'east timor': 'TL',
  vatican: 'VA',
  syria: 'SY',
  iran: 'IR',
  moldova: 'MD',
  tanzania: 'TZ',
  taiwan: 'TW',
  palestine: 'PS',
  brunei: 'BN',
  micronesia: 'FM',
  drc: 'CD',
  'dr congo': 'CD',
  'the gambia': 'GM',
  'the bahamas': 'BS',
  'hong kong': 'HK',
  'mainland china': 'CN',
  prc: 'CN',
};

export function normalizeName(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’']/g, "'")
    .replace(/[^a-z0-9' .]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const nameIndex = new Map<string, string>();
for (const [code, names] of Object.entries(countries.getNames('en', { select: 'all' }))) {
  for (const name of names) nameIndex.set(normalizeName(name), code);
}
for (const [code, name] of Object.entries(displayNames)) nameIndex.set(normalizeName(name), code);
for (const [alias, code] of Object.entries(extraAliases)) nameIndex.set(normalizeName(alias), code);

export interface Country {
  code: string;
  name: string;
}

/** English display name of an ISO 3166-1 alpha-2 code. */
export function countryName(code: string): string {
  return displayNames[code] ?? countries.getName(code, 'en') ?? code;
}

/**
 * Resolves a code (alpha-2, alpha-3, numeric) or an English name or alias in any case:
 * "Vietnam", "Viet Nam", "vn", "VNM" all give VN. Undefined when nothing matches.
 */
export function resolveCountry(input: string): Country | undefined {
  const raw = input.trim();
  if (!raw) return undefined;
  if (/^[A-Za-z]{2}$/.test(raw) && countries.isValid(raw.toUpperCase())) {
    const code = raw.toUpperCase();
    return { code, name: countryName(code) };
  }
  if (/^[A-Za-z]{3}$|^\d{3}$/.test(raw)) {
    const code = countries.toAlpha2(raw.toUpperCase());
    if (code) return { code, name: countryName(code) };
  }
  const code = nameIndex.get(normalizeName(raw));
  return code ? { code, name: countryName(code) } : undefined;
}

/** The closest country to a misspelling ("Vietnum" -> VN), or undefined when nothing is close. */
export function suggestCountry(input: string): Country | undefined {
  const wanted = normalizeName(input);
  if (wanted.length < 3) return undefined;
  let best: { code: string; score: number } | undefined;
  for (const [name, code] of nameIndex) {
    const score = distance(wanted, name) / Math.max(wanted.length, name.length);
    if (!best || score < best.score) best = { code, score };
  }
  return best && best.score <= 0.34 ? { code: best.code, name: countryName(best.code) } : undefined;
}

/** "VN (Viet Nam)": how a country is named in suggestions. */
export function describeCountry(country: Country): string {
  return `${country.code} (${country.name})`;
}

/**
 * Reads a country given as a code or a name: its ISO code, or undefined with an unknown_country
 * problem that suggests the closest country we know ("did you mean VN (Viet Nam)?").
 */
export function readCountry(options: {
  text: string;
  field: string;
  problems: FieldProblem[];
}): string | undefined {
  const { text, field, problems } = options;
  const country = resolveCountry(text);
  if (country) return country.code;
  const suggestion = suggestCountry(text);
  problems.push({
    field,
    code: 'unknown_country',
    message: `"${text}" is not a country we know${suggestion ? `; did you mean ${describeCountry(suggestion)}?` : '; use an ISO code such as VN or an English name such as Germany.'}`,
    ...(suggestion ? { didYouMean: describeCountry(suggestion) } : {}),
  });
  return undefined;
}

/** Every code with its display name, for finding a country mentioned in free text. */
export function allCountryNames(): ReadonlyMap<string, string> {
  return nameIndex;
}
