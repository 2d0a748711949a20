import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor } from '../../test/context.ts';
import { openTestDatabase } from '../../test/database.ts';
import type { Database } from '../db/client.ts';
import { findTool, runTool } from './index.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('runTool', () => {
  it('suggests the closest value once, whether the domain or the schema found the problem', async () => {
    const ctx = contextFor(database, { role: 'viewer' });
    const country = await runTool(findTool('search_partners')!, { countries: ['Vietnum'] }, ctx);
    expect(country.isError).toBe(true);
    expect(country.text.match(/did you mean VN \(Viet Nam\)/g)).toHaveLength(1);
    const activity = await runTool(findTool('search_partners')!, { activity: 'actve' }, ctx);
    expect(activity.text).toMatch(/\(did you mean active\?\)/);
  });
});
