import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, customerInput, supplierInput, TODAY } from '../../../test/context.ts';
import { openTestDatabase } from '../../../test/database.ts';
import { type Database, rowsOf } from '../../db/client.ts';
import { auditEvents, partnerPictures, partners } from '../../db/schema/index.ts';
import { fixedClock } from '../activity/clock.ts';
import { DirectoryError } from '../errors.ts';
import { type CreatePartnerInput, createPartnerInput } from './partner-schema.ts';
import { createPartner, updatePartner } from './partner-write.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const create = (input: Record<string, unknown>, role: 'viewer' | 'editor' | 'admin' = 'editor') =>
  createPartner(contextFor(database, { role }), createPartnerInput.parse(input));

async function problemsOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DirectoryError);
    return (error as DirectoryError).problems;
  }
  throw new Error('expected a DirectoryError');
}

describe('createPartner', () => {
  it('defaults the since date to the creation day in the workspace time zone, so the record is New', async () => {
    // 23:30 UTC on 2026-06-15 is already 2026-06-16 in Ho Chi Minh City (UTC+7).
    const ctx = contextFor(database, {
      clock: fixedClock('2026-06-15T23:30:00Z'),
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    const { partner } = await createPartner(ctx, createPartnerInput.parse(supplierInput({})));
    expect(partner.supplierSince).toBe('2026-06-16');
    expect(partner.isNew).toBe(true);
    const given = await createPartner(
      ctx,
      createPartnerInput.parse(supplierInput({ supplierSince: '2019-01-02' })),
    );
    expect(given.partner.supplierSince).toBe('2019-01-02');
  });

  it('creates a customer with a generated code, kind-named fields and one audit event', async () => {
    const { partner, warnings } = await create(
      customerInput({
        customerSince: '2026-06-01',
        country: 'viet nam',
        phone: '0912 345 678',
        website: 'Acme.com.vn',
      }),
    );
    expect(partner.code).toMatch(/^CUS-\d{6}$/);
    expect(partner.totalSales).toBe(1000);
    expect(partner.totalPurchases).toBeUndefined();
    expect(partner.customerSince).toBe('2026-06-01');
    expect(partner.country).toBe('VN');
    expect(partner.countryName).toBe('Viet Nam');
    expect(partner.phone).toBe('+84912345678');
    expect(partner.website).toBe('https://acme.com.vn');
    expect(partner.version).toBe(1);
    expect(partner.currency).toBe('USD');
    expect(partner.isNew).toBe(true);
    expect(warnings.join(' ')).toMatch(/City is missing/);
    const events = await database.db.select().from(auditEvents).where(eq(auditEvents.partnerId, partner.id));
    expect(events).toHaveLength(1);
    expect(events[0]!.action).toBe('create');
    expect(events[0]!.changes?.totalSales).toEqual({ before: null, after: 1000 });
  });

  it('names supplier fields supplierSince and totalPurchases and numbers codes per kind', async () => {
    const { partner } = await create(supplierInput({ supplierSince: '2020-01-31', totalPurchases: '250.5' }));
    expect(partner.code).toMatch(/^SUP-\d{6}$/);
    expect(partner.totalPurchases).toBe(250.5);
    expect(partner.supplierSince).toBe('2020-01-31');
  });

  it('accepts 0 as the total ("enter 0 when there is no history")', async () => {
    const { partner } = await create(customerInput({ totalSales: 0 }));
    expect(partner.totalSales).toBe(0);
  });

  it('reports every missing required field at once and writes nothing', async () => {
    const before = await database.db.select().from(partners);
    const problems = await problemsOf(
      create({ kind: 'customer', firstName: '  \u200B ', termsAccepted: false }),
    );
    expect(problems.map((p) => p.field).sort()).toEqual([
      'email',
      'firstName',
      'termsAccepted',
      'totalSales',
    ]);
    expect(problems.every((p) => p.message.length > 10)).toBe(true);
    expect(await database.db.select().from(partners)).toHaveLength(before.length);
  });

  it.each([
    [{ totalSales: -5 }, 'totalSales', 'negative'],
    [{ totalSales: 10.123 }, 'totalSales', 'too_many_decimals'],
    [{ totalPurchases: 5 }, 'totalPurchases', 'wrong_kind'],
    [{ email: 'not-an-email' }, 'email', 'invalid_email'],
    [{ phone: '12345' }, 'phone', 'phone_needs_country'],
    [{ phone: '+84 12', country: 'VN' }, 'phone', 'invalid_phone'],
    [{ country: 'Vietnum' }, 'country', 'unknown_country'],
    [{ customerSince: '2026-02-30' }, 'customerSince', 'invalid_date'],
    [{ code: 'bad code!' }, 'code', 'invalid_code'],
    [{ currency: 'XYZ1' }, 'currency', 'invalid_currency'],
    [{ website: 'not a site' }, 'website', 'invalid_website'],
    [{ lastName: 'a\u0000b' }, 'lastName', 'invalid_characters'],
    [{ companyName: 'x'.repeat(201) }, 'companyName', 'too_long'],
    [{ accessGroups: ['EU Sales!'] }, 'accessGroups', 'invalid_group'],
  ])('refuses %j with a problem on %s', async (overrides, field, code) => {
    // Straight to the domain (no zod parse first): the normalizer's own rule is under test.
    const problems = await problemsOf(
      createPartner(contextFor(database, { role: 'editor' }), customerInput(overrides) as CreatePartnerInput),
    );
    expect(problems).toContainEqual(expect.objectContaining({ field, code }));
  });

  it('suggests the country for a misspelling', async () => {
    const problems = await problemsOf(create(customerInput({ country: 'Vietnum' })));
    expect(problems[0]!.didYouMean).toBe('VN (Viet Nam)');
  });

  it('refuses a second customer with the same email in another case or Unicode form, naming the first', async () => {
    const { partner } = await create(customerInput({ email: 'Zoë@Example.com' }));
    const decomposed = 'zoe\u0308@example.com';
    const error = await create(customerInput({ email: decomposed })).catch(
      (e: unknown) => e as DirectoryError,
    );
    expect(error).toBeInstanceOf(DirectoryError);
    expect((error as DirectoryError).code).toBe('conflict');
    expect((error as DirectoryError).message).toContain(partner.code);
    // the same email is fine for the other kind
    await expect(create(supplierInput({ email: 'zoë@example.com' }))).resolves.toBeTruthy();
  });

  it('lets exactly one of several concurrent creates with the same email win', async () => {
    const results = await Promise.allSettled(
      ['race@example.com', 'RACE@example.com', 'Race@Example.com', 'race@EXAMPLE.com'].map((email) =>
        create(customerInput({ email })),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((r) => r.status === 'rejected')) {
      expect(((result as PromiseRejectedResult).reason as DirectoryError).code).toBe('conflict');
    }
  });

  it('trims and upper-cases a given code and refuses a code already in use', async () => {
    const { partner } = await create(customerInput({ code: '  acme-vn ' }));
    expect(partner.code).toBe('ACME-VN');
    const problems = await problemsOf(create(customerInput({ code: 'ACME-VN' })));
    expect(problems[0]).toMatchObject({ field: 'code', code: 'duplicate' });
  });

  it('skips a generated code that was typed by hand earlier', async () => {
    const [row] = rowsOf<{ n: string }>(
      await database.db.execute(
        sql`select (case when is_called then last_value + 1 else last_value end)::text as n from customer_code_seq`,
      ),
    );
    const next = `CUS-${row!.n.padStart(6, '0')}`;
    await create(customerInput({ code: next }));
    const { partner } = await create(customerInput());
    expect(partner.code).not.toBe(next);
    expect(partner.code).toMatch(/^CUS-\d{6}$/);
  });

  it('refuses viewers', async () => {
    const error = await create(customerInput(), 'viewer').catch((e: unknown) => e as DirectoryError);
    expect(error).toMatchObject({ code: 'forbidden' });
    expect((error as DirectoryError).message).toMatch(/editor role/);
  });

  it('lets editors use only their own access groups', async () => {
    const ctx = contextFor(database, { role: 'editor', groups: ['eu'] });
    await expect(
      createPartner(ctx, createPartnerInput.parse(customerInput({ accessGroups: ['eu'] }))),
    ).resolves.toBeTruthy();
    const problems = await problemsOf(
      createPartner(ctx, createPartnerInput.parse(customerInput({ accessGroups: ['asia'] }))),
    );
    expect(problems[0]).toMatchObject({ field: 'accessGroups', code: 'group_not_yours' });
  });

  it('accepts a real PNG picture and refuses a renamed text file or one of 2 MB', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').toString('base64');
    const { partner } = await create(customerInput({ picture: { base64: png, fileName: 'logo.png' } }));
    expect(partner.hasPicture).toBe(true);
    const fake = Buffer.from('hello, not an image').toString('base64');
    expect(
      await problemsOf(create(customerInput({ picture: { base64: fake, fileName: 'photo.jpg' } }))),
    ).toContainEqual(expect.objectContaining({ field: 'picture', code: 'unsupported_file_type' }));
    const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(2 * 1024 * 1024)]).toString(
      'base64',
    );
    expect(await problemsOf(create(customerInput({ picture: { base64: big } })))).toContainEqual(
      expect.objectContaining({ field: 'picture', code: 'file_too_large' }),
    );
  });

  it('dates a picture by the injected clock on create and on replace', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').toString('base64');
    const { partner } = await create(customerInput({ picture: { base64: png } }));
    const pictureAt = async () =>
      (
        await database.db
          .select({ at: partnerPictures.updatedAt })
          .from(partnerPictures)
          .where(eq(partnerPictures.partnerId, partner.id))
      )[0]?.at.toISOString();
    expect(await pictureAt()).toBe(`${TODAY}T12:00:00.000Z`);
    const later = contextFor(database, { role: 'editor', clock: fixedClock('2026-07-01T08:00:00Z') });
    await updatePartner(later, { ref: { id: partner.id }, changes: { picture: { base64: png } } });
    expect(await pictureAt()).toBe('2026-07-01T08:00:00.000Z');
  });
});

describe('updatePartner', () => {
  it('changes only the given fields, bumps the version and audits before/after', async () => {
    const { partner } = await create(customerInput({ city: 'Hanoi' }));
    const ctx = contextFor(database, { role: 'editor' });
    const { partner: updated, changed } = await updatePartner(ctx, {
      ref: { code: partner.code },
      changes: { city: 'Da Nang', totalSales: 2000 },
      expectedVersion: 1,
    });
    expect(updated.version).toBe(2);
    expect(updated.city).toBe('Da Nang');
    expect(updated.firstName).toBe(partner.firstName);
    expect(changed.sort()).toEqual(['city', 'totalSales']);
    const events = await database.db.select().from(auditEvents).where(eq(auditEvents.partnerId, partner.id));
    expect(events.at(-1)).toMatchObject({ action: 'update', partnerVersion: 2 });
    expect(events.at(-1)!.changes).toEqual({
      city: { before: 'Hanoi', after: 'Da Nang' },
      totalSales: { before: 1000, after: 2000 },
    });
  });

  it('refuses to clear required fields and clears optional ones', async () => {
    const { partner } = await create(customerInput({ city: 'Hue' }));
    const ctx = contextFor(database, { role: 'editor' });
    const problems = await problemsOf(
      updatePartner(ctx, {
        ref: { id: partner.id },
        changes: { email: '', firstName: null, totalSales: null },
      }),
    );
    expect(problems.map((p) => p.field).sort()).toEqual(['email', 'firstName', 'totalSales']);
    const { partner: cleared } = await updatePartner(ctx, { ref: { id: partner.id }, changes: { city: '' } });
    expect(cleared.city).toBeNull();
  });

  it('refuses a stale expectedVersion and overwrites nothing', async () => {
    const { partner } = await create(customerInput());
    const ctx = contextFor(database, { role: 'editor' });
    await updatePartner(ctx, { ref: { id: partner.id }, changes: { nickname: 'first' }, expectedVersion: 1 });
    const error = await updatePartner(ctx, {
      ref: { id: partner.id },
      changes: { nickname: 'second' },
      expectedVersion: 1,
    }).catch((e: unknown) => e as DirectoryError);
    expect(error).toMatchObject({ code: 'stale_version' });
    const [row] = await database.db.select().from(partners).where(eq(partners.id, partner.id));
    expect(row!.nickname).toBe('first');
  });

  it('lets exactly one of two concurrent edits with the same expectedVersion win', async () => {
    const { partner } = await create(customerInput());
    const ctx = contextFor(database, { role: 'editor' });
    const results = await Promise.allSettled(
      ['left', 'right'].map((nickname) =>
        updatePartner(ctx, { ref: { id: partner.id }, changes: { nickname }, expectedVersion: 1 }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(
      ((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as DirectoryError).code,
    ).toBe('stale_version');
    const events = await database.db.select().from(auditEvents).where(eq(auditEvents.partnerId, partner.id));
    expect(events.filter((e) => e.action === 'update')).toHaveLength(1);
  });

  it('reads a phone without + in the new country when both change', async () => {
    const { partner } = await create(customerInput());
    const ctx = contextFor(database, { role: 'editor' });
    const { partner: updated } = await updatePartner(ctx, {
      ref: { id: partner.id },
      changes: { country: 'DEU', phone: '030 1234567' },
    });
    expect(updated.phone).toBe('+49301234567');
    expect(updated.country).toBe('DE');
  });

  it('refuses an email already used by another record of the kind', async () => {
    const { partner: first } = await create(customerInput());
    const { partner: second } = await create(customerInput());
    const error = await updatePartner(contextFor(database, { role: 'editor' }), {
      ref: { id: second.id },
      changes: { email: first.email.toUpperCase() },
    }).catch((e: unknown) => e as DirectoryError);
    expect(error).toMatchObject({ code: 'conflict' });
    expect((error as DirectoryError).message).toContain(first.code);
  });

  it('writes no event and keeps the version when nothing changes', async () => {
    const { partner } = await create(customerInput({ city: 'Hue' }));
    const { partner: same } = await updatePartner(contextFor(database), {
      ref: { id: partner.id },
      changes: { city: ' Hue ' },
    });
    expect(same.version).toBe(1);
  });

  it('hides records outside the caller groups as not found', async () => {
    const { partner } = await create(customerInput({ accessGroups: ['asia'] }), 'admin');
    const outsider = contextFor(database, { role: 'editor', groups: ['eu'] });
    await expect(
      updatePartner(outsider, { ref: { code: partner.code }, changes: { city: 'X' } }),
    ).rejects.toMatchObject({ code: 'not_found' });
    const insider = contextFor(database, { role: 'editor', groups: ['asia', 'eu'] });
    await expect(
      updatePartner(insider, { ref: { code: partner.code }, changes: { city: 'Osaka' } }),
    ).resolves.toBeTruthy();
  });
});
