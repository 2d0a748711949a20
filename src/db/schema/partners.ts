import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { partnerTextRules } from '../../directory/partners/partner-field-rules.ts';
import { lifecycleColumns, sortKeyText } from './columns.ts';

/** Text columns stored as typed (after normalization), with their length limit from the field table. */
export const storedTextLimits = [
  ['lastName', 'last_name'],
  ['email', 'email'],
  ['companyName', 'company_name'],
  ['nickname', 'nickname'],
  ['notes', 'notes'],
  ['street', 'street'],
  ['address2', 'address2'],
  ['city', 'city'],
  ['state', 'state'],
  ['postalCode', 'postal_code'],
  ['website', 'website'],
] as const;

export const partnerKind = pgEnum('partner_kind', ['customer', 'supplier']);
export const partnerStatus = pgEnum('partner_status', ['enabled', 'disabled']);

/** U+10FFFF: sorts after every real value under COLLATE "C", so blank text sorts last A to Z. */
const LAST = sql.raw('chr(1114111)');

/**
 * Customers and suppliers in one table ("one shared people area"). Sort keys and the search
 * text are generated columns so every sort is a NOT NULL key with a (key, id) index for keyset paging.
 */
export const partners = pgTable(
  'partners',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: partnerKind('kind').notNull(),
    code: text('code').notNull(),
    status: partnerStatus('status').notNull().default('enabled'),
    approved: boolean('approved').notNull().default(true),
    firstName: text('first_name').notNull(),
    lastName: text('last_name'),
    email: text('email').notNull(),
    phone: text('phone'),
    companyName: text('company_name'),
    nickname: text('nickname'),
    notes: text('notes'),
    since: date('since', { mode: 'string' }),
    total: numeric('total', { precision: 16, scale: 2 }).notNull(),
    currency: text('currency').notNull().default('USD'),
    street: text('street'),
    address2: text('address2'),
    city: text('city'),
    state: text('state'),
    postalCode: text('postal_code'),
    country: text('country'),
    website: text('website'),
    employees: integer('employees'),
    ordersCount: integer('orders_count').notNull().default(0),
    lastOrderDate: date('last_order_date', { mode: 'string' }),
    accessGroups: text('access_groups').array().notNull().default(sql`'{}'::text[]`),
    blockNonCompliantOrders: boolean('block_non_compliant_orders').notNull().default(false),
    notifyOnComplianceBreach: boolean('notify_on_compliance_breach').notNull().default(false),
    termsAcceptedAt: timestamp('terms_accepted_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdBy: text('created_by').notNull(),
    updatedBy: text('updated_by').notNull(),
    disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'date' }),
    disabledReason: text('disabled_reason'),
    ...lifecycleColumns,
    searchText: text('search_text')
      .notNull()
      .generatedAlwaysAs(
        sql`pb_norm(first_name || ' ' || coalesce(last_name, '') || ' ' || coalesce(company_name, '') || ' ' || coalesce(nickname, '') || ' ' || email || ' ' || coalesce(phone, '') || ' ' || coalesce(substr(phone, 2), '') || ' ' || code)`,
      ),
    sortName: sortKeyText('sort_name')
      .notNull()
      .generatedAlwaysAs(sql`pb_norm(first_name || ' ' || coalesce(last_name, ''))`),
    sortCompany: sortKeyText('sort_company')
      .notNull()
      .generatedAlwaysAs(sql`coalesce(nullif(pb_norm(company_name), ''), ${LAST})`),
    sortCity: sortKeyText('sort_city')
      .notNull()
      .generatedAlwaysAs(sql`coalesce(nullif(pb_norm(city), ''), ${LAST})`),
    sortCountry: sortKeyText('sort_country').notNull().generatedAlwaysAs(sql`coalesce(country, ${LAST})`),
    sortLastOrder: date('sort_last_order', { mode: 'string' })
      .notNull()
      .generatedAlwaysAs(sql`coalesce(last_order_date, '-infinity'::date)`),
    sortSince: date('sort_since', { mode: 'string' })
      .notNull()
      .generatedAlwaysAs(sql`coalesce(since, '-infinity'::date)`),
  },
  (t) => [
    uniqueIndex('partners_kind_code_key').on(t.kind, t.code),
    uniqueIndex('partners_kind_email_key').on(t.kind, t.email),
    index('partners_search_trgm').using('gin', t.searchText.op('gin_trgm_ops')),
    index('partners_kind_since_idx').on(t.kind, t.since),
    index('partners_kind_last_order_idx').on(t.kind, t.lastOrderDate),
    index('partners_kind_status_idx').on(t.kind, t.status),
    // Country filters: counts of inactive/active (sort_last_order) and new (since) read these
    // indexes only; pages sorted by name walk (country, sort_name, id) within one country.
    index('partners_country_kind_idx').on(t.country, t.kind, t.sortLastOrder),
    index('partners_country_kind_since_idx').on(t.country, t.kind, t.since),
    index('partners_country_sort_name_idx').on(t.country, t.sortName, t.id),
    // Sort by name, with search_text in the index so a broad text search can walk the name order
    // and test each entry without reading the table (index-only scan). search_text as a last key
    // column orders nothing ((sort_name, id) is unique) and works like INCLUDE, which drizzle lacks.
    index('partners_sort_name_search_idx').on(t.sortName, t.id, t.searchText),
    index('partners_sort_company_idx').on(t.sortCompany, t.id),
    index('partners_sort_city_idx').on(t.sortCity, t.id),
    index('partners_sort_country_idx').on(t.sortCountry, t.id),
    index('partners_sort_total_idx').on(t.total, t.id),
    index('partners_sort_orders_idx').on(t.ordersCount, t.id),
    index('partners_sort_last_order_idx').on(t.sortLastOrder, t.id),
    index('partners_sort_since_idx').on(t.sortSince, t.id),
    index('partners_sort_code_idx').on(t.code, t.id),
    check(
      'partners_code_format',
      sql`${t.code} ~ ${sql.raw(`'^[A-Z0-9][A-Z0-9._-]{0,${partnerTextRules.code.max - 1}}$'`)}`,
    ),
    check(
      'partners_first_name_present',
      sql`length(btrim(${t.firstName})) between 1 and ${sql.raw(String(partnerTextRules.firstName.max))}`,
    ),
    ...storedTextLimits.map(([field, column]) =>
      check(
        `partners_${column}_length`,
        sql`char_length(${t[field]}) <= ${sql.raw(String(partnerTextRules[field].max))}`,
      ),
    ),
    check('partners_email_lower', sql`${t.email} = lower(${t.email}) and position('@' in ${t.email}) > 1`),
    check('partners_phone_e164', sql`${t.phone} ~ '^\\+[1-9][0-9]{5,14}$'`),
    check('partners_total_nonnegative', sql`${t.total} >= 0`),
    check('partners_currency_iso', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('partners_country_alpha2', sql`${t.country} ~ '^[A-Z]{2}$'`),
    check('partners_employees_nonnegative', sql`${t.employees} >= 0`),
    check('partners_orders_count_nonnegative', sql`${t.ordersCount} >= 0`),
    check('partners_version_positive', sql`${t.version} >= 1`),
    check('partners_disabled_consistent', sql`(${t.status} = 'disabled') = (${t.disabledAt} is not null)`),
  ],
);

export type PartnerRow = typeof partners.$inferSelect;
export type NewPartnerRow = typeof partners.$inferInsert;
