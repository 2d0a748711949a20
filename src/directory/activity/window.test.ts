import type { SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/database.ts';
import { idsWhere, insertPartnerRows } from '../../../test/partner-rows.ts';
import type { Database } from '../../db/client.ts';
import { type PartnerRow, partners } from '../../db/schema/index.ts';
import { addDays, fixedClock } from './clock.ts';
import {
  type ActivityWindow,
  activities,
  activityRules,
  activityWindow,
  activityWindowAt,
  becameInactiveSql,
  expiringWithin,
} from './window.ts';

const TODAY = '2026-06-15';
/** Dates around the window of TODAY (start 2026-05-16) and of the day after (start 2026-05-17). */
const dates = [
  null,
  '2026-05-14',
  '2026-05-15',
  '2026-05-16',
  '2026-05-17',
  '2026-05-18',
  TODAY,
  '2026-06-16',
];

let database: Database;
let rows: PartnerRow[];
beforeAll(async () => {
  database = await openTestDatabase();
  rows = await insertPartnerRows(database, {
    code: 'W',
    rows: dates.flatMap((since) => dates.map((lastOrderDate) => ({ since, lastOrderDate }))),
  });
});
afterAll(async () => {
  await database?.close();
});

const ids = (list: Pick<PartnerRow, 'id'>[]) => list.map((row) => row.id).sort();
const selectIds = (where: SQL) => idsWhere(database, rows, where);

const windows: [string, ActivityWindow][] = [
  ['UTC at noon', activityWindow({ timeZone: 'UTC', clock: fixedClock(`${TODAY}T12:00:00Z`) })],
  // 20:00 UTC is already the next day in Ho Chi Minh City (UTC+7): the window starts a day later.
  [
    'Asia/Ho_Chi_Minh late in the UTC day',
    activityWindow({ timeZone: 'Asia/Ho_Chi_Minh', clock: fixedClock(`${TODAY}T20:00:00Z`) }),
  ],
  // 03:00 UTC is still the day before in Los Angeles (UTC-7): the window starts a day earlier.
  [
    'America/Los_Angeles early in the UTC day',
    activityWindow({ timeZone: 'America/Los_Angeles', clock: fixedClock(`${TODAY}T03:00:00Z`) }),
  ],
];

describe('the activity window', () => {
  it('starts 30 days before today in the workspace time zone, inclusive', () => {
    expect(windows.map(([, window]) => [window.today, window.start])).toEqual([
      ['2026-06-15', '2026-05-16'],
      ['2026-06-16', '2026-05-17'],
      ['2026-06-14', '2026-05-15'],
    ]);
  });

  it('counts a since date of day 30 as new and of day 31 as not new', () => {
    const [, utc] = windows[0]!;
    const day30 = { since: addDays(TODAY, -30), lastOrderDate: null };
    const day31 = { since: addDays(TODAY, -31), lastOrderDate: null };
    expect(activityRules.new.matches(day30, utc)).toBe(true);
    expect(activityRules.new.matches(day31, utc)).toBe(false);
    // The same instant in Ho Chi Minh City is a day later: day 30 in UTC is day 31 there.
    const [, hcm] = windows[1]!;
    expect(activityRules.new.matches(day30, hcm)).toBe(false);
  });

  it('reads the window of a past instant in the workspace time zone', () => {
    expect(activityWindowAt(new Date('2026-06-14T18:00:00Z'), 'Asia/Ho_Chi_Minh').today).toBe('2026-06-15');
    expect(activityWindowAt(new Date('2026-06-14T18:00:00Z'), 'UTC').today).toBe('2026-06-14');
  });

  describe.each(windows)('as of %s', (_name, window) => {
    it.each(activities)('selects the same rows for "%s" in SQL as the predicate does', async (activity) => {
      const rule = activityRules[activity];
      const expected = ids(rows.filter((row) => rule.matches(row, window)));
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(rows.length);
      expect(await selectIds(rule.sql(window))).toEqual(expected);
      expect(await selectIds(rule.sql(window, { byCountry: true }))).toEqual(expected);
    });

    it('splits every row into exactly one of active and inactive', () => {
      for (const row of rows) {
        expect(activityRules.active.matches(row, window)).toBe(!activityRules.inactive.matches(row, window));
      }
    });

    it('selects as "expiring within N days" the same dates in SQL as the predicate does', async () => {
      const options = { from: window.today, days: 1 };
      const expected = ids(
        rows.filter(
          (row) => row.lastOrderDate !== null && expiringWithin.matches(row.lastOrderDate, options),
        ),
      );
      expect(expected.length).toBeGreaterThan(0);
      expect(await selectIds(expiringWithin.sql(partners.lastOrderDate, options))).toEqual(expected);
    });
  });

  it('finds as "became inactive" the rows active a day ago and inactive today, in SQL as in JS', async () => {
    const then = activityWindow({ timeZone: 'UTC', clock: fixedClock(`${addDays(TODAY, -1)}T12:00:00Z`) });
    const now = activityWindow({ timeZone: 'UTC', clock: fixedClock(`${TODAY}T12:00:00Z`) });
    const expected = ids(
      rows.filter(
        (row) => activityRules.active.matches(row, then) && activityRules.inactive.matches(row, now),
      ),
    );
    // Exactly the rows whose last order was on 2026-05-15, the day that left the window.
    expect(expected).toEqual(ids(rows.filter((row) => row.lastOrderDate === '2026-05-15')));
    expect(await selectIds(becameInactiveSql({ then, now }))).toEqual(expected);
  });
});
