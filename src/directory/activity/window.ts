import { and, type Column, gte, lt, lte, type SQL } from 'drizzle-orm';
import { type PartnerRow, partners } from '../../db/schema/index.ts';
import { addDays, type Clock, calendarDay, todayIn } from './clock.ts';

/**
 * The product guide's rolling window: "New", "Active" and "Inactive" look 30 days back from
 * today, inclusive ("on or after the day that was 30 days ago"), in the workspace time zone.
 * Each rule below is written twice, side by side: as SQL for queries and as a JavaScript
 * predicate for records already read. window.test.ts runs both on the same rows.
 */
export const ACTIVITY_WINDOW_DAYS = 30;

/** The window as of one day: `start` is the first day inside it, `today` the last. */
export interface ActivityWindow {
  today: string;
  start: string;
  days: number;
}

/** The window ending on `day` (YYYY-MM-DD). */
export function activityWindowOn(day: string): ActivityWindow {
  return { today: day, start: addDays(day, -ACTIVITY_WINDOW_DAYS), days: ACTIVITY_WINDOW_DAYS };
}

/** The window as of now in the workspace time zone. */
export function activityWindow(options: { timeZone: string; clock: Clock }): ActivityWindow {
  return activityWindowOn(todayIn(options.timeZone, options.clock));
}

/** The window as of an instant in the past (e.g. the previous digest), in the workspace time zone. */
export function activityWindowAt(at: Date, timeZone: string): ActivityWindow {
  return activityWindowOn(calendarDay(at, timeZone));
}

export const activities = ['new', 'active', 'inactive'] as const;
export type Activity = (typeof activities)[number];

/** The three labels in words, for tool descriptions and answers. */
export const activityDefinitions = {
  new: `since date in the last ${ACTIVITY_WINDOW_DAYS} days`,
  active: `last order in the last ${ACTIVITY_WINDOW_DAYS} days`,
  inactive: `no order in the last ${ACTIVITY_WINDOW_DAYS} days, or none yet`,
} as const satisfies Record<Activity, string>;

/** "new = since date in the last 30 days; active = ...; inactive = ...". */
export const activityGlossary = activities
  .map((activity) => `${activity} = ${activityDefinitions[activity]}`)
  .join('; ');

type ActivityFields = Pick<PartnerRow, 'since' | 'lastOrderDate'>;

/** One activity rule in both forms. */
export interface ActivityRule {
  /**
   * WHERE condition on partners. `byCountry`: the query also filters by country, so the active
   * and inactive forms read sort_last_order ((country, kind, sort_last_order) answers from the
   * index alone); without it last_order_date ((kind, last_order_date)). Both match the same rows.
   */
  sql(window: ActivityWindow, options?: { byCountry?: boolean }): SQL;
  /** The same rule on a record already read. */
  matches(row: ActivityFields, window: ActivityWindow): boolean;
}

const lastOrderInWindow = (row: ActivityFields, window: ActivityWindow) =>
  row.lastOrderDate !== null && row.lastOrderDate >= window.start;

/** New, Active and Inactive, each as SQL and as a predicate. */
export const activityRules: Record<Activity, ActivityRule> = {
  /** The since date is on or after the window start (no since date: never new). */
  new: {
    sql: (window) => gte(partners.since, window.start),
    matches: (row, window) => row.since !== null && row.since >= window.start,
  },
  /** The last order is on or after the window start. */
  active: {
    // sort_last_order is last_order_date with -infinity for none: the same rows either way.
    sql: (window, options) =>
      options?.byCountry
        ? gte(partners.sortLastOrder, window.start)
        : gte(partners.lastOrderDate, window.start),
    matches: lastOrderInWindow,
  },
  /** The last order is before the window start, or there is none (everything not active). */
  inactive: {
    sql: (window) => lt(partners.sortLastOrder, window.start),
    matches: (row, window) => !lastOrderInWindow(row, window),
  },
};

/** A record's activity label: active or inactive (new is a separate flag, see activityRules.new). */
export function activityOf(row: ActivityFields, window: ActivityWindow): 'active' | 'inactive' {
  return activityRules.active.matches(row, window) ? 'active' : 'inactive';
}

/**
 * Records active in one window that are inactive in a later one: their last order fell out of
 * the window between the two days (the digest's "became inactive").
 */
export function becameInactiveSql(options: { then: ActivityWindow; now: ActivityWindow }): SQL {
  return and(activityRules.active.sql(options.then), activityRules.inactive.sql(options.now))!;
}

/**
 * "Expiring within N days of a day": a date on or after `from` and at most `days` days later.
 * A date before `from` has already expired (see hasExpired).
 */
export const expiringWithin = {
  sql: (column: Column, options: { from: string; days: number }): SQL =>
    and(gte(column, options.from), lte(column, addDays(options.from, options.days)))!,
  matches: (date: string, options: { from: string; days: number }): boolean =>
    date >= options.from && date <= addDays(options.from, options.days),
};

/** A validity that ended before `day`. */
export function hasExpired(validTo: string, day: string): boolean {
  return validTo < day;
}
