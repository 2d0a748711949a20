import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, customerInput } from '../../../test/context.ts';
import { openTestDatabase } from '../../../test/database.ts';
import type { Database } from '../../db/client.ts';
import { DirectoryError, type FieldProblem } from '../errors.ts';
import { partnerTextRules } from './partner-field-rules.ts';
import { type CreatePartnerInput, createPartnerInput, partnerChangesInput } from './partner-schema.ts';
import { createPartner } from './partner-write.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const create = (
  overrides: Record<string, unknown>,
  options: { groups?: string[]; role?: 'editor' | 'admin' } = {},
) =>
  createPartner(
    contextFor(database, { role: options.role ?? 'editor', groups: options.groups }),
    customerInput(overrides) as CreatePartnerInput,
  );

async function problemsOf(promise: Promise<unknown>): Promise<FieldProblem[]> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DirectoryError);
  return (error as DirectoryError).problems;
}

describe('partner input hygiene (one text rule for every field)', () => {
  it.each([
    ['a name of combining marks only', { firstName: '\u0301\u0301' }, 'firstName', 'no_visible_characters'],
    [
      'a name of direction controls only',
      { firstName: '\u202E\u202C\u200F' },
      'firstName',
      'invalid_characters',
    ],
    ['a bidi override inside a name', { lastName: 'Smith\u202Egnp.exe' }, 'lastName', 'invalid_characters'],
    [
      'a bidi override inside a company',
      { companyName: 'Acme \u2066Ltd\u2069' },
      'companyName',
      'invalid_characters',
    ],
    ['a NUL in a city', { city: 'Ha\u0000noi' }, 'city', 'invalid_characters'],
    ['an email without a dot in the domain', { email: 'a@b' }, 'email', 'invalid_email'],
    ['an email with consecutive dots', { email: 'a..b@x.com' }, 'email', 'invalid_email'],
    ['an email with brackets', { email: '<script>@x.com' }, 'email', 'invalid_email'],
    ['an email at an IP literal', { email: 'a@[127.0.0.1]' }, 'email', 'invalid_email'],
    ['an email at a bare IP', { email: 'a@10.0.0.1' }, 'email', 'invalid_email'],
    ['an amount over the limit', { totalSales: '12345678901234' }, 'totalSales', 'too_large'],
    ['a huge numeric amount', { totalSales: 1e21 }, 'totalSales', 'too_large'],
    ['a phone with an extension', { phone: '+49 30 1234567 ext. 5' }, 'phone', 'phone_extension'],
    [
      'notes over the field table limit',
      { notes: 'x'.repeat(partnerTextRules.notes.max + 1) },
      'notes',
      'too_long',
    ],
  ])('refuses %s', async (_what, overrides, field, code) => {
    const problems = await problemsOf(create(overrides));
    expect(problems).toContainEqual(expect.objectContaining({ field, code }));
  });

  it('says what is wrong with an amount that is too large, not that it is malformed', async () => {
    const [problem] = await problemsOf(create({ totalSales: '12345678901234' }));
    expect(problem!.message).toMatch(/larger than the limit/);
    expect(problem!.message).not.toMatch(/such as 12500/);
  });

  it('says a far-future date is out of range, not that it is written wrongly', async () => {
    const [problem] = await problemsOf(create({ customerSince: '2300-01-01' }));
    expect(problem).toMatchObject({ field: 'customerSince', code: 'invalid_date' });
    expect(problem!.message).toMatch(/1900 to 2199/);
    expect(problem!.message).not.toMatch(/written YYYY-MM-DD/);
  });

  it('keeps the zero-width joiner inside an emoji and drops stray ones', async () => {
    const { partner } = await create({ nickname: '👩\u200D💻 Dev', lastName: 'Ng\u200Duyen' });
    expect(partner.nickname).toBe('👩\u200D💻 Dev');
    expect(partner.lastName).toBe('Nguyen');
  });

  it('folds compatibility forms before the uniqueness check', async () => {
    await create({ email: 'dupe@example.test' });
    const problems = await problemsOf(create({ email: 'ｄｕｐｅ@example.test' }));
    expect(problems).toContainEqual(expect.objectContaining({ field: 'email', code: 'duplicate' }));
  });

  it('publishes the field table limits in the tool schema', () => {
    for (const [field, rule] of Object.entries(partnerTextRules)) {
      const key = field as keyof typeof partnerChangesInput.shape;
      expect(partnerChangesInput.shape[key].safeParse('x'.repeat(rule.max)).success).toBe(true);
      expect(partnerChangesInput.shape[key].safeParse('x'.repeat(rule.max + 1)).success).toBe(false);
    }
    expect(createPartnerInput.shape.notes.safeParse('x'.repeat(5001)).success).toBe(false);
  });
});

describe('uniqueness refusals and access groups', () => {
  it('refuses a value used by a hidden record without naming or confirming that record', async () => {
    const { partner: hidden } = await create(
      { email: 'secret.kiwi@hidden.test', code: 'KIWI-APAC', accessGroups: ['apac'] },
      { role: 'admin' },
    );
    for (const overrides of [{ email: 'secret.kiwi@hidden.test' }, { code: 'KIWI-APAC' }]) {
      const error = (await create({ ...overrides, accessGroups: ['eu'] }, { groups: ['eu'] }).catch(
        (e: unknown) => e,
      )) as DirectoryError;
      expect(error).toBeInstanceOf(DirectoryError);
      expect(error.code).toBe('conflict');
      const shown = JSON.stringify(error.toJSON());
      expect(shown).not.toContain(hidden.code);
      expect(shown).not.toContain('secret.kiwi');
      expect(shown).not.toContain('Another customer');
      expect(shown).toMatch(/already taken/);
    }
  });

  it('names the record that already has the value when the caller can see it', async () => {
    const { partner } = await create({ email: 'open@visible.test' });
    const error = (await create({ email: 'open@visible.test' }).catch((e: unknown) => e)) as DirectoryError;
    expect(error.message).toContain(partner.code);
  });
});
