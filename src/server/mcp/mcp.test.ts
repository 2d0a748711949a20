import type { CallToolResult, Client } from '@modelcontextprotocol/client';
import { desc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TODAY } from '../../../test/context.ts';
import { openTestDatabase } from '../../../test/database.ts';
import { type McpEra, mcpClient, roleTokens, testApp } from '../../../test/server.ts';
import type { Database } from '../../db/client.ts';
import { auditEvents } from '../../db/schema/index.ts';
import { fixedClock } from '../../directory/activity/clock.ts';
import { tools } from '../../tools/index.ts';

let database: Database;
let app: ReturnType<typeof testApp>;
let tokens: Awaited<ReturnType<typeof roleTokens>>;
const clients: Client[] = [];
const eras: McpEra[] = ['modern', 'legacy'];

beforeAll(async () => {
  database = await openTestDatabase();
  app = testApp(database);
  tokens = await roleTokens(database);
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await database?.close();
});

type Structured = Record<string, unknown> & {
  problems?: { field: string; code: string; didYouMean?: string; allowed?: string[] }[];
};
async function call(c: Client, name: string, args: Record<string, unknown>) {
  const result = (await c.callTool({ name, arguments: args })) as CallToolResult;
  return {
    ...result,
    // An error's details come as JSON in the second text block (no structuredContent on errors).
    structured: (result.isError
      ? JSON.parse((result.content as { text: string }[])[1]!.text)
      : result.structuredContent) as Structured,
    text: (result.content as { text: string }[])[0]?.text ?? '',
  };
}

const supplier = (overrides: Record<string, unknown> = {}) => ({
  kind: 'supplier',
  firstName: 'Linh',
  lastName: 'Phạm',
  email: `linh${Math.random().toString(36).slice(2)}@saigoncotton.vn`,
  companyName: 'Saigon Cotton',
  country: 'Vietnam',
  city: 'Ho Chi Minh City',
  totalPurchases: 0,
  termsAccepted: true,
  ...overrides,
});

/**
 * A v2 SDK client on the era, connected to the app in-process; it lists tools first, so every
 * structuredContent (errors included) is validated against the tool's output schema by the client.
 */
async function eraClient(era: McpEra, token: string, name?: string) {
  const c = await mcpClient(app, token, name, era);
  clients.push(c);
  expect(c.getProtocolEra()).toBe(era);
  await c.listTools();
  return c;
}

describe.each(eras)('MCP over Streamable HTTP (%s era)', (era) => {
  const client = (token: string, name?: string) => eraClient(era, token, name);

  it('lists every tool with schemas and annotations for an admin, and only permitted tools for a viewer', async () => {
    const admin = await client(tokens.admin);
    const listed = await admin.listTools();
    expect(listed.tools.map((t) => t.name).sort()).toEqual(tools.map((t) => t.name).sort());
    for (const tool of listed.tools) {
      expect(tool.name).toMatch(/^[a-z][a-z0-9_]{0,63}$/);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.annotations).toMatchObject({
        readOnlyHint: expect.any(Boolean),
        destructiveHint: expect.any(Boolean),
        idempotentHint: expect.any(Boolean),
      });
      expect(tool.description!.length).toBeGreaterThan(60);
    }
    const viewer = await client(tokens.viewer);
    const viewerTools = (await viewer.listTools()).tools.map((t) => t.name);
    expect(viewerTools).toContain('search_partners');
    expect(viewerTools).not.toContain('create_partner');
    expect(viewerTools).not.toContain('remove_partner');
  });

  it('runs the whole job: create, search, get, update, order, compliance, check, status, history', async () => {
    const editor = await client(tokens.editor, 'claude-desktop');
    const created = await call(
      editor,
      'create_partner',
      supplier({ blockNonCompliantOrders: true, notifyOnComplianceBreach: true }),
    );
    expect(created.isError).toBeFalsy();
    const partner = created.structured.partner as { code: string; version: number; country: string };
    expect(partner.country).toBe('VN');
    expect(created.structured.warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/Postal code/)]),
    );

    const found = await call(editor, 'search_partners', {
      kind: 'supplier',
      countries: ['Viet Nam'],
      query: 'pham',
    });
    expect((found.structured.items as { code: string }[]).map((i) => i.code)).toContain(partner.code);
    expect(found.structured.total).toBeGreaterThanOrEqual(1);

    const updated = await call(editor, 'update_partner', {
      code: partner.code,
      expectedVersion: partner.version,
      changes: { postalCode: '700000' },
    });
    expect(updated.structured.changed).toEqual(['postalCode']);

    const ordered = await call(editor, 'record_order', {
      partner: { code: partner.code },
      reference: 'PO-1',
      orderDate: '2026-06-01',
      amount: 100,
    });
    expect((ordered.structured.partner as { ordersCount: number }).ordersCount).toBe(1);
    const again = await call(editor, 'record_order', {
      partner: { code: partner.code },
      reference: 'PO-1',
      orderDate: '2026-06-01',
      amount: 100,
    });
    expect(again.structured.duplicate).toBe(true);

    await call(editor, 'set_compliance_item', {
      partner: { code: partner.code },
      name: 'BSCI audit',
      validTo: '2026-07-01',
    });
    const check = await call(editor, 'check_compliance', {
      partner: { code: partner.code },
      etd: '2026-06-20',
    });
    const report = (
      check.structured.partners as {
        orderSharing: string;
        items: { status: string }[];
        breachNotified: boolean;
      }[]
    )[0]!;
    expect(report).toMatchObject({ orderSharing: 'blocked', breachNotified: true });
    expect(report.items[0]!.status).toBe('expiring');

    const got = await call(editor, 'get_partner', { code: partner.code });
    expect(got.structured).toMatchObject({ code: partner.code, ordersCount: 1, postalCode: '700000' });
    expect((got.structured.complianceItems as unknown[]).length).toBe(1);
    expect((got.structured.recentHistory as unknown[]).length).toBeGreaterThanOrEqual(4);

    const disabled = await call(editor, 'set_partner_status', {
      code: partner.code,
      status: 'disabled',
      reason: 'paused',
    });
    expect((disabled.structured.partner as { status: string }).status).toBe('disabled');

    const history = await call(editor, 'partner_history', { partner: { code: partner.code } });
    const events = history.structured.events as { action: string; via: string; clientName: string | null }[];
    expect(events.map((e) => e.action)).toEqual([
      'disable',
      'compliance_set',
      'order_record',
      'update',
      'create',
    ]);
    expect(events.every((e) => e.via === 'mcp' && e.clientName === 'claude-desktop')).toBe(true);

    const summary = await call(editor, 'directory_summary', { kind: 'supplier' });
    const supplierCounts = summary.structured.supplier as { all: number; disabled: number };
    expect(supplierCounts.disabled).toBeGreaterThanOrEqual(1);
    const orders = await call(editor, 'list_orders', { partner: { code: partner.code } });
    expect((orders.structured.orders as unknown[]).length).toBe(1);

    const unset = await call(editor, 'remove_compliance_item', {
      partner: { code: partner.code },
      name: 'BSCI audit',
    });
    expect(unset.isError).toBeFalsy();
    const exported = await call(editor, 'export_partners', { kind: 'supplier', countries: ['VN'] });
    expect(exported.structured).toMatchObject({ format: 'csv', rowCount: expect.any(Number) });
    expect(exported.content.some((block) => block.type === 'resource_link')).toBe(true);
    const historyExport = await call(await client(tokens.admin), 'export_history', { format: 'xlsx' });
    expect(historyExport.structured).toMatchObject({ format: 'xlsx', rowCount: expect.any(Number) });
  });

  it('serves an export as a resource: for its principal, within its hour, CSV as text and XLSX as a blob', async () => {
    const editor = await client(tokens.editor);
    await call(editor, 'create_partner', supplier({ companyName: '=cmd|calc' }));
    const exported = await call(editor, 'export_partners', { kind: 'supplier' });
    const link = exported.content.find((block) => block.type === 'resource_link') as { uri: string };
    expect(link.uri).toMatch(/\/exports\/[0-9a-f-]{36}$/);
    const read = await editor.readResource({ uri: link.uri });
    const [csv] = read.contents as { uri: string; mimeType: string; text: string }[];
    expect(csv).toMatchObject({ uri: link.uri, mimeType: expect.stringMatching(/^text\/csv/) });
    expect(csv!.text.split('\n')[0]).toMatch(/Code/);
    expect(csv!.text).toContain("'=cmd|calc");
    const [audited] = await database.db.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
    expect(audited).toMatchObject({ action: 'export', actorName: 'editor', via: 'mcp' });

    const xlsx = await call(editor, 'export_partners', { kind: 'supplier', format: 'xlsx' });
    const xlsxLink = xlsx.content.find((block) => block.type === 'resource_link') as { uri: string };
    const [blob] = (await editor.readResource({ uri: xlsxLink.uri })).contents as { blob: string }[];
    expect(Buffer.from(blob!.blob, 'base64').subarray(0, 2).toString()).toBe('PK');

    const other = await client(tokens.admin);
    await expect(other.readResource({ uri: link.uri })).rejects.toThrow(
      /does not exist or belongs to another user/,
    );
    const later = testApp(database, { clock: fixedClock(`${TODAY}T14:00:00Z`) });
    const lateClient = await mcpClient(later, tokens.editor, 'late', era);
    clients.push(lateClient);
    await expect(lateClient.readResource({ uri: link.uri })).rejects.toThrow(/expired/);
  });

  it('records the principal, interface and client name on every write', async () => {
    const editor = await client(tokens.editor, 'cursor');
    await call(editor, 'create_partner', supplier());
    const [event] = await database.db.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
    expect(event).toMatchObject({ action: 'create', actorName: 'editor', via: 'mcp', clientName: 'cursor' });
  });
});

describe.each(eras)('MCP role boundaries (%s era)', (era) => {
  const client = (token: string, name?: string) => eraClient(era, token, name);

  it('refuses a viewer create with the role needed and writes nothing', async () => {
    const viewer = await client(tokens.viewer);
    const before = (await database.db.select().from(auditEvents)).length;
    const result = await call(viewer, 'create_partner', supplier());
    expect(result.isError).toBe(true);
    expect(result.structured).toMatchObject({ error: 'forbidden' });
    expect(result.text).toMatch(/editor role/);
    expect((await database.db.select().from(auditEvents)).length).toBe(before);
  });

  it('refuses an editor remove, and lets an admin remove a record without orders', async () => {
    const admin = await client(tokens.admin);
    const editor = await client(tokens.editor);
    const { code } = (await call(admin, 'create_partner', supplier())).structured.partner as { code: string };
    const refused = await call(editor, 'remove_partner', { code, confirm: true });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/admin role/);
    const removed = await call(admin, 'remove_partner', { code, confirm: true });
    expect(removed.structured).toMatchObject({ removed: code });
  });

  it('hides records of other access groups as not found', async () => {
    const admin = await client(tokens.admin);
    const eu = await client(tokens.euEditor);
    const { code } = (await call(admin, 'create_partner', supplier({ accessGroups: ['asia'] }))).structured
      .partner as { code: string };
    const result = await call(eu, 'get_partner', { code });
    expect(result.isError).toBe(true);
    expect(result.structured.error).toBe('not_found');
    const search = await call(eu, 'search_partners', { query: code });
    expect(search.structured.items).toEqual([]);
  });
});

describe.each(eras)('MCP errors an agent can fix (%s era)', (era) => {
  const client = (token: string, name?: string) => eraClient(era, token, name);

  it.each([
    ['search_partners', { sortBy: 'sales' }, 'sortBy', 'invalid_value'],
    ['search_partners', { countries: ['Vietnum'] }, 'countries[0]', 'unknown_country'],
    ['search_partners', { limit: 500 }, 'limit', 'too_big'],
    [
      'create_partner',
      { kind: 'supplier', firstName: 'A', email: 'x', totalPurchases: 1, termsAccepted: true },
      'email',
      'invalid_email',
    ],
    [
      'create_partner',
      { kind: 'supplier', firstName: 'A', email: 'a@b.co', totalSales: 1, termsAccepted: true },
      'totalSales',
      'wrong_kind',
    ],
    [
      'create_partner',
      { kind: 'supplier', frstName: 'A', email: 'a@b.co', totalPurchases: 1, termsAccepted: true },
      'frstName',
      'unknown_field',
    ],
    ['update_partner', { code: 'SUP-000001', changes: { email: null } }, 'email', 'required'],
    ['set_partner_status', { code: 'SUP-000001', status: 'paused' }, 'status', 'invalid_value'],
    ['remove_partner', { code: 'SUP-000001' }, 'confirm', 'required'],
    [
      'record_order',
      { partner: { code: 'SUP-000001' }, reference: 'R', orderDate: 'yesterday', amount: 1 },
      'orderDate',
      'invalid_date',
    ],
    [
      'set_compliance_item',
      { partner: { code: 'SUP-000001' }, name: 'ISO', validTo: '2026-01-01', validFrom: '2026-02-01' },
      'validTo',
      'before_valid_from',
    ],
    ['remove_compliance_item', { partner: { code: 'SUP-000001' } }, 'name', 'required'],
  ])('%s %j reports %s (%s)', async (name, args, field, code) => {
    const admin = await client(tokens.admin);
    await call(admin, 'create_partner', supplier({ code: 'SUP-000001', email: 'fixed@example.vn' })).catch(
      () => undefined,
    );
    const result = await call(admin, name, args);
    expect(result.isError).toBe(true);
    expect(result.structured.problems).toContainEqual(expect.objectContaining({ field, code }));
    expect(result.text).not.toMatch(/at .*\.ts:\d+|select |insert |constraint/i);
  });

  // One bad input per tool in the registry: the client lists tools first, so an error result that
  // did not fit the tool's output schema would make it throw instead of returning the problems.
  const badInputs: Record<string, Record<string, unknown>> = {
    search_partners: { sortBy: 'sales' },
    get_partner: { code: '' },
    directory_summary: { kind: 'vendor' },
    create_partner: {
      kind: 'customer',
      firstName: '',
      email: 'x',
      country: 'Vietnum',
      totalSales: -5,
      termsAccepted: true,
    },
    update_partner: { code: 'SUP-000001', changes: { email: null } },
    set_partner_status: { code: 'SUP-000001', status: 'paused' },
    remove_partner: { code: 'SUP-000001' },
    record_order: { partner: { code: 'SUP-000001' }, reference: 'R', orderDate: 'yesterday', amount: 1 },
    list_orders: { partner: { code: 'SUP-000001' }, limit: 0 },
    set_compliance_item: { partner: { code: 'SUP-000001' }, name: 'ISO', validTo: 'soon' },
    remove_compliance_item: { partner: { code: 'SUP-000001' } },
    check_compliance: { partner: { code: 'SUP-000001' }, etd: 'next week' },
    partner_history: { partner: { code: 'SUP-000001' }, limit: 10_000 },
    export_partners: { format: 'pdf' },
    export_history: { format: 'pdf' },
  };
  it.each(tools.map((t) => t.name))(
    '%s with bad input returns the problems, and the client accepts it',
    async (name) => {
      const admin = await client(tokens.admin);
      await call(admin, 'create_partner', supplier({ code: 'SUP-000001', email: 'fixed@example.vn' })).catch(
        () => undefined,
      );
      // A tool added later without an entry here still gets a bad input: a key it does not know.
      const result = await call(admin, name, badInputs[name] ?? { notAnInput: true });
      expect(result.isError).toBe(true);
      expect(result.structuredContent).toBeUndefined();
      expect(result.text.length).toBeGreaterThan(10);
      expect(result.structured.problems?.length).toBeGreaterThan(0);
    },
  );

  it('suggests the closest values', async () => {
    const admin = await client(tokens.admin);
    const bad = await call(admin, 'search_partners', { sortBy: 'sales', countries: ['Vietnum'] });
    const problems = bad.structured.problems!;
    expect(problems.find((p) => p.field === 'sortBy')?.allowed).toContain('total');
    const country = await call(admin, 'search_partners', { countries: ['Vietnum'] });
    expect(country.structured.problems![0]!.didYouMean).toBe('VN (Viet Nam)');
  });

  it('answers an unknown tool with one -32602 protocol error, its text said once', async () => {
    const admin = await client(tokens.admin);
    const error = (await admin
      .callTool({ name: 'drop_everything', arguments: {} })
      .catch((e) => e)) as Error & {
      code: number;
    };
    expect(error.code).toBe(-32602);
    expect(error.message.match(/Unknown tool/g)).toHaveLength(1);
  });
});
