import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, customerInput, TODAY } from '../../../test/context.ts';
import { openTestDatabase } from '../../../test/database.ts';
import type { Database } from '../../db/client.ts';
import { auditEvents, partners } from '../../db/schema/index.ts';
import { recordOrder } from '../orders/orders.ts';
import { createPartnerInput } from './partner-schema.ts';
import { removePartner, setPartnerStatus } from './partner-status.ts';
import { createPartner } from './partner-write.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const newCustomer = async (overrides: Record<string, unknown> = {}) =>
  (await createPartner(contextFor(database), createPartnerInput.parse(customerInput(overrides)))).partner;

describe('setPartnerStatus', () => {
  it('disables with time and reason, keeps the record, and enables again', async () => {
    const partner = await newCustomer();
    const editor = contextFor(database, { role: 'editor' });
    const { partner: disabled } = await setPartnerStatus(editor, {
      ref: { code: partner.code },
      status: 'disabled',
      reason: 'Closed business',
    });
    expect(disabled).toMatchObject({ status: 'disabled', disabledReason: 'Closed business', version: 2 });
    expect(disabled.disabledAt).toBe(`${TODAY}T12:00:00.000Z`);
    const { partner: enabled } = await setPartnerStatus(editor, {
      ref: { code: partner.code },
      status: 'enabled',
    });
    expect(enabled).toMatchObject({ status: 'enabled', disabledAt: null, disabledReason: null, version: 3 });
    const actions = (
      await database.db.select().from(auditEvents).where(eq(auditEvents.partnerId, partner.id))
    ).map((e) => e.action);
    expect(actions).toEqual(['create', 'disable', 'enable']);
  });

  it('changes nothing when the status is already the one asked for', async () => {
    const partner = await newCustomer();
    const { changed, partner: same } = await setPartnerStatus(contextFor(database, { role: 'editor' }), {
      ref: { id: partner.id },
      status: 'enabled',
    });
    expect(changed).toBe(false);
    expect(same.version).toBe(1);
  });

  it('refuses viewers', async () => {
    const partner = await newCustomer();
    await expect(
      setPartnerStatus(contextFor(database, { role: 'viewer' }), {
        ref: { id: partner.id },
        status: 'disabled',
      }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});

describe('removePartner', () => {
  it('is for admins only', async () => {
    const partner = await newCustomer();
    const error = await removePartner(contextFor(database, { role: 'editor' }), {
      ref: { id: partner.id },
    }).catch((e) => e);
    expect(error).toMatchObject({ code: 'forbidden' });
    expect(error.message).toMatch(/admin role/);
  });

  it('deletes the record and keeps its last state in the audit log', async () => {
    const partner = await newCustomer({ city: 'Hue', companyName: 'Hue Silk' });
    const result = await removePartner(contextFor(database, { role: 'admin' }), {
      ref: { code: partner.code },
    });
    expect(result.removed).toBe(partner.code);
    expect(await database.db.select().from(partners).where(eq(partners.id, partner.id))).toHaveLength(0);
    const events = await database.db.select().from(auditEvents).where(eq(auditEvents.partnerId, partner.id));
    expect(events.map((e) => e.action)).toEqual(['create', 'remove']);
    expect(events[1]!.snapshot).toMatchObject({
      code: partner.code,
      city: 'Hue',
      companyName: 'Hue Silk',
      totalSales: 1000,
    });
  });

  it('is refused while the partner has orders, suggesting to disable instead', async () => {
    const partner = await newCustomer();
    await recordOrder(contextFor(database), {
      partner: { id: partner.id },
      reference: 'SO-1',
      orderDate: TODAY,
      amount: 10,
    });
    const error = await removePartner(contextFor(database), { ref: { id: partner.id } }).catch((e) => e);
    expect(error).toMatchObject({ code: 'conflict' });
    expect(error.message).toMatch(/disable it instead/);
    expect(await database.db.select().from(partners).where(eq(partners.id, partner.id))).toHaveLength(1);
  });
});

describe('audit log', () => {
  it('refuses updates and deletes of audit events', async () => {
    await newCustomer();
    await expect(
      database.db.execute(sql`update audit_events set actor_name = 'someone else'`),
    ).rejects.toThrow();
    await expect(database.db.execute(sql`delete from audit_events`)).rejects.toThrow();
  });

  it('writes neither the change nor the event when the transaction aborts', async () => {
    const before = (await database.db.select().from(auditEvents)).length;
    const partner = await newCustomer();
    const afterCreate = (await database.db.select().from(auditEvents)).length;
    expect(afterCreate).toBe(before + 1);
    // A remove blocked by an order aborts: no delete, no remove event.
    await recordOrder(contextFor(database), {
      partner: { id: partner.id },
      reference: 'SO-9',
      orderDate: TODAY,
      amount: 1,
    });
    await removePartner(contextFor(database), { ref: { id: partner.id } }).catch(() => undefined);
    const actions = (
      await database.db.select().from(auditEvents).where(eq(auditEvents.partnerId, partner.id))
    ).map((e) => e.action);
    expect(actions).toEqual(['create', 'order_record']);
  });
});
