import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/database.ts';
import { type Database, rowsOf } from '../../db/client.ts';
import { storedTextLimits } from '../../db/schema/partners.ts';
import { CODE_PATTERN } from '../values/contact-fields.ts';
import { partnerTextRules } from './partner-field-rules.ts';

let database: Database;
let constraints: Map<string, string>;
beforeAll(async () => {
  database = await openTestDatabase();
  const rows = rowsOf<{ name: string; definition: string }>(
    await database.db.execute(sql`
      select conname as name, pg_get_constraintdef(oid) as definition
      from pg_constraint where conrelid = 'partners'::regclass and contype = 'c'`),
  );
  constraints = new Map(rows.map((row) => [row.name, row.definition]));
});
afterAll(async () => {
  await database?.close();
});

const snake = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

describe('the partner field table and the database constraints', () => {
  it('has a length check in the database for every stored text field, with the same limit', () => {
    const stored = storedTextLimits.map(([field]) => field);
    // Every text field is stored as typed except those kept in a checked format of their own.
    const formatted = ['code', 'firstName', 'phone', 'country', 'currency'];
    expect([...stored].sort()).toEqual(
      Object.keys(partnerTextRules)
        .filter((field) => !formatted.includes(field))
        .sort(),
    );
    for (const field of stored) {
      const definition = constraints.get(`partners_${snake(field)}_length`);
      expect(definition, field).toBeDefined();
      expect(definition!.match(/<= (\d+)/)?.[1], field).toBe(String(partnerTextRules[field].max));
    }
  });

  it('limits the first name in the database as the table does', () => {
    const definition = constraints.get('partners_first_name_present') ?? '';
    expect(definition.match(/<= (\d+)/)?.[1]).toBe(String(partnerTextRules.firstName.max));
  });

  it('allows codes of the table length in the database pattern and the code rule', () => {
    const definition = constraints.get('partners_code_format') ?? '';
    const repeat = Number(definition.match(/\{0,(\d+)\}/)?.[1]);
    expect(repeat + 1).toBe(partnerTextRules.code.max);
    expect(CODE_PATTERN.test('A'.repeat(partnerTextRules.code.max))).toBe(true);
    expect(CODE_PATTERN.test('A'.repeat(partnerTextRules.code.max + 1))).toBe(false);
  });
});
