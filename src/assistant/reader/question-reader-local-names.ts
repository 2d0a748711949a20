import cs from 'i18n-iso-countries/langs/cs.json' with { type: 'json' };
import da from 'i18n-iso-countries/langs/da.json' with { type: 'json' };
import de from 'i18n-iso-countries/langs/de.json' with { type: 'json' };
import el from 'i18n-iso-countries/langs/el.json' with { type: 'json' };
import es from 'i18n-iso-countries/langs/es.json' with { type: 'json' };
import fi from 'i18n-iso-countries/langs/fi.json' with { type: 'json' };
import fr from 'i18n-iso-countries/langs/fr.json' with { type: 'json' };
import hr from 'i18n-iso-countries/langs/hr.json' with { type: 'json' };
import hu from 'i18n-iso-countries/langs/hu.json' with { type: 'json' };
import it from 'i18n-iso-countries/langs/it.json' with { type: 'json' };
import ja from 'i18n-iso-countries/langs/ja.json' with { type: 'json' };
import ko from 'i18n-iso-countries/langs/ko.json' with { type: 'json' };
import nb from 'i18n-iso-countries/langs/nb.json' with { type: 'json' };
import nl from 'i18n-iso-countries/langs/nl.json' with { type: 'json' };
import pl from 'i18n-iso-countries/langs/pl.json' with { type: 'json' };
import pt from 'i18n-iso-countries/langs/pt.json' with { type: 'json' };
import ro from 'i18n-iso-countries/langs/ro.json' with { type: 'json' };
import ru from 'i18n-iso-countries/langs/ru.json' with { type: 'json' };
import sk from 'i18n-iso-countries/langs/sk.json' with { type: 'json' };
import sl from 'i18n-iso-countries/langs/sl.json' with { type: 'json' };
import sv from 'i18n-iso-countries/langs/sv.json' with { type: 'json' };
import th from 'i18n-iso-countries/langs/th.json' with { type: 'json' };
import tr from 'i18n-iso-countries/langs/tr.json' with { type: 'json' };
import uk from 'i18n-iso-countries/langs/uk.json' with { type: 'json' };
import vi from 'i18n-iso-countries/langs/vi.json' with { type: 'json' };
import zh from 'i18n-iso-countries/langs/zh.json' with { type: 'json' };
import type { Token } from './question-reader-text.ts';

type LocaleFile = { countries: Record<string, string | string[]> };

/**
 * Countries by the name their own people write ("España", "Österreich", "Việt Nam", "日本"):
 * each locale of i18n-iso-countries gives the names of the countries that speak it.
 */
const OWN_LANGUAGE: [LocaleFile, string[]][] = [
  [es, ['ES', 'MX', 'AR', 'CO', 'CL', 'PE']],
  [de, ['DE', 'AT', 'CH']],
  [fr, ['FR', 'BE', 'CH']],
  [it, ['IT', 'CH']],
  [pt, ['PT', 'BR']],
  [nl, ['NL', 'BE']],
  [vi, ['VN']],
  [ja, ['JP']],
  [zh, ['CN']],
  [ko, ['KR']],
  [th, ['TH']],
  [pl, ['PL']],
  [cs, ['CZ']],
  [sk, ['SK']],
  [sl, ['SI']],
  [hr, ['HR']],
  [hu, ['HU']],
  [ro, ['RO']],
  [el, ['GR', 'CY']],
  [tr, ['TR']],
  [sv, ['SE']],
  [nb, ['NO']],
  [da, ['DK']],
  [fi, ['FI']],
  [ru, ['RU']],
  [uk, ['UA']],
];

/** Romanized and short local names the library does not carry. */
const ROMANIZED: Record<string, string> = {
  nihon: 'JP',
  nippon: 'JP',
  zhongguo: 'CN',
  hanguk: 'KR',
  'daehan minguk': 'KR',
  bharat: 'IN',
  hellas: 'GR',
  ellada: 'GR',
  rossiya: 'RU',
  ukrayina: 'UA',
  'prathet thai': 'TH',
  'muang thai': 'TH',
  oesterreich: 'AT',
  cesko: 'CZ',
  misr: 'EG',
  eire: 'IE',
  pilipinas: 'PH',
  nederland: 'NL',
  belgie: 'BE',
  'viet nam': 'VN',
};

const key = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}' ]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const LOCAL_NAMES = new Map<string, string>();
for (const [file, codes] of OWN_LANGUAGE) {
  for (const code of codes) {
    const names = file.countries[code];
    for (const name of Array.isArray(names) ? names : names ? [names] : []) LOCAL_NAMES.set(key(name), code);
  }
}
for (const [name, code] of Object.entries(ROMANIZED)) LOCAL_NAMES.set(name, code);

/** Every local name (lower case, accents stripped) with its code, for the typo vocabulary. */
export function localCountryNames(): ReadonlyMap<string, string> {
  return LOCAL_NAMES;
}

/** A country by its local name at tokens[index], longest first (up to three words). */
export function matchLocalName(
  tokens: readonly Token[],
  index: number,
): { code: string; length: number } | undefined {
  for (let length = Math.min(3, tokens.length - index); length >= 1; length -= 1) {
    const words = tokens.slice(index, index + length);
    if (words.some((word) => word.punct || word.used)) continue;
    const code = LOCAL_NAMES.get(key(words.map((word) => word.key).join(' ')));
    if (code) return { code, length };
  }
  return undefined;
}
