import type { Database } from '../src/db/client.ts';
import type { Principal, Role, Via } from '../src/directory/access/principal.ts';
import { type Clock, fixedClock } from '../src/directory/activity/clock.ts';
import type { DirectoryContext } from '../src/directory/context.ts';

export const TODAY = '2026-06-15';

export function principal(role: Role, accessGroups: string[] = [], name = `${role}-user`): Principal {
  return { id: `test-${name}`, name, role, accessGroups };
}

/** A domain context for tests: fixed "today" (noon UTC on TODAY) unless a clock is given. */
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
): DirectoryContext {
  return {
    db: database.db,
    clock: options.clock ?? fixedClock(`${TODAY}T12:00:00Z`),
    timeZone: options.timeZone ?? 'UTC',
    complianceWindowDays: 30,
    actor: {
      principal: options.principal ?? principal(options.role ?? 'admin', options.groups ?? []),
      via: options.via ?? 'cli',
    },
  };
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
