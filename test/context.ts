import { createLogger } from '../src/app/logger.ts';
import { createToolContext } from '../src/app/tool-context.ts';
import type { Database } from '../src/db/client.ts';
import type { Principal, Role, Via } from '../src/directory/access/principal.ts';
import { type Clock, fixedClock } from '../src/directory/activity/clock.ts';
import type { ToolContext } from '../src/tools/index.ts';

export const TODAY = '2026-06-15';

export function principal(role: Role, accessGroups: string[] = [], name = `${role}-user`): Principal {
  return { id: `test-${name}`, name, role, accessGroups };
}

const silent = createLogger('silent');

/**
 * A context for tests (domain and tools alike), from the one factory: fixed "today" (noon UTC on
 * TODAY) unless a clock is given, UTC, a 30-day compliance window, links under localhost:3000.
 */
export function contextFor(
  database: Database,
  options: {
    role?: Role;
    groups?: string[];
    principal?: Principal;
    clock?: Clock;
    timeZone?: string;
    via?: Via;
  } = {},
): ToolContext {
  return createToolContext(
    {
      config: {
        TIMEZONE: options.timeZone ?? 'UTC',
        COMPLIANCE_WINDOW_DAYS: 30,
        PUBLIC_URL: 'http://localhost:3000',
        HOST: 'localhost',
        PORT: 3000,
      },
      db: database.db,
      clock: options.clock ?? fixedClock(`${TODAY}T12:00:00Z`),
      logger: silent,
    },
    {
      principal: options.principal ?? principal(options.role ?? 'admin', options.groups ?? []),
      via: options.via ?? 'cli',
    },
  );
}

let counter = 0;
/** A valid create input with a unique email; override any field. */
export function customerInput(overrides: Record<string, unknown> = {}) {
  counter++;
  return {
    kind: 'customer' as const,
    firstName: 'Anna',
    lastName: 'Nguyen',
    email: `anna${counter}@example.com`,
    totalSales: 1000,
    termsAccepted: true,
    ...overrides,
  };
}

export function supplierInput(overrides: Record<string, unknown> = {}) {
  counter++;
  return {
    kind: 'supplier' as const,
    firstName: 'Binh',
    email: `binh${counter}@example.vn`,
    totalPurchases: 0,
    termsAccepted: true,
    ...overrides,
  };
}
