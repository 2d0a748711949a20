import type { NewPartnerRow } from '../db/schema/index.ts';
import { generatedCode } from '../directory/partners/partner-field-rules.ts';
import type { PartnerKind } from '../directory/partners/partner-schema.ts';
import {
  address2Templates,
  type DemoCity,
  type DemoCountry,
  demoCountries,
  unitsPerUsd,
  wholeUnitCurrencies,
} from './demo-countries.ts';

/** One order of a demo partner (orders table, without ids). */
export interface DemoOrder {
  reference: string;
  orderDate: string;
  amount: string;
  etd: string | null;
}

/** One compliance item of a demo partner. */
export interface DemoComplianceItem {
  name: string;
  validFrom: string | null;
  validTo: string;
}

/**
 * A demo partner: the columns of a partners insert (the database generates id and the search
 * and sort columns) plus its orders and compliance items. ordersCount and lastOrderDate agree
 * with `orders` (with `withOrders: false` the orders are summarized only and `orders` is empty).
 */
export type DemoPartner = NewPartnerRow & {
  kind: PartnerKind;
  code: string;
  since: string | null;
  ordersCount: number;
  lastOrderDate: string | null;
  orders: DemoOrder[];
  complianceItems: DemoComplianceItem[];
};

export interface DemoOptions {
  /** How many partners; with no kind, customers and suppliers alternate (half each). */
  count: number;
  /** Same seed, count and today: same records. */
  seed?: number;
  /** YYYY-MM-DD: orders fall in the 365 days up to it; ~7% have a since date in its last 30 days. */
  today: string;
  kind?: PartnerKind;
  /** First code number per kind (CUS-000001 when 1); pass the reserved block when codes already exist. */
  codeStart?: Partial<Record<PartnerKind, number>>;
  /** false: ordersCount and lastOrderDate only, no order rows (bulk benchmark loads). Default true. */
  withOrders?: boolean;
  /** createdAt, updatedAt and termsAcceptedAt; default 08:00 UTC on today. */
  now?: Date;
  /** createdBy / updatedBy; default "demo". */
  actorName?: string;
}

export const demoComplianceNames = [
  'BSCI audit',
  'ISO 9001',
  'ISO 14001',
  'Oeko-Tex Standard 100',
  'SA8000',
  'GOTS certificate',
  'WRAP certification',
  'Sedex SMETA audit',
] as const;

const customerNotes = [
  'Prefers delivery before the 25th of each month.',
  'Payment terms: 30% deposit, 70% against copy of B/L.',
  'Annual price review in March; send the new price list by February.',
  'Key account: ask {first} before changing delivery dates.',
  'Requests quotes in {currency}, EXW.',
  'Asks for samples before every new colourway.',
  'Credit limit under review after two late payments.',
  'Consolidates orders monthly; ships from {city}.',
  'Liên hệ {first} qua Zalo để xác nhận đơn hàng.',
  'Bitte Lieferavis 48 h vorher per E-Mail.',
];
const supplierNotes = [
  'MOQ 500 pcs per colour; lead time 45 days.',
  'Audit follow-up: corrective actions due next quarter.',
  'Quotes FOB Hải Phòng; prefers T/T in USD.',
  'Second source for packaging; keep at least 20% of volume.',
  'Factory closes two weeks for Tết; order early.',
  'Invoices in {currency}; bank details confirmed by phone with {first}.',
  'Chinese New Year shutdown: plan orders six weeks ahead.',
  'Preferred forwarder: Maersk, consolidated at {city}.',
];
const disableReasons = [
  'Company closed',
  'Duplicate record',
  'Payment default',
  'Failed supplier audit',
  'Now buys through a distributor',
];
const postcodeLetters = [...'ABEGHJLNPRSTWXYZ'];
const DAY_MS = 86_400_000;

/** Mulberry32: a small, fast, seeded PRNG (no Math.random, so the data is reproducible). */
export function seededRandom(seed: number): () => number {
  // State in a typed array: a plain captured number would be re-boxed on every call (5x slower).
  const state = new Int32Array([seed | 0]);
  return () => {
    state[0] = (state[0]! + 0x6d2b79f5) | 0;
    let t = state[0]!;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Customers and suppliers generateDemoPartners yields for a count (with no kind: half each). */
export function demoKindCounts(count: number, kind?: PartnerKind): Record<PartnerKind, number> {
  if (kind) return { customer: kind === 'customer' ? count : 0, supplier: kind === 'supplier' ? count : 0 };
  return { customer: Math.ceil(count / 2), supplier: Math.floor(count / 2) };
}

const dayOf = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const dateCache = new Map<number, string>();
/** YYYY-MM-DD of a day number; cached, since a few thousand distinct days serve millions of rows. */
function dateOf(day: number): string {
  let text = dateCache.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dateCache.set(day, text);
  }
  return text;
}

const germanLetters: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue' };
const asciiCache = new Map<string, string>();

/** Lower-case ASCII for emails and domains: "Nguyễn" -> "nguyen"; "Müller" -> "mueller" (German) or "muller". */
function ascii(text: string, germanFold = false): string {
  const key = germanFold ? `de:${text}` : text;
  const cached = asciiCache.get(key);
  if (cached !== undefined) return cached;
  const folded = (germanFold ? text.replace(/[äöüÄÖÜ]/g, (c) => germanLetters[c]!) : text)
    .replace(/[đĐ]/g, 'd')
    .replace(/ß/g, 'ss')
    .replace(/[łŁ]/g, 'l')
    .replace(/ı/g, 'i')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  // The inputs are the country tables' words and phrases: a bounded set.
  if (asciiCache.size < 100_000) asciiCache.set(key, folded);
  return folded;
}

class DemoGenerator {
  private readonly random: () => number;
  private readonly today: number;
  private readonly emailCounts = new Map<string, number>();
  private readonly countryTables: Record<PartnerKind, { countries: DemoCountry[]; cumulative: number[] }>;

  constructor(
    seed: number,
    today: string,
    private readonly withOrders: boolean,
  ) {
    this.random = seededRandom(seed);
    this.today = dayOf(today);
    const table = (index: 0 | 1) => {
      let sum = 0;
      return {
        countries: demoCountries,
        cumulative: demoCountries.map((country) => {
          sum += country.weight[index];
          return sum;
        }),
      };
    };
    this.countryTables = { customer: table(0), supplier: table(1) };
  }

  private int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  private chance(probability: number): boolean {
    return this.random() < probability;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  /** Fills a pattern: # digit, @ postcode letter, [0-4] / [0136] one of a set, else literal. */
  private pattern(template: string): string {
    let out = '';
    for (let i = 0; i < template.length; i++) {
      const char = template[i]!;
      if (char === '#') out += String(Math.floor(this.random() * 10));
      else if (char === '@') out += this.pick(postcodeLetters);
      else if (char === '[') {
        const end = template.indexOf(']', i);
        const set: string[] = [];
        const body = template.slice(i + 1, end);
        for (let j = 0; j < body.length; j++) {
          if (body[j + 1] === '-' && j + 2 < body.length) {
            for (let c = body.charCodeAt(j); c <= body.charCodeAt(j + 2); c++)
              set.push(String.fromCharCode(c));
            j += 2;
          } else set.push(body[j]!);
        }
        out += this.pick(set);
        i = end;
      } else out += char;
    }
    return out;
  }

  private country(kind: PartnerKind): DemoCountry {
    const { countries, cumulative } = this.countryTables[kind];
    const target = this.random() * cumulative[cumulative.length - 1]!;
    const index = cumulative.findIndex((value) => value > target);
    return countries[index === -1 ? countries.length - 1 : index]!;
  }

  private fill(template: string): string {
    return template
      .replace(/\{n\}/g, () => String(this.int(1, 199)))
      .replace(/\{s\}/g, () => String(this.int(1, 20)));
  }

  /** A unique (per generator, so per kind when generating one kind) lower-case email. */
  private email(local: string, domain: string): string {
    const base = `${local || 'info'}@${domain}`;
    const seen = this.emailCounts.get(base) ?? 0;
    this.emailCounts.set(base, seen + 1);
    return seen === 0 ? base : `${local || 'info'}${seen + 1}@${domain}`;
  }

  private amount(usd: number, currency: string): number {
    const value = usd * (unitsPerUsd[currency] ?? 1);
    return wholeUnitCurrencies.has(currency)
      ? Math.round(value / 1000) * 1000
      : Math.round(value * 100) / 100;
  }

  /** Company name, the name without legal form (nickname, domain) and the web domain. */
  private company(country: DemoCountry, family: string) {
    const parts: Record<string, string> = {
      '{place}': this.pick(country.places),
      '{family}': family,
      '{industry}': this.pick(country.industries),
      '{localIndustry}': country.localIndustries ? this.pick(country.localIndustries) : '',
    };
    const template = this.pick(country.companyTemplates);
    const fillIn = (text: string) => text.replace(/\{\w+\}/g, (token) => parts[token] ?? '').trim();
    const name = fillIn(template.replace('{form}', this.pick(country.forms)));
    const core = fillIn(template.replace('{form}', '')).replace(/^(Công ty TNHH|Công ty Cổ phần|PT|CV) /, '');
    return { name, core, domain: `${ascii(core, country.germanFold)}.${this.pick(country.tlds)}` };
  }

  /** Email local part in the country's habit ("annv" for Nguyễn Văn An, else "anna.weber", "aweber", "anna"). */
  private localPart(country: DemoCountry, names: { given: string; family: string; middle?: string }): string {
    const fold = (text: string) => ascii(text, country.germanFold);
    const { given, family, middle } = names;
    if (middle) return `${fold(given)}${fold(family)[0] ?? ''}${fold(middle)[0] ?? ''}`;
    const style = this.random();
    if (style < 0.6) return `${fold(given)}.${fold(family)}`;
    return style < 0.85 ? `${fold(given)[0] ?? ''}${fold(family)}` : fold(given);
  }

  /**
   * Since date and orders: ~7% since within the last 30 days (New), ~3% without since; ~25%
   * ordered within the last 30 days (Active), ~15% never ordered, the rest lapsed (Inactive).
   */
  private activity(kind: PartnerKind, currency: string) {
    const sinceRoll = this.random();
    const sinceDay =
      sinceRoll < 0.07
        ? this.today - this.int(0, 30)
        : sinceRoll < 0.1
          ? null
          : this.today - 31 - Math.floor(this.random() ** 1.3 * (8 * 365 - 31));
    const yearStart = Math.max(this.today - 364, sinceDay ?? this.today - 364);
    let bucket = this.random();
    // A partner since less than 31 days cannot have lapsed: active or no order yet.
    if (bucket >= 0.4 && yearStart > this.today - 31) bucket = this.chance(0.5) ? 0 : 0.3;
    const orderUsd = 300 * 400 ** this.random();
    let ordersCount = 0;
    let lastDay: number | null = null;
    let orders: DemoOrder[] = [];
    if (bucket < 0.25 || bucket >= 0.4) {
      const active = bucket < 0.25;
      lastDay = active
        ? this.int(Math.max(this.today - 30, yearStart), this.today)
        : this.int(yearStart, this.today - 31);
      ordersCount = 1 + Math.floor(this.random() ** 2 * (active ? 18 : 8));
      if (this.withOrders) {
        orders = this.orders({
          kind,
          count: ordersCount,
          from: yearStart,
          last: lastDay,
          orderUsd,
          currency,
        });
      }
    }
    const ordered = orders.reduce((sum, order) => sum + Number(order.amount), 0);
    const years = sinceDay === null ? 1 : Math.max(0, (this.today - sinceDay) / 365 - 1);
    const history = ordersCount === 0 && this.chance(0.5) ? 0 : this.amount(orderUsd * 6 * years, currency);
    return {
      sinceDay,
      ordersCount,
      lastDay,
      orders,
      total: Math.min(ordered + history, 900_000_000_000).toFixed(2),
    };
  }

  partner(kind: PartnerKind, code: string, meta: { now: Date; actorName: string }): DemoPartner {
    const country = this.country(kind);
    const city: DemoCity = this.pick(country.cities);
    const given = this.pick(country.givenNames);
    const family = this.pick(country.familyNames);
    const middle = country.middleNames ? this.pick(country.middleNames) : undefined;
    const company = this.company(country, family);
    const freeMail = this.chance(0.06);
    const email = this.email(
      this.localPart(country, { given, family, middle }),
      freeMail ? 'gmail.com' : company.domain,
    );
    const phoneTemplate = this.pick(city.phones ?? country.phones);
    const phone = this.chance(0.92) ? `+${country.callingCode}${this.pattern(phoneTemplate)}` : null;
    const currency = country.currency === 'USD' || this.chance(0.7) ? country.currency : 'USD';
    const activity = this.activity(kind, currency);
    const disabledDay = this.chance(0.03)
      ? this.today - this.int(0, Math.min(400, this.today - (activity.sinceDay ?? this.today - 400)))
      : null;
    const items = this.chance(kind === 'supplier' ? 0.35 : 0.05) ? this.complianceItems() : [];
    const note = this.chance(0.2) ? this.pick(kind === 'customer' ? customerNotes : supplierNotes) : null;
    return {
      kind,
      code,
      status: disabledDay === null ? 'enabled' : 'disabled',
      approved: !this.chance(0.02),
      firstName: middle ? `${middle} ${given}` : given,
      lastName: family,
      email,
      phone,
      companyName: company.name,
      nickname: this.chance(0.12) ? company.core : null,
      notes:
        note?.replace('{first}', given).replace('{city}', city.name).replace('{currency}', currency) ?? null,
      since: activity.sinceDay === null ? null : dateOf(activity.sinceDay),
      total: activity.total,
      currency,
      street: this.fill(this.pick(country.streets)),
      address2: this.chance(0.15)
        ? this.fill(this.pick(address2Templates[country.code] ?? address2Templates.default!))
        : null,
      city: city.name,
      state: city.state ?? null,
      postalCode: city.postal ? this.pattern(city.postal) : null,
      country: country.code,
      website: freeMail || this.chance(0.1) ? null : `https://www.${company.domain}`,
      employees: Math.round(3 * 5000 ** this.random()),
      ordersCount: activity.ordersCount,
      lastOrderDate: activity.lastDay === null ? null : dateOf(activity.lastDay),
      accessGroups: this.chance(0.06) ? [country.region] : [],
      blockNonCompliantOrders: items.length > 0 && this.chance(0.3),
      notifyOnComplianceBreach: items.length > 0 && this.chance(0.5),
      termsAcceptedAt: meta.now,
      createdAt: meta.now,
      updatedAt: meta.now,
      createdBy: meta.actorName,
      updatedBy: meta.actorName,
      disabledAt: disabledDay === null ? null : new Date(disabledDay * DAY_MS + 10 * 3_600_000),
      disabledReason: disabledDay === null ? null : this.pick(disableReasons),
      orders: activity.orders,
      complianceItems: items,
    };
  }

  private orders(options: {
    kind: PartnerKind;
    count: number;
    from: number;
    last: number;
    orderUsd: number;
    currency: string;
  }): DemoOrder[] {
    const { kind, count, from, last, orderUsd, currency } = options;
    const days = [last];
    for (let i = 1; i < count; i++) days.push(this.int(from, last));
    days.sort((a, b) => a - b);
    const prefix = kind === 'customer' ? 'SO' : 'PO';
    const references = new Set<string>();
    return days.map((day) => {
      const date = dateOf(day);
      let reference: string;
      do reference = `${prefix}-${date.slice(0, 4)}-${String(this.int(1, 99_999)).padStart(5, '0')}`;
      while (references.has(reference));
      references.add(reference);
      return {
        reference,
        orderDate: date,
        amount: this.amount(orderUsd * (0.5 + this.random()), currency).toFixed(2),
        etd: this.chance(0.8)
          ? dateOf(day + this.int(kind === 'customer' ? 14 : 21, kind === 'customer' ? 60 : 90))
          : null,
      };
    });
  }

  /** 1-3 items: ~12% expired, ~15% expiring within 30 days, the rest valid for longer. */
  private complianceItems(): DemoComplianceItem[] {
    const names = new Set<string>();
    const wanted = this.int(1, 3);
    while (names.size < wanted) names.add(this.pick(demoComplianceNames));
    return [...names].map((name) => {
      const roll = this.random();
      const validTo =
        roll < 0.12
          ? this.today - this.int(1, 300)
          : roll < 0.27
            ? this.today + this.int(0, 30)
            : this.today + this.int(31, 900);
      return {
        name,
        // Valid from 1-3 years before validTo, and never in the future.
        validFrom: this.chance(0.9)
          ? dateOf(validTo - 365 * Math.max(this.int(1, 3), Math.ceil((validTo - this.today) / 365)))
          : null,
        validTo: dateOf(validTo),
      };
    });
  }
}

/**
 * Realistic, deterministic B2B partners for a manufacturer/wholesaler: customers and suppliers
 * across 31 countries (Viet Nam the largest share), with names, companies, addresses, valid
 * E.164 phones, emails unique per kind, orders over the last year so New, Active and Inactive
 * are all non-zero, a few disabled or access-grouped records and some compliance items.
 * Codes run CUS-000001 / SUP-000001 upward from codeStart: advance the code sequences past them.
 */
export function* generateDemoPartners(options: DemoOptions): Generator<DemoPartner> {
  const generator = new DemoGenerator(options.seed ?? 1, options.today, options.withOrders ?? true);
  const next = { customer: options.codeStart?.customer ?? 1, supplier: options.codeStart?.supplier ?? 1 };
  const meta = {
    now: options.now ?? new Date(`${options.today}T08:00:00Z`),
    actorName: options.actorName ?? 'demo',
  };
  for (let i = 0; i < options.count; i++) {
    const kind: PartnerKind = options.kind ?? (i % 2 === 0 ? 'customer' : 'supplier');
    const number = next[kind]++;
    yield generator.partner(kind, generatedCode(kind, number), meta);
  }
}
