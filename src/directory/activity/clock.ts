/** Time source injected into every operation so tests can pin "today". */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock fixed at one instant (tests, digest previews). */
export function fixedClock(at: Date | string): Clock {
  const instant = new Date(at);
  return { now: () => new Date(instant) };
}

/** Today's calendar date (YYYY-MM-DD) in the workspace time zone. */
export function todayIn(timeZone: string, clock: Clock): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(clock.now());
}

/** A YYYY-MM-DD date moved by whole days. */
export function addDays(date: string, days: number): string {
  const value = new Date(`${date}T00:00:00Z`);
  value.setUTCDate(value.getUTCDate() + days);
  return value.toISOString().slice(0, 10);
}

/** The product guide's rolling window: 30 days back from today, inclusive ("on or after"). */
export const ACTIVITY_WINDOW_DAYS = 30;

export function activityCutoff(timeZone: string, clock: Clock): string {
  return addDays(todayIn(timeZone, clock), -ACTIVITY_WINDOW_DAYS);
}
